"""Shared fixtures: real DuckDB files built by the one store factory (tests/fixtures.py).

- `ctx`: an open Context on a fresh store in the test's folder; a module (or a test) says what the store holds
  with `pytest.mark.store(rows=..., records=..., accounts=...)` (the arguments of fixtures.make_store).
- `empty_db`: the path of a migrated store with the reference data and no activities.
- `demo_db` (session): the demo store built once by the real CLI. Do not write to it.
- `antq_env(**values)`: the product's settings that only environment variables carry (ANTQ_DB, ANTQ_SETTINGS,
  ANTQ_GEOJSON, ANTQ_UNITS, ...), set for this test only.
- `use_db(path)`: points the dashboard at a store for AppTest.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

# tests.fixtures is imported inside the fixtures: it loads analytics, whose catalogue reads ANTQ_LANG on import,
# which pytest_configure sets first.


SESSION_ENV = pytest.StashKey[pytest.MonkeyPatch]()


def pytest_configure(config):
    config.addinivalue_line("markers", "store(rows=(), records=(), accounts={}): what the `ctx` fixture's store holds")
    # The tests read the Vietnamese catalogue whatever the shell's ANTQ_LANG says; set before any test module is
    # imported (some compute labels at import) and undone when the run ends.
    config.stash[SESSION_ENV] = pytest.MonkeyPatch()
    config.stash[SESSION_ENV].setenv("ANTQ_LANG", "vi")


def pytest_unconfigure(config):
    config.stash[SESSION_ENV].undo()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """A demo store built once per test session by the real CLI (6,000 rows, seed 2022). Do not write to it."""
    from tests.fixtures import ROOT

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    subprocess.run(
        [sys.executable, "-m", "analytics", "demo", "--db", str(path)], cwd=ROOT, check=True, capture_output=True
    )
    return path


@pytest.fixture
def empty_db(tmp_path) -> Path:
    """A migrated store with the reference data and no activities."""
    from tests.fixtures import store_file

    return store_file(tmp_path / "empty.duckdb")


@pytest.fixture
def ctx(request, tmp_path):
    """The store the test's `pytest.mark.store(...)` describes (none: empty), open; closed after the test."""
    from tests.fixtures import make_store

    marker = request.node.get_closest_marker("store")
    context = make_store(
        tmp_path / "store.duckdb", *(marker.args if marker else ()), **(marker.kwargs if marker else {})
    )
    yield context
    context.close()


@pytest.fixture
def antq_env(monkeypatch):
    """antq_env(db=path, settings=path, geojson=path, ...) sets ANTQ_DB, ANTQ_SETTINGS, ANTQ_GEOJSON, ... for this
    test (the product reads these only from the environment)."""

    def set_values(**values) -> None:
        for name, value in values.items():
            monkeypatch.setenv(f"ANTQ_{name.upper()}", str(value))

    return set_values


@pytest.fixture
def use_db(antq_env, monkeypatch):
    """Point the dashboard (ANTQ_DB) at a store for AppTest; clears Streamlit caches between tests.

    Every store the dashboard opens during the test is closed at its teardown, so the file can be opened again by
    other tests and by CLI subprocesses (clearing the cache alone would leave the close to the garbage collector)."""
    import streamlit as st

    import ui.state

    opened = []
    open_context = ui.state.open_context

    def recording_open_context(*args, **kwargs):
        opened.append(open_context(*args, **kwargs))
        return opened[-1]

    monkeypatch.setattr(ui.state, "open_context", recording_open_context)

    def point(path: Path) -> Path:
        antq_env(db=path)
        st.cache_resource.clear()
        st.cache_data.clear()
        return path

    yield point
    st.cache_resource.clear()
    st.cache_data.clear()
    for context in opened:
        context.close()
