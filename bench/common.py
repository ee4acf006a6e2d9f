"""Shared bits of the benchmarks: timing, medians, child processes, the machine's description."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def timed(func: Callable[[], object]) -> float:
    """Seconds one call takes."""
    started = time.perf_counter()
    func()
    return time.perf_counter() - started


def repeat_median(func: Callable[[], object], repeat: int, warmup: int = 1) -> float:
    for _ in range(warmup):
        func()
    return median([timed(func) for _ in range(repeat)])


def run_python(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`python ARGS` from the repository root with this interpreter; raises with its stderr on failure."""
    done = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
    )
    if done.returncode != 0:
        raise RuntimeError(f"python {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return done


def run_part(module: str, *args: str, env: dict[str, str] | None = None) -> dict:
    """Runs `python -m bench.MODULE ARGS` and parses the JSON it prints last."""
    out = run_python("-m", f"bench.{module}", *args, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def emit(document: dict) -> None:
    """A part's result on stdout for run_part."""
    print(json.dumps(document, ensure_ascii=False, default=str), flush=True)


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (VmHWM), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def machine() -> str:
    """One line naming the machine and the software versions the figures were taken with."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "?",
    )
    mem_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal:")
    )
    import duckdb
    import streamlit

    try:
        chromium = subprocess.run(
            ["/usr/bin/chromium", "--version"], capture_output=True, text=True, timeout=20
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        chromium = "chromium ?"
    os_name = next(
        (
            line.split("=", 1)[1].strip('"')
            for line in Path("/etc/os-release").read_text().splitlines()
            if line.startswith("PRETTY_NAME=")
        ),
        platform.system(),
    )
    return (
        f"{cpu}, {os.cpu_count()} CPU, {mem_kb / 1024 / 1024:.1f} GiB RAM, {os_name}; Python "
        f"{platform.python_version()}, DuckDB {duckdb.__version__}, Streamlit {streamlit.__version__}, {chromium}"
    )
