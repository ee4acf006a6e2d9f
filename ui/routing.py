"""Keeps every page behind dashboard.py (and so behind the sign-in gate), should a pages/ folder ever come back.

The page files live in app_pages/, not pages/: a pages/ folder beside dashboard.py starts Streamlit in its older
"pages directory" mode until the entry point calls st.navigation, and in that mode the first request for a page's
own address (/chi-tieu) on a fresh `streamlit run dashboard.py` server got an English "Page not found" dialog, and
a page file's URL (/overview) ran that page without dashboard.py. tests/test_routing.py keeps pages/ away; if the
mode is on all the same, dashboard.py leaves it on its first line, and the helpers every page calls first
(ui.state.t, ui.state.context) start a run that skipped dashboard.py over through it.

AppTest (no server, no network) is left as it is: `app_test("app_pages/x.py")` keeps running a page directly.
"""

from __future__ import annotations

import streamlit as st
from streamlit import runtime
from streamlit.runtime import Runtime
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx


def served() -> bool:
    """True inside a real `streamlit run` server (AppTest replaces the runtime with a stand-in)."""
    return get_script_run_ctx() is not None and runtime.exists() and type(runtime.get_instance()) is Runtime


def route_through_entry_point(entry: bool = False) -> None:
    """entry=True: called by dashboard.py itself (leave the mode and carry on)."""
    if PagesManager.uses_pages_directory and served():
        PagesManager.uses_pages_directory = False
        if not entry:
            st.rerun()


def default_page_by_name(url_path: str) -> None:
    """Lets the default page's own name (/tong-quan) open it: Streamlit serves the default page only at the
    root and answers its name with an English "Page not found"."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return
    manager = ctx.pages_manager
    if not manager.intended_page_script_hash and manager.intended_page_name == url_path:
        manager.set_script_intent("", "")
