"""Starts the dashboard: `python scripts/serve.py [streamlit options]`, i.e. `streamlit run dashboard.py`.

It installs ui/download_guard.py (Streamlit alone serves a download's /media/... address to anyone who has it, for
minutes after the tab closed) and ui/session_cookie.py (the route that sets the session cookie HttpOnly; without it
a script in the page writes the cookie, readable by scripts).
"""

import sys
from pathlib import Path

from streamlit.web import cli

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from ui import download_guard, session_cookie  # noqa: E402  (needs the project folder on the path)

download_guard.install()  # a download answers only the signed-in browser session that made it
session_cookie.install()  # the session cookie is set by the server, HttpOnly
sys.argv = ["streamlit", "run", str(ROOT / "dashboard.py"), *sys.argv[1:]]
sys.exit(cli.main())
