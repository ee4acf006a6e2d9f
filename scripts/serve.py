"""Starts the dashboard: `python scripts/serve.py [streamlit options]`, i.e. `streamlit run dashboard.py`.

It installs ui/download_guard.py: Streamlit alone serves a download's /media/... address to anyone who has
it, for minutes after the tab closed.
"""
import sys
from pathlib import Path

from streamlit.web import cli

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from ui import download_guard  # noqa: E402  (needs the project folder on the path)

download_guard.install()  # a download answers only the signed-in browser session that made it
sys.argv = ["streamlit", "run", str(ROOT / "dashboard.py"), *sys.argv[1:]]
sys.exit(cli.main())
