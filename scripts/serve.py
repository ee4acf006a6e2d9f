"""Starts the dashboard: `python scripts/serve.py [streamlit options]`, i.e. `streamlit run dashboard.py`.

A pages/ folder beside dashboard.py makes Streamlit start in its legacy "pages directory" mode until the entry
point has called st.navigation once, so the first request for a shared link (/chi-tieu?...) on a freshly started
server shows "Page not found". Switching that mode off before the server starts avoids it; ui/routing.py still
guards a plain `streamlit run dashboard.py`.
"""
import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

PagesManager.uses_pages_directory = False
sys.argv = ["streamlit", "run", str(Path(__file__).resolve().parent.parent / "dashboard.py"), *sys.argv[1:]]
sys.exit(cli.main())
