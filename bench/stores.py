"""Demo stores of a given size, built by the real CLI (`python -m analytics demo --rows N`)."""

from __future__ import annotations

from pathlib import Path

from bench.common import run_python, timed


def build_store(folder: Path, rows: int) -> tuple[Path, float]:
    """(store path, seconds the CLI took)."""
    path = folder / f"demo-{rows}.duckdb"
    seconds = timed(lambda: run_python("-m", "analytics", "demo", "--db", str(path), "--rows", str(rows)))
    return path, seconds
