"""`python -m analytics`: the command line. Its JSON output is a published interface: add keys, never rename.

A command imports what it uses when it runs (pandas, openpyxl, python-docx, argon2 cost a command that does not
need them up to a second): keep module-level imports here and in the modules that add commands light.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

from analytics import db as store
from analytics.db import StoreError, StoreLockedError, StoreWriteError, is_write_failure
from analytics.i18n import t
from analytics.plan import PlanError, load_plan
from analytics.registry import load_units
from analytics.settings import load_settings
from analytics.text import format_number, format_percent

COMMANDS = {}


def command(name: str):
    def register(func):
        COMMANDS[name] = func
        return func
    return register


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(t("cli.error.date", value=value)) from None


def _print_json(document: dict) -> None:
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


EXIT_IO = 4  # the store or an output file could not be written (disk full, read-only): nothing half-written


def _one_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]


def fail(args, code: int, message: str, **document) -> int:
    """A command that could not do its work: the Vietnamese sentence on stderr and, under --json, a document
    {..., "error", "exit_code"} on stdout too, so a script reading the JSON always gets one."""
    print(message, file=sys.stderr)
    if getattr(args, "json", False):
        _print_json({**document, "error": message, "exit_code": code})
    return code


def _argparse_words(text: str) -> str:
    """argparse's own messages (usage, errors, help headings) through the catalogue ("argparse.<English>")."""
    worded = t(f"argparse.{text}")
    return text if worded == f"argparse.{text}" else worded


argparse._ = _argparse_words  # argparse looks its messages up through its module-level gettext alias


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analytics", description=t("cli.description"))
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help=t("cli.demo.help"))
    demo.add_argument("--db", type=Path)
    demo.add_argument("--rows", type=int, default=6000)
    demo.add_argument("--seed", type=int, default=2022)

    catalog = sub.add_parser("catalog", help=t("cli.catalog.help"))
    catalog.add_argument("--json", action="store_true")

    status = sub.add_parser("status", help=t("cli.status.help"))
    status.add_argument("--db", type=Path)
    status.add_argument("--as-of", type=_date)
    status.add_argument("--json", action="store_true")
    for extend in EXTENSIONS:
        extend(sub)
    return parser


# Other modules add their sub-commands here: (add_parser(sub)) and COMMANDS[name] = handler.
EXTENSIONS: list = []


@command("demo")
def run_demo(args) -> int:
    settings = load_settings()
    plan = load_plan(settings.plan_path, settings.activity_types_path)
    units = load_units(settings.units_path)
    from analytics.demo import build_demo
    path = Path(args.db or settings.db_path)
    if path.exists():
        from analytics.db import Database
        with Database(path) as db:
            real = db.meta("demo") != "1" and db.scalar("SELECT count(*) FROM activities") > 0
        if real:
            raise StoreError(t("cli.demo.refuse", path=path))
        path.unlink()
        Path(f"{path}.wal").unlink(missing_ok=True)
    started = time.perf_counter()
    rows = build_demo(path, plan, units, args.rows, args.seed)
    print(t("cli.demo.done", rows=format_number(rows), seconds=format_number(time.perf_counter() - started, 1),
            path=path))
    return 0


@command("catalog")
def run_catalog(args) -> int:
    settings = load_settings()
    plan = load_plan(settings.plan_path, settings.activity_types_path)
    units = load_units(settings.units_path)
    document = {
        "plan": {"id": plan.id, "name": plan.name, "start": plan.start.isoformat(),
                 "deadline": plan.deadline.isoformat()},
        "units": [{"code": u.code, "name": u.name, "level": u.level, "parent_code": u.parent_code,
                   "kind": u.kind, "valid_from": u.valid_from, "valid_to": u.valid_to,
                   "admin_name": u.admin_name, "symbol": u.symbol, "unconfirmed": list(u.unconfirmed)} for u in units],
        "activity_groups": [{"code": g.code, "label": g.label, "label_en": g.label_en} for g in plan.groups],
        "activity_types": [{"code": a.code, "label": a.label, "group": a.group, "label_en": a.label_en}
                           for a in plan.activity_types],
        "targets": [{"id": tg.id, "level": tg.level, "description": tg.description, "minimum": tg.minimum,
                     "activity_types": list(tg.activity_types)} for tg in plan.targets],
    }
    if args.json:
        _print_json(document)
        return 0
    print(t("cli.catalog.header", plan=plan.name, start=plan.start.strftime("%d/%m/%Y"),
            deadline=plan.deadline.strftime("%d/%m/%Y"), units=len(units), types=len(plan.activity_types),
            targets=len(plan.targets)))
    for tg in plan.targets:
        print(f"  {tg.id:<4} {t('level.' + tg.level):<26} ≥ {tg.minimum}  {tg.description}")
    return 0


@command("status")
def run_status(args) -> int:
    from analytics.context import open_context
    from analytics.status import status_report
    ctx = open_context(args.db, read_only=True)
    try:
        as_of = args.as_of or ctx.default_as_of()
        report = status_report(ctx.db, ctx.plan, ctx.settings.lagging, as_of, ctx.settings.district)
    finally:
        ctx.close()
    if args.json:
        _print_json(report)
        return 0
    province = report["province"]
    print(t("cli.status.header", as_of=as_of.strftime("%d/%m/%Y"), total=format_number(report["total_activities"]),
            met=province["pairs_met"], pairs=province["pairs"], lagging=province["lagging_units"]))
    print()
    print(f"{t('col.code'):<9}{t('col.unit'):<42}{t('col.attainment'):>9}  {t('col.status')}")
    for unit in report["units"]:
        state = t(f"severity.{unit['severity']}") if unit["lagging"] else t("status.on_track")
        print(f"{unit['code']:<9}{unit['name'][:40]:<42}{format_percent(unit['attainment']):>9}  {state}")
        for reason in unit["reasons"]:
            print(f"{'':<11}– {reason}")
    return 0


def _say_busy(seconds: float) -> None:
    print(t("store.busy_wait", seconds=f"{seconds:g}"), file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    from analytics import cli_extensions  # noqa: F401  (registers import, export, users, ...)
    args = build_parser().parse_args(argv)
    store.default_on_busy = _say_busy  # a command waiting for the dashboard to let the file go says so
    try:
        return COMMANDS[args.command](args)
    except StoreLockedError as exc:
        return fail(args, 3, str(exc))
    except (StoreError, PlanError) as exc:
        return fail(args, 2, t("cli.error", detail=exc))
    except BrokenPipeError:  # the reader (head, a pager) stopped early: not an error of ours
        sys.stderr.close()
        return 0
    except StoreWriteError as exc:
        return fail(args, EXIT_IO, t("cli.error", detail=exc))
    except OSError as exc:  # disk full, read-only folder... while writing a file of ours
        return fail(args, EXIT_IO, t("cli.error", detail=t("cli.error.io", detail=exc.strerror or exc)))
    except Exception as exc:
        if not is_write_failure(exc):
            raise
        return fail(args, EXIT_IO, t("cli.error", detail=t("cli.error.io", detail=_one_line(exc))))
