"""`python -m analytics catalog [--json]` and `status [--db PATH] [--as-of DATE] [--json]`: the plan, and where
each unit stands. `status --json` imports no pandas: it starts at once (bench/status.py)."""

from __future__ import annotations

from pathlib import Path

from analytics.cli.common import date, print_json
from analytics.core.i18n import t
from analytics.core.settings import load_settings
from analytics.core.text import format_number, format_percent
from analytics.reference.plan import load_plan
from analytics.reference.registry import load_units


def add_commands(sub) -> None:
    catalog = sub.add_parser("catalog", help=t("cli.catalog.help"))
    catalog.add_argument("--json", action="store_true")

    status = sub.add_parser("status", help=t("cli.status.help"))
    status.add_argument("--db", type=Path)
    status.add_argument("--as-of", type=date)
    status.add_argument("--json", action="store_true")


def run_catalog(args) -> int:
    settings = load_settings()
    plan = load_plan(settings.plan_path, settings.activity_types_path)
    units = load_units(settings.units_path)
    document = {
        "plan": {
            "id": plan.id,
            "name": plan.name,
            "start": plan.start.isoformat(),
            "deadline": plan.deadline.isoformat(),
        },
        "units": [
            {
                "code": u.code,
                "name": u.name,
                "level": u.level,
                "parent_code": u.parent_code,
                "kind": u.kind,
                "valid_from": u.valid_from,
                "valid_to": u.valid_to,
                "admin_name": u.admin_name,
                "symbol": u.symbol,
                "unconfirmed": list(u.unconfirmed),
            }
            for u in units
        ],
        "activity_groups": [{"code": g.code, "label": g.label, "label_en": g.label_en} for g in plan.groups],
        "activity_types": [
            {"code": a.code, "label": a.label, "group": a.group, "label_en": a.label_en} for a in plan.activity_types
        ],
        "targets": [
            {
                "id": tg.id,
                "level": tg.level,
                "description": tg.description,
                "minimum": tg.minimum,
                "activity_types": list(tg.activity_types),
            }
            for tg in plan.targets
        ],
    }
    if args.json:
        print_json(document)
        return 0
    print(
        t(
            "cli.catalog.header",
            plan=plan.name,
            start=plan.start.strftime("%d/%m/%Y"),
            deadline=plan.deadline.strftime("%d/%m/%Y"),
            units=len(units),
            types=len(plan.activity_types),
            targets=len(plan.targets),
        )
    )
    for tg in plan.targets:
        print(f"  {tg.id:<4} {t('level.' + tg.level):<26} ≥ {tg.minimum}  {tg.description}")
    return 0


def run_status(args) -> int:
    from analytics.context import open_context
    from analytics.measures.status import status_report

    ctx = open_context(args.db, read_only=True)
    try:
        as_of = args.as_of or ctx.default_as_of()
        report = status_report(ctx.db, ctx.plan, ctx.settings.lagging, as_of, ctx.settings.district)
    finally:
        ctx.close()
    if args.json:
        print_json(report)
        return 0
    province = report["province"]
    print(
        t(
            "cli.status.header",
            as_of=as_of.strftime("%d/%m/%Y"),
            total=format_number(report["total_activities"]),
            met=province["pairs_met"],
            pairs=province["pairs"],
            lagging=province["lagging_units"],
        )
    )
    print()
    print(f"{t('col.code'):<9}{t('col.unit'):<42}{t('col.attainment'):>9}  {t('col.status')}")
    for unit in report["units"]:
        state = t(f"severity.{unit['severity']}") if unit["lagging"] else t("status.on_track")
        print(f"{unit['code']:<9}{unit['name'][:40]:<42}{format_percent(unit['attainment']):>9}  {state}")
        for reason in unit["reasons"]:
            print(f"{'':<11}– {reason}")
    return 0


COMMANDS = {"catalog": run_catalog, "status": run_status}
