"""Keeps every page behind dashboard.py (and so behind the sign-in gate).

Streamlit runs an app that has a pages/ folder in its older "pages directory" mode until the entry point calls
st.navigation. In that mode a page opened by its file's URL (/overview, /upload) runs on its own, without
dashboard.py: on a freshly started server such a request would skip the sign-in gate. dashboard.py leaves that
mode on its first line; the helpers every page calls first (ui.state.t, ui.state.context) find the mode still on
only when dashboard.py did not run, and then start the run over, this time through dashboard.py.

AppTest (no server, no network) is left as it is: `app_test("pages/x.py")` keeps running a page directly.
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
