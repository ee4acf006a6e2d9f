"""What a user sees when something fails inside a page: one Vietnamese sentence, never a traceback or a path.

dashboard.py runs the gate and the page inside `guarded()` and also puts `show_sentence` on Streamlit's
`on_script_error` hook (`install()`: the run, the browser session and the server's session manager), which
Streamlit calls for an exception nothing caught: the details go to the server's log (stderr), the reader gets a
sentence, and Streamlit's own exception box is suppressed. `client.showErrorDetails = "none"` in
.streamlit/config.toml covers anything that escapes this. In-process runs (AppTest) keep Streamlit's box as well,
so a test still sees a crash as a crash.
"""

from __future__ import annotations

import logging

import streamlit as st
from streamlit import runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from analytics.store.database import StoreWriteError
from ui.routing import served
from ui.state import t

_LOG = logging.getLogger("antq.dashboard")


def raise_after_showing() -> bool:
    """True where the original exception should still be reported (tests); False on a real server."""
    return not served()


def show_sentence(exc: BaseException) -> bool:
    """The hook: a sentence for the reader; True tells Streamlit not to draw its own exception box."""
    if isinstance(exc, StoreWriteError):
        _LOG.error("the store could not be written: %s", exc)
        st.error(t("app.error.write"), icon=":material/save:")
    else:
        _LOG.error("a page failed", exc_info=exc)
        st.error(t("app.error.unexpected"), icon=":material/error:")
    return not raise_after_showing()


def guarded(run) -> None:
    """Runs the gate and the page: an exception that reaches here gets the sentence, then (in tests) goes on."""
    try:
        run()
    except Exception as exc:
        if not show_sentence(exc):
            raise


def install() -> None:
    """Puts the hook on this script run, on the browser session and on the server's session manager.

    Streamlit starts a new script runner for every rerun, copying the hook from the session: a button's callback
    (run before dashboard.py) and a fragment's own rerun (dashboard.py does not run) see only the session's hook,
    so a hook on the run alone left them with Streamlit's English "This app has encountered an error". A plain
    `streamlit run` has no other place to set it (scripts/serve.py does not build the server's Runtime).
    """
    run = get_script_run_ctx()
    if run is None:
        return
    run.on_script_error = show_sentence
    if not served():
        return
    sessions = getattr(runtime.get_instance(), "_session_mgr", None)
    if sessions is not None and hasattr(sessions, "_on_script_error"):
        sessions._on_script_error = show_sentence  # sessions opened from now on: from their first run
    info = sessions.get_session_info(run.session_id) if sessions is not None else None
    if info is not None and hasattr(info.session, "_on_script_error"):
        info.session._on_script_error = show_sentence  # this session's later runs, callbacks and fragments
