"""Imports the modules that add sub-commands to the CLI (each appends to cli.EXTENSIONS)."""
from analytics import auth  # noqa: F401,E402  (users add|list|disable|enable|passwd)
from analytics import export_cli  # noqa: F401,E402  (export --format csv|xlsx|docx)
from analytics import ingest_cli  # noqa: F401,E402  (import, submissions, rollback)
from analytics.unit_reports import cli as unit_reports_cli  # noqa: F401,E402  (reports submit|list|review|get)
