"""Browser tests: a real `streamlit run` server on a free loopback port, driven by Debian's headless Chromium.

Fixtures
- `dashboard(db_path, **env)`: starts the dashboard against that store and returns its base URL
  (e.g. "http://127.0.0.1:40123/"); every server started in a test is stopped at its teardown.
- `store`: a private copy of the session's demo store (a running server holds the DuckDB file lock).
- `browser` (session) and `page` (per test, a fresh context that accepts downloads).
On failure the page's screenshot is kept under test-artifacts/ and the server's log is added to the report.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, ROOT, DashboardServer

ARTIFACTS = ROOT / "test-artifacts"


def _artifact_name(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")[:150]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keeps each phase's report on the item; on failure adds the server logs and a screenshot."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
    if not report.failed:
        return
    for server in getattr(item, "dashboard_servers", ()):
        report.sections.append((f"dashboard log ({server.url})", server.log()[-20000:]))
    page = getattr(item, "e2e_page", None)
    if page is not None and not page.is_closed():
        ARTIFACTS.mkdir(exist_ok=True)
        target = ARTIFACTS / f"{_artifact_name(item.nodeid)}-{report.when}.png"
        try:
            page.screenshot(path=str(target), full_page=True)
            report.sections.append(("screenshot", str(target)))
        except Exception as exc:  # a crashed page must not hide the test's own failure
            report.sections.append(("screenshot", f"not taken: {exc}"))


@pytest.fixture
def store(demo_db, tmp_path) -> Path:
    """A private copy of the demo store (6,000 activities) for one test's server."""
    copy = tmp_path / "store.duckdb"
    shutil.copyfile(demo_db, copy)
    return copy


@pytest.fixture
def dashboard(request, tmp_path):
    """Factory: dashboard(db_path, plain_streamlit=False, **env) starts a server on that store, returns its URL."""
    servers: list[DashboardServer] = []
    request.node.dashboard_servers = servers

    def start(db_path: Path, plain_streamlit: bool = False, **env: str) -> str:
        server = DashboardServer(db_path, tmp_path / f"streamlit-{len(servers)}.log", env, plain_streamlit)
        servers.append(server)
        return server.start()

    start.servers = servers
    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    request.node.e2e_page = page
    yield page
    context.close()
