"""`python -m analytics demo [--db PATH] [--rows N] [--seed N]`: (re)build the demo store."""

from __future__ import annotations

import time
from pathlib import Path

from analytics.core.i18n import t
from analytics.core.settings import load_settings
from analytics.core.text import format_number
from analytics.reference.plan import load_plan
from analytics.reference.registry import load_units
from analytics.store.database import StoreError


def add_commands(sub) -> None:
    demo = sub.add_parser("demo", help=t("cli.demo.help"))
    demo.add_argument("--db", type=Path)
    demo.add_argument("--rows", type=int, default=6000)
    demo.add_argument("--seed", type=int, default=2022)


def run_demo(args) -> int:
    settings = load_settings()
    plan = load_plan(settings.plan_path, settings.activity_types_path)
    units = load_units(settings.units_path)
    from analytics.intake.demo import build_demo

    path = Path(args.db or settings.db_path)
    if path.exists():
        from analytics.store.database import Database

        with Database(path) as db:
            real = db.meta("demo") != "1" and db.scalar("SELECT count(*) FROM activities") > 0
        if real:
            raise StoreError(t("cli.demo.refuse", path=path))
        path.unlink()
        Path(f"{path}.wal").unlink(missing_ok=True)
    started = time.perf_counter()
    rows = build_demo(path, plan, units, args.rows, args.seed)
    print(
        t("cli.demo.done", rows=format_number(rows), seconds=format_number(time.perf_counter() - started, 1), path=path)
    )
    return 0


COMMANDS = {"demo": run_demo}
