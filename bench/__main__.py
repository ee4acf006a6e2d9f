"""`python -m bench [--sizes 10000,100000,1000000] [--repeat 5] [--parts ingest,status,pages,browser,load]`

Builds demo stores of each size in a temporary folder, measures each part in its own process, prints one
Markdown report and writes it to bench/results/latest.md. Figures are medians of --repeat runs; every
baseline is measured in the same run on the same rows."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import sys
import tempfile
from pathlib import Path

from bench.common import ROOT, machine, run_part, run_python
from bench.stores import build_store

PARTS = ("ingest", "status", "pages", "browser", "load")
LOAD_SESSIONS = "1,10,30"
LOAD_GOAL_S, LOAD_MEMORY_GOAL_MIB = 1.5, 1024
RERUN_GOAL_MS = 300
MEMORY_GOAL_MIB = 600
GOAL_ROWS = 1_000_000


def progress(message: str) -> None:
    print(f"[bench {dt.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def ms(seconds: float | None) -> str:
    return "—" if seconds is None or math.isnan(seconds) else f"{seconds * 1000:,.0f}"


def secs(seconds: float | None) -> str:
    return "—" if seconds is None or math.isnan(seconds) else f"{seconds:,.3f}"


def rows_label(rows: int) -> str:
    return (
        f"{rows // 1_000_000}M"
        if rows >= 1_000_000 and rows % 1_000_000 == 0
        else (f"{rows // 1000}k" if rows % 1000 == 0 else str(rows))
    )


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---:" if i else "---" for i in range(len(header))) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def page_titles() -> dict[str, str]:
    import logging

    from analytics.core.i18n import t
    from ui.navigation import PAGES

    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):  # "no runtime" warnings of importing the UI outside a server
            logging.getLogger(name).setLevel(logging.ERROR)
    return {spec.path: t(spec.title_key, "vi") for spec in PAGES}


def run_ingest(sizes: list[int], repeat: int) -> list[dict] | str:
    """bench/ingest.py's run(sizes) (written with the submissions work), each size in a fresh process."""
    if not (ROOT / "bench" / "ingest.py").exists():
        return "bench/ingest.py is not there yet"
    rows = []
    for size in sizes:
        code = (
            "import json; from bench.ingest import run; "
            f"print(json.dumps(run([{size}], repeat={repeat}), ensure_ascii=False, default=str))"
        )
        out = run_python("-c", code).stdout.strip().splitlines()[-1]
        rows += json.loads(out)
    return rows


def ingest_section(result: list[dict] | str) -> list[str]:
    lines = [
        "## Ingest (bench/ingest.py: the whole `import` command into a fresh store; baseline a Python process "
        "running DuckDB's `CREATE TABLE t AS SELECT * FROM read_csv(…)` on the same file)",
        "",
    ]
    if isinstance(result, str) or not result:
        return lines + [f"Not measured: {result or 'no rows'}.", ""]
    keys = list(dict.fromkeys(key for row in result for key in row))
    names = {
        "rows": "rows",
        "file_mib": "file MiB",
        "seconds": "seconds",
        "rows_per_second": "rows/s",
        "peak_mib": "peak MiB",
        "duckdb_raw_seconds": "DuckDB read_csv s",
        "ratio": "ratio",
        "titles": "titles",
        "duckdb_seconds": "DuckDB s",
        "duckdb_peak_mib": "DuckDB peak MiB",
        "time_ratio": "time ×",
        "memory_ratio": "memory ×",
    }

    def cell(value):
        if isinstance(value, float):
            return f"{value:,.0f}" if value >= 100 else f"{value:.1f}" if value >= 10 else f"{value:.3g}"
        return f"{value:,}" if isinstance(value, int) else str(value)

    return (
        lines
        + table([names.get(key, key) for key in keys], [[cell(row.get(key, "")) for key in keys] for row in result])
        + [""]
    )


def report(sizes: list[int], repeat: int, results: dict, started: dt.datetime, load: tuple[float, float]) -> str:
    titles = page_titles()
    labels = [rows_label(size) for size in sizes]
    lines = [
        "# Benchmark",
        "",
        f"Taken {started:%Y-%m-%d %H:%M} UTC with `python -m bench --sizes {','.join(map(str, sizes))} "
        f"--repeat {repeat}`; figures are medians of {repeat} runs.",
        "",
        f"Machine: {machine()}. Load average (1 min) at start {load[0]:.1f}, at end {load[1]:.1f}: other "
        "work on the machine slows every figure alike.",
        "",
    ]

    if "status" in results:
        lines += ["## Stores and `status` (baseline: a plain DuckDB count per unit and type of the same rows)", ""]
        rows = []
        for size, label in zip(sizes, labels):
            built = results["stores"][size]
            status = results["status"][size]
            process = status.get("process_s")
            rows.append(
                [
                    label,
                    secs(built),
                    secs(status["status_s"]),
                    secs(status["groupby_s"]),
                    f"{status['status_s'] / status['groupby_s']:.1f}×",
                    secs(status["cli_s"]),
                    secs(process),
                    f"{status['cli_s'] / process:.2f}×" if process else "—",
                ]
            )
        lines += table(
            [
                "activities",
                "demo build s",
                "status s (in process)",
                "group-by s",
                "ratio",
                "`status --json` whole command s",
                "DuckDB process s",
                "command ratio (goal ≤ 3×)",
            ],
            rows,
        ) + [""]

    if "ingest" in results:
        lines += ingest_section(results["ingest"])

    if "pages" in results:
        lines += [
            f"## Page rerun after an as-of date change (server time in AppTest, ms; goal < {RERUN_GOAL_MS} ms at 1M)",
            "",
            "First run (store opened, caches filled) in brackets; after ↻ the rerun right after the server let the "
            "store file go (idle, or a command asked for it), DuckDB's cache cold; § a page without the as-of date: "
            "plain rerun.",
            "",
        ]
        paths = list(dict.fromkeys(path for size in sizes for path in results["pages"][size]))
        rows = []
        for path in paths:
            row = [f"{titles.get(path, path)} (`{path}`)"]
            for size in sizes:
                figure = results["pages"][size].get(path)
                if figure is None:
                    row.append("—")
                elif "error" in figure:
                    row.append(f"error: {figure['error'][:60]}")
                else:
                    goal = " ✗" if size >= GOAL_ROWS and figure["rerun_s"] * 1000 >= RERUN_GOAL_MS else ""
                    plain = "" if figure.get("filter") else " §"
                    reopen = f" ↻ {ms(figure['reopen_s'])}" if "reopen_s" in figure else ""
                    row.append(f"{ms(figure['rerun_s'])}{goal}{plain} ({ms(figure['first_s'])}){reopen}")
            rows.append(row)
        lines += table(["page", *labels], rows) + [""]

    if "browser" in results:
        lines += [
            "## Headless Chromium: page load to first chart (ms; warm median, cold first load in brackets)",
            "",
            "A page without a chart: time until its run finishes, marked ‡.",
            "",
        ]
        paths = list(dict.fromkeys(path for size in sizes for path in results["browser"][size]["pages"]))
        rows = []
        for path in paths:
            row = [f"{titles.get(path, path)} (`{path}`)"]
            for size in sizes:
                figure = results["browser"][size]["pages"].get(path)
                row.append(
                    "—"
                    if figure is None
                    else f"{ms(figure['warm_s'])} ({ms(figure['cold_s'])}){'' if figure['chart'] else ' ‡'}"
                )
            rows.append(row)
        lines += table(["page", *labels], rows) + [""]
        lines += [
            f"## Server memory (the `streamlit run` process after visiting every page, MiB; goal < "
            f"{MEMORY_GOAL_MIB} MiB)",
            "",
        ]
        rows = [
            [
                label,
                f"{results['browser'][size]['rss_mib']:,.0f}",
                f"{results['browser'][size]['peak_mib']:,.0f}"
                + (" ✗" if results["browser"][size]["peak_mib"] >= MEMORY_GOAL_MIB else ""),
            ]
            for size, label in zip(sizes, labels)
        ]
        lines += table(["activities", "resident", "peak"], rows) + [""]

    if results.get("load"):
        size, figures = results["load"]
        lines += [
            f"## Many leaders at once (bench/load.py on {rows_label(size)}: N sessions over Streamlit's WebSocket "
            f"protocol, each moving the as-of date and the district in turn; goal at N = 30: p95 < "
            f"{LOAD_GOAL_S} s, memory < 1 GiB)",
            "",
        ]
        rows = [
            [
                n,
                f"{f['runs']:,}",
                ms(f["p50_s"]),
                ms(f["p95_s"]) + (" ✗" if f["p95_s"] >= LOAD_GOAL_S else ""),
                ms(f["first_run_p50_s"]),
                f"{f['rss_mib']:,.0f}",
                f"{f['peak_mib']:,.0f}" + (" ✗" if f["peak_mib"] >= LOAD_MEMORY_GOAL_MIB else ""),
            ]
            for n, f in figures.items()
        ]
        lines += table(
            ["sessions", "runs", "p50 ms", "p95 ms", "first run p50 ms", "server resident MiB", "server peak MiB"], rows
        ) + [""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument(
        "--sizes",
        default="10000,100000,1000000",
        type=lambda v: [int(x.replace("_", "")) for x in v.split(",") if x.strip()],
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--parts", default=",".join(PARTS), type=lambda v: [x.strip() for x in v.split(",") if x.strip()]
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "latest.md")
    args = parser.parse_args()
    unknown = set(args.parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))} (known: {', '.join(PARTS)})")

    started = dt.datetime.now(dt.timezone.utc)
    load_at_start = os.getloadavg()[0]
    repeat = str(args.repeat)
    results: dict = {"stores": {}}
    with tempfile.TemporaryDirectory(prefix="antq-bench-") as tmp:
        if "ingest" in args.parts:
            progress(f"ingest {args.sizes}")
            results["ingest"] = run_ingest(args.sizes, args.repeat)
        for part in ("status", "pages", "browser"):
            if part in args.parts:
                results[part] = {}
        for size in args.sizes:
            progress(f"building a demo store of {size:,} activities")
            store, seconds = build_store(Path(tmp), size)
            results["stores"][size] = seconds
            if "load" in args.parts and size == max(args.sizes):
                progress(f"load on {size:,}")
                results["load"] = (size, run_part("load", str(store), "--sessions", LOAD_SESSIONS))
            for part, module in (("status", "status"), ("pages", "apptest"), ("browser", "browser")):
                if part not in args.parts:
                    continue
                progress(f"{part} on {size:,}")
                extra = []
                if part == "browser" and size in results.get("pages", {}):
                    charted = {
                        path: bool(figure.get("charts"))
                        for path, figure in results["pages"][size].items()
                        if "error" not in figure
                    }
                    extra = ["--charted", json.dumps(charted)]
                results[part][size] = run_part(module, str(store), "--repeat", repeat, *extra)
            store.unlink()
    text = report(args.sizes, args.repeat, results, started, (load_at_start, os.getloadavg()[0]))
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    progress(f"written to {args.out}")


if __name__ == "__main__":
    main()
