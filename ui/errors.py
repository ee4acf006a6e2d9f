"""What a user sees when something fails inside a page: one Vietnamese sentence, never a traceback or a path.

The details go to the server's log (stderr). `client.showErrorDetails = "none"` in .streamlit/config.toml covers
anything that escapes this guard. In-process runs (AppTest) re-raise after drawing the sentence, so a test still
sees a crash as a crash.
"""
from __future__ import annotations

import logging
from typing import Callable

import streamlit as st

from analytics.db import StoreWriteError
from ui.routing import served
from ui.state import t

_LOG = logging.getLogger("antq.dashboard")


def raise_after_showing() -> bool:
    return not served()


def guarded(run: Callable[[], None]) -> None:
    try:
        run()
    except StoreWriteError:
        _LOG.exception("the store could not be written")
        st.error(t("app.error.write"), icon=":material/save:")
        if raise_after_showing():
            raise
    except Exception:
        _LOG.exception("a page failed")
        st.error(t("app.error.unexpected"), icon=":material/error:")
        if raise_after_showing():
            raise
