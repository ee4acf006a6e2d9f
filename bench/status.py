"""`status` against a plain DuckDB group-by of the same rows. Run: python -m bench.status DB [--repeat N]

Prints JSON: status_s (status_report in process, store open), cli_s (`python -m analytics status --json`,
whole command), groupby_s (count per unit and type of the current activities up to the as-of date),
process_s (a whole Python process that imports DuckDB, opens the file and runs that count: the baseline of
the whole command; goal cli_s <= 3x process_s). The two processes alternate, in the same run."""

from __future__ import annotations

import argparse

from bench.common import emit, median, repeat_median, run_python, timed

GROUP_BY = """
    SELECT unit_code, type_code, count(*) AS n
    FROM activities
    WHERE superseded_by IS NULL AND activity_date BETWEEN ? AND ?
    GROUP BY ALL
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from analytics.context import open_context
    from analytics.measures.attainment import status_report

    ctx = open_context(args.db, read_only=True)
    try:
        as_of = ctx.default_as_of()
        status_s = repeat_median(
            lambda: status_report(ctx.db, ctx.plan, ctx.settings.lagging, as_of, ctx.settings.district), args.repeat
        )

        def group_by():
            with ctx.db.cursor() as cur:
                cur.execute(GROUP_BY, [ctx.plan.start, min(as_of, ctx.plan.deadline)]).fetchall()

        groupby_s = repeat_median(group_by, args.repeat)
    finally:
        ctx.close()
    bounds = [ctx.plan.start.isoformat(), min(as_of, ctx.plan.deadline).isoformat()]
    baseline = (
        "import sys, duckdb; con = duckdb.connect(sys.argv[1], read_only=True); "
        f"con.execute({GROUP_BY!r}, sys.argv[2:]).fetchall()"
    )
    cli_runs, process_runs = [], []
    for _ in range(args.repeat):
        cli_runs.append(timed(lambda: run_python("-m", "analytics", "status", "--db", args.db, "--json")))
        process_runs.append(timed(lambda: run_python("-c", baseline, args.db, *bounds)))
    emit({"status_s": status_s, "groupby_s": groupby_s, "cli_s": median(cli_runs), "process_s": median(process_runs)})


if __name__ == "__main__":
    main()
