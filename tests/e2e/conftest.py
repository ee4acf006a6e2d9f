"""Browser tests: a real `streamlit run` server on a free loopback port, driven by Debian's headless Chromium.

Fixtures
- `dashboard(db_path, **env)`: starts the dashboard against that store and returns its base URL
  (e.g. "http://127.0.0.1:40123/"); every server started in a test is stopped at its teardown.
- `store`: a private copy of the session's demo store (a running server holds the DuckDB file lock).
- `browser` (session) and `page` (per test, a fresh context that accepts downloads).
On failure the page's screenshot is kept under test-artifacts/ and the server's log is added to the report.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("ANTQ_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
START_TIMEOUT = 90  # seconds until /_stcore/health answers "ok"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def shared_geojson() -> Path | None:
    """The district outlines for the map: $ANTQ_GEOJSON, else ../shared/reference beside the repository."""
    configured = os.environ.get("ANTQ_GEOJSON")
    if configured:
        return Path(configured)
    candidate = ROOT.parent / "shared" / "reference" / "districts-tay-ninh-2022.geojson"
    return candidate if candidate.exists() else None


class DashboardServer:
    """One `streamlit run dashboard.py` process; its stdout and stderr go to a log file."""

    def __init__(self, db_path: Path, log_path: Path, env: dict[str, str] | None = None):
        self.db_path = Path(db_path)
        self.log_path = log_path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.env = {**os.environ, "ANTQ_DB": str(self.db_path), "ANTQ_LANG": "vi", "PYTHONUNBUFFERED": "1",
                    **(env or {})}
        geojson = shared_geojson()
        if geojson and "ANTQ_GEOJSON" not in (env or {}):
            self.env["ANTQ_GEOJSON"] = str(geojson)
        self.process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        return [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
                "--server.port", str(self.port), "--server.address", "127.0.0.1", "--server.headless", "true",
                "--server.fileWatcherType", "none", "--server.runOnSave", "false",
                "--browser.gatherUsageStats", "false", "--global.developmentMode", "false"]

    def start(self) -> str:
        log = open(self.log_path, "wb")
        self.process = subprocess.Popen(self.command(), cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL)
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.process.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url + "_stcore/health", timeout=2) as response:
                    if response.status == 200 and response.read().strip() == b"ok":
                        return self.url
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"streamlit did not answer /_stcore/health within {START_TIMEOUT}s:\n{self.log()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def rss_mib(self) -> float:
        """Resident memory of the server process now (from /proc), in MiB."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024

    def log(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""


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
    """Factory: dashboard(db_path, **env) starts a server against that store and returns its base URL."""
    servers: list[DashboardServer] = []
    request.node.dashboard_servers = servers

    def start(db_path: Path, **env: str) -> str:
        server = DashboardServer(db_path, tmp_path / f"streamlit-{len(servers)}.log", env)
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
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True,
                                  locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(30_000)
    page = context.new_page()
    request.node.e2e_page = page
    yield page
    context.close()
