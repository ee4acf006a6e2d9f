"""Shared fixtures: real DuckDB files built from the shipped plan and registry."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """A demo store built once per test session by the real CLI (6,000 rows, seed 2022). Do not write to it."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    subprocess.run([sys.executable, "-m", "analytics", "demo", "--db", str(path)], cwd=ROOT, check=True,
                   capture_output=True)
    return path


@pytest.fixture
def empty_db(tmp_path) -> Path:
    """A migrated store with the reference data and no activities."""
    from analytics.context import open_context
    path = tmp_path / "empty.duckdb"
    open_context(path).close()
    return path


@pytest.fixture
def use_db(monkeypatch):
    """Point the dashboard (ANTQ_DB) at a store for AppTest; clears Streamlit caches between tests."""
    import streamlit as st

    def point(path: Path) -> Path:
        monkeypatch.setenv("ANTQ_DB", str(path))
        st.cache_resource.clear()
        st.cache_data.clear()
        return path
    yield point
    # Close cached connections so the file can be reopened by other tests (and by CLI subprocesses): the
    # cleared Context is only released once the page modules' reference cycles are collected.
    st.cache_resource.clear()
    st.cache_data.clear()
    import gc
    gc.collect()


def app_test(page: str | None = None):
    """An AppTest of the dashboard, optionally switched to a page path like 'app_pages/lagging.py'."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest
    # Users never see error details (.streamlit/config.toml); a failing test should.
    st.set_option("client.showErrorDetails", "full")
    from streamlit.util import calc_hash

    from ui.navigation import PAGES
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    if page:
        at.switch_page(str(ROOT / page))
        # Before the first run AppTest knows no st.Page yet and would name the page by its file; a server names it
        # by its address (st.Page hashes url_path), so the first run goes through dashboard.py as a request would.
        at._page_hash = calc_hash(next(spec.url_path for spec in PAGES if ROOT / spec.path == ROOT / page))
    return at


os.environ.setdefault("ANTQ_LANG", "vi")
