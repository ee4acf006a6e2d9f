"""A real `streamlit run dashboard.py` server on a free loopback port, for the browser tests and the benchmarks."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("ANTQ_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT = 90  # seconds until /_stcore/health answers "ok"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class DashboardServer:
    """One dashboard server process, started as `make demo` does (scripts/serve.py); logs go to a file.

    plain_streamlit=True starts `streamlit run dashboard.py` instead, to test the guard of ui/routing.py.
    """

    def __init__(self, db_path: Path, log_path: Path, env: dict[str, str] | None = None, plain_streamlit: bool = False):
        self.plain_streamlit = plain_streamlit
        self.db_path = Path(db_path)
        self.log_path = log_path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.env = {
            **os.environ,
            "ANTQ_DB": str(self.db_path),
            "ANTQ_LANG": "vi",
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        # The district outlines only when ANTQ_GEOJSON names them: nothing is read from outside the project.
        self.process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        start = (
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py")]
            if self.plain_streamlit
            else [sys.executable, str(ROOT / "scripts" / "serve.py")]
        )
        return [
            *start,
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--server.fileWatcherType",
            "none",
            "--server.runOnSave",
            "false",
            "--browser.gatherUsageStats",
            "false",
            "--global.developmentMode",
            "false",
        ]

    def start(self) -> str:
        log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            self.command(), cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
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

    def memory_mib(self) -> tuple[float, float]:
        """(resident now, peak resident) of the server process, in MiB, from /proc."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        read = lambda field: int(re.search(rf"{field}:\s+(\d+) kB", status).group(1)) / 1024  # noqa: E731
        return read("VmRSS"), read("VmHWM")

    def log(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""


def http_status(url: str) -> int:
    """The HTTP status a request with no cookies (another machine, a copied link) gets for url."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
