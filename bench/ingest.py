"""Benchmark: check and store generated submission files of 10k, 100k and 1M rows.

Prints, per size: seconds, rows per second, peak memory, and the ratio to DuckDB reading the same file raw
into a table (CREATE TABLE AS SELECT * FROM read_csv(...) in a fresh on-disk DuckDB file), measured in the
same run, interleaved; seconds are medians of a few runs, the ratio is the median of the paired runs' ratios.
`run(sizes)` returns the rows for the suite command.

    .venv/bin/python bench/ingest.py [--sizes 10000 100000 1000000] [--repeat 3]
"""
from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analytics.context import open_context  # noqa: E402
from analytics.demo import TITLES, VENUES  # noqa: E402
from analytics.plan import Plan, load_plan  # noqa: E402
from analytics.registry import Unit, load_units  # noqa: E402
from analytics.settings import load_settings  # noqa: E402

HEADER = "ma_don_vi,ten_don_vi,loai_hoat_dong,ten_hoat_dong,ngay_to_chuc,so_nguoi_tham_gia,dia_diem,kinh_phi,ma_hoat_dong,ghi_chu\n"


def write_file(path: Path, plan: Plan, units: tuple[Unit, ...], rows: int, seed: int = 7,
               distinct_titles: bool = False) -> Path:
    """A valid submission CSV (UTF-8, day-first dates, Vietnamese numbers), no record repeated.

    Records are distinct (unit, day, type, title) combinations drawn without replacement, with the titles clerks
    reuse (analytics.demo.TITLES); distinct_titles=True appends a serial number to every title (worst case
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
    day_text = np.array([(plan.start + dt.timedelta(days=int(d))).strftime("%d/%m/%Y") for d in range(days)],
                        dtype=object)[day_idx]
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
        handle.writelines(f"{c},{n},{ty},{ti},{d},{p},{v} {n},{b},HD-{s},\n" for c, n, ty, ti, d, p, v, b, s in
                          zip(codes, names, type_codes, titles, day_text, participants, venue, budget, serial))
    return path


class PeakMemory:
    """Peak resident memory of this process while the block runs (sampled every 5 ms), in MiB."""

    def __enter__(self):
        self.peak = self._rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, self._rss())

    @staticmethod
    def _rss() -> float:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def _fresh(path: Path) -> Path:
    for candidate in (path, Path(f"{path}.wal")):
        candidate.unlink(missing_ok=True)
    return path


def raw_read_seconds(csv_path: Path, work: Path) -> float:
    """DuckDB alone: read the file raw (auto-detected types) into a table of a fresh on-disk database."""
    db_path = _fresh(work / "raw.duckdb")
    started = time.perf_counter()
    con = duckdb.connect(str(db_path))
    con.execute("CREATE TABLE raw AS SELECT * FROM read_csv(?)", [str(csv_path)])
    con.close()
    elapsed = time.perf_counter() - started
    _fresh(db_path)
    return elapsed


def import_seconds(csv_path: Path, work: Path) -> tuple[float, float, int]:
    """check_file + commit into a fresh store, as `python -m analytics import` does. (seconds, peak MiB, stored)."""
    from analytics.ingest import check_file
    from analytics.submissions import commit
    db_path = _fresh(work / "store.duckdb")
    ctx = open_context(db_path)
    try:
        gc.collect()
        with PeakMemory() as memory:
            started = time.perf_counter()
            result = check_file(ctx.db, ctx.plan, ctx.units, csv_path, csv_path.name)
            outcome = commit(ctx.db, result, "bench")
            elapsed = time.perf_counter() - started
        stored = ctx.db.scalar("SELECT count(*) FROM activities")
        if result.rejected or not outcome.committed or stored != result.rows:
            raise RuntimeError(f"benchmark file not stored whole: {result.rejected} rejected, {stored} stored")
    finally:
        ctx.close()
        _fresh(db_path)
    return elapsed, memory.peak, stored


def run(sizes=(10_000, 100_000, 1_000_000), repeat: int = 3, distinct_titles: bool = False) -> list[dict]:
    settings = load_settings()
    plan = load_plan(settings.plan_path, settings.activity_types_path)
    units = load_units(settings.units_path)
    results = []
    with tempfile.TemporaryDirectory(prefix="antq-bench-ingest-") as tmp:
        work = Path(tmp)
        for size in sizes:
            csv_path = write_file(work / f"submission-{size}.csv", plan, units, size, distinct_titles=distinct_titles)
            raw, ours, peaks = [], [], []
            for _ in range(repeat):  # interleaved, so both see the same machine load
                raw.append(raw_read_seconds(csv_path, work))
                seconds, peak, stored = import_seconds(csv_path, work)
                ours.append(seconds)
                peaks.append(peak)
            seconds, baseline = statistics.median(ours), statistics.median(raw)
            # The ratio is the median of the paired runs' ratios: each pair saw the same machine load.
            ratio = statistics.median(o / r for o, r in zip(ours, raw))
            results.append({"rows": stored, "file_mib": round(csv_path.stat().st_size / 2**20, 1),
                            "seconds": round(seconds, 3), "rows_per_second": round(stored / seconds),
                            "peak_mib": round(max(peaks)), "duckdb_raw_seconds": round(baseline, 3),
                            "ratio": round(ratio, 2)})
            csv_path.unlink()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--distinct-titles", action="store_true", help="every title different (worst case)")
    args = parser.parse_args()
    rows = run(args.sizes, args.repeat, args.distinct_titles)
    print(f"{'rows':>10} {'file MiB':>9} {'seconds':>8} {'rows/s':>10} {'peak MiB':>9} {'DuckDB raw s':>13} {'ratio':>6}")
    for r in rows:
        print(f"{r['rows']:>10,} {r['file_mib']:>9} {r['seconds']:>8.2f} {r['rows_per_second']:>10,} "
              f"{r['peak_mib']:>9} {r['duckdb_raw_seconds']:>13.2f} {r['ratio']:>6.2f}")


if __name__ == "__main__":
    main()
