"""What a user sees when something fails inside a page: one Vietnamese sentence, never a traceback or a path.

dashboard.py runs the gate and the page inside `guarded()` and also puts `show_sentence` on the script run's
`on_script_error` hook (`install()`), which Streamlit calls for an exception nothing caught: the details go to the
server's log (stderr), the reader gets a sentence, and Streamlit's own exception box is suppressed. `client.showErrorDetails = "none"` in
.streamlit/config.toml covers anything that escapes this. In-process runs (AppTest) keep Streamlit's box as well,
so a test still sees a crash as a crash.
"""
from __future__ import annotations

import logging

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from analytics.db import StoreWriteError
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
    run = get_script_run_ctx()
    if run is not None:
        run.on_script_error = show_sentence
