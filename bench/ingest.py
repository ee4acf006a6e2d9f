"""Benchmark: the whole `import` command on generated submission files of 10k, 100k and 1M rows.

Two files per size, every row with a ma_hoat_dong: titles clerks reuse ("repeated") and every title different
("distinct"). Each import runs as its own process from start to exit into a fresh store, beside a Python
process that runs DuckDB's `CREATE TABLE t AS SELECT * FROM read_csv(file)` on the same file into a fresh
file, interleaved in the same run. Prints seconds and peak resident memory (the process's own, from wait4) of
both and their ratios (medians of the paired runs' ratios). Goal: time ≤ 2.5×, memory ≤ 2×.
`run(sizes)` returns the rows for the suite command.

    .venv/bin/python bench/ingest.py [--sizes 10000 100000 1000000] [--repeat 3] [--titles repeated distinct]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analytics.core.settings import load_settings  # noqa: E402
from analytics.intake.demo import TITLES, VENUES  # noqa: E402
from analytics.reference.plan import Plan, load_plan  # noqa: E402
from analytics.reference.registry import Unit, load_units  # noqa: E402

HEADER = (
    "ma_don_vi,ten_don_vi,loai_hoat_dong,ten_hoat_dong,ngay_to_chuc,so_nguoi_tham_gia,dia_diem,kinh_phi,"
    "ma_hoat_dong,ghi_chu\n"
)


def write_file(
    path: Path, plan: Plan, units: tuple[Unit, ...], rows: int, seed: int = 7, distinct_titles: bool = False
) -> Path:
    """A valid submission CSV (UTF-8, day-first dates, Vietnamese numbers), no record repeated.

    Records are distinct (unit, day, type, title) combinations drawn without replacement, with the titles clerks
    reuse (analytics.intake.demo.TITLES); distinct_titles=True appends a serial number to every title (worst case
    for the per-title folding)."""
    rng = np.random.default_rng(seed)
    active = [u for u in units if u.active_between(plan.start, plan.deadline)]
    pairs = [(at.code, title) for at in plan.activity_types for title in TITLES.get(at.code, [at.label])]
    days = plan.days + 1
    space = len(active) * days * len(pairs)
    if rows > space:
        raise ValueError(f"at most {space} distinct records")
    picked = rng.choice(space, size=rows, replace=False)
    unit_idx, rest = np.divmod(picked, days * len(pairs))
    day_idx, pair_idx = np.divmod(rest, len(pairs))
    codes = np.array([u.code for u in active], dtype=object)[unit_idx]
    names = np.array([u.name for u in active], dtype=object)[unit_idx]
    day_text = np.array(
        [(plan.start + dt.timedelta(days=int(d))).strftime("%d/%m/%Y") for d in range(days)], dtype=object
    )[day_idx]
    type_codes = np.array([p[0] for p in pairs], dtype=object)[pair_idx]
    titles = np.array(['"' + p[1].replace('"', '""') + '"' for p in pairs], dtype=object)[pair_idx]
    serial = np.arange(1, rows + 1).astype(str).astype(object)
    if distinct_titles:
        titles = np.array([t[:-1] + " – đợt " + n + '"' for t, n in zip(titles, serial)], dtype=object)
    number_text = np.array([f"{v:,}".replace(",", ".") for v in range(2001)], dtype=object)
    participants = number_text[np.clip(rng.lognormal(3.8, 0.7, rows), 5, 2000).astype(np.int64)]
    budget_units = (rng.lognormal(15.2, 0.8, rows) // 100_000).astype(np.int64)
    values, index = np.unique(budget_units, return_inverse=True)
    budget_text = np.array([f"{v * 100_000:,} đ".replace(",", ".") for v in values], dtype=object)[index]
    budget = np.where(rng.random(rows) < 0.6, budget_text, "")
    venue = np.array(VENUES, dtype=object)[rng.integers(0, len(VENUES), rows)]
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(HEADER)
        handle.writelines(
            f"{c},{n},{ty},{ti},{d},{p},{v} {n},{b},HD-{s},\n"
            for c, n, ty, ti, d, p, v, b, s in zip(
                codes, names, type_codes, titles, day_text, participants, venue, budget, serial
            )
        )
    return path


BASELINE = (
    "import sys, duckdb; con = duckdb.connect(sys.argv[1]); "
    "con.execute('CREATE TABLE t AS SELECT * FROM read_csv(?)', [sys.argv[2]]); con.close()"
)
FILES = {"repeated": False, "distinct": True}  # titles clerks reuse; every title different (both with ma_hoat_dong)


def _fresh(path: Path) -> Path:
    for candidate in (path, Path(f"{path}.wal")):
        candidate.unlink(missing_ok=True)
    return path


def whole_process(args: list[str]) -> tuple[float, float, int, bytes]:
    """Run a Python process from start to exit: (seconds, peak resident MiB from its own rusage, exit code, stdout)."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=err)
        out = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
        child.returncode = code = os.waitstatus_to_exitcode(status)
        child.stdout.close()
        if code:
            err.seek(0)
            raise RuntimeError(f"{' '.join(args[:3])} exited {code}: {err.read().decode()[-500:]}")
    return elapsed, usage.ru_maxrss / 1024, code, out


def raw_read(csv_path: Path, work: Path) -> tuple[float, float]:
    """DuckDB alone in its own Python process: CREATE TABLE t AS SELECT * FROM read_csv(file) into a fresh file."""
    db_path = _fresh(work / "raw.duckdb")
    seconds, peak, _, _ = whole_process(["-c", BASELINE, str(db_path), str(csv_path)])
    _fresh(db_path)
    return seconds, peak


def import_command(csv_path: Path, work: Path, rows: int) -> tuple[float, float]:
    """`python -m analytics import FILE --db FRESH --json`, process start to exit, into a fresh store."""
    db_path = _fresh(work / "store.duckdb")
    seconds, peak, _, out = whole_process(["-m", "analytics", "import", str(csv_path), "--db", str(db_path), "--json"])
    document = json.loads(out)
    if not document["committed"] or document["rejected"] or document["rows"] != rows:
        raise RuntimeError(f"benchmark file not stored whole: {document['rejected']} rejected")
    _fresh(db_path)
    return seconds, peak


def run(sizes=(10_000, 100_000, 1_000_000), repeat: int = 3, kinds=tuple(FILES)) -> list[dict]:
    """Per size and file kind: the whole import command beside DuckDB's own read of the same file, interleaved
    (both see the same machine load). Seconds and peaks are medians; ratios are medians of the paired runs'."""
    settings = load_settings()
    plan = load_plan(settings.plan_path, settings.activity_types_path)
    units = load_units(settings.units_path)
    results = []
    with tempfile.TemporaryDirectory(prefix="antq-bench-ingest-") as tmp:
        work = Path(tmp)
        for size in sizes:
            for kind in kinds:
                csv_path = write_file(
                    work / f"submission-{kind}-{size}.csv", plan, units, size, distinct_titles=FILES[kind]
                )
                pairs = []
                for _ in range(repeat):
                    pairs.append((raw_read(csv_path, work), import_command(csv_path, work, size)))
                med = statistics.median
                results.append(
                    {
                        "rows": size,
                        "titles": kind,
                        "file_mib": round(csv_path.stat().st_size / 2**20, 1),
                        "seconds": round(med(o[0] for _, o in pairs), 2),
                        "peak_mib": round(med(o[1] for _, o in pairs)),
                        "duckdb_seconds": round(med(r[0] for r, _ in pairs), 2),
                        "duckdb_peak_mib": round(med(r[1] for r, _ in pairs)),
                        "time_ratio": round(med(o[0] / r[0] for r, o in pairs), 2),
                        "memory_ratio": round(med(o[1] / r[1] for r, o in pairs), 2),
                    }
                )
                csv_path.unlink()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--titles", choices=list(FILES), nargs="+", default=list(FILES))
    args = parser.parse_args()
    rows = run(args.sizes, args.repeat, tuple(args.titles))
    print(
        f"{'rows':>10} {'titles':>9} {'MiB':>6} {'import s':>9} {'peak MiB':>9} {'DuckDB s':>9} "
        f"{'DuckDB MiB':>11} {'time ×':>7} {'memory ×':>9}"
    )
    for r in rows:
        print(
            f"{r['rows']:>10,} {r['titles']:>9} {r['file_mib']:>6} {r['seconds']:>9.2f} {r['peak_mib']:>9} "
            f"{r['duckdb_seconds']:>9.2f} {r['duckdb_peak_mib']:>11} {r['time_ratio']:>7.2f} {r['memory_ratio']:>9.2f}"
        )


if __name__ == "__main__":
    main()
