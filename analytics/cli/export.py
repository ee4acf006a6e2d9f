"""`python -m analytics export`: activities to CSV/XLSX, or the results report to DOCX.

export [--db PATH] --format csv|xlsx|docx [--unit CODE] [--district CODE] [--type CODE]
       [--from DATE] [--to DATE] [--as-of DATE] -o FILE
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from analytics.access import audit
from analytics.cli.common import EXIT_IO, date
from analytics.context import open_context
from analytics.core.i18n import t
from analytics.core.text import format_date, format_number

FORMATS = ("csv", "xlsx", "docx")


def add_commands(sub) -> None:
    parser = sub.add_parser("export", help=t("export.cli.help"))
    parser.add_argument("--db", type=Path)
    parser.add_argument("--format", choices=FORMATS, required=True, help=t("export.cli.format"))
    parser.add_argument("--unit", help=t("export.cli.unit"))
    parser.add_argument("--district", help=t("export.cli.district"))
    parser.add_argument("--type", dest="type_code", help=t("export.cli.type"))
    parser.add_argument("--from", dest="date_from", type=date, help=t("export.cli.from"))
    parser.add_argument("--to", dest="date_to", type=date, help=t("export.cli.to"))
    parser.add_argument("--as-of", dest="as_of", type=date, help=t("export.cli.as_of"))
    parser.add_argument("-o", "--output", type=Path, required=True, help=t("export.cli.output"))


def _check(args, ctx) -> None:
    from analytics.outputs.exports import ExportError

    units = {u.code: u for u in ctx.units}
    if args.unit and args.unit not in units:
        raise ExportError(t("export.error.unknown_unit", code=args.unit))
    if args.district and (args.district not in units or units[args.district].level != "district"):
        raise ExportError(t("export.error.unknown_district", code=args.district))
    if args.type_code and args.type_code not in {a.code for a in ctx.plan.activity_types}:
        raise ExportError(t("export.error.unknown_type", code=args.type_code))
    if not Path(args.output).resolve().parent.is_dir():
        raise ExportError(t("export.error.write", path=args.output, detail=t("export.error.no_folder")))
    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise ExportError(
            t("export.error.range", date_from=format_date(args.date_from), date_to=format_date(args.date_to))
        )


def run_export(args) -> int:
    # pandas, xlsxwriter, python-docx: imported by the command that uses them, not by every command's start
    from analytics.outputs.exports import (
        About,
        ActivitySelection,
        ExportError,
        describe_selection,
        write_activities_csv,
        write_activities_xlsx,
    )

    ctx = open_context(args.db)  # writable: the export is recorded in the audit log
    existed = Path(args.output).exists()
    try:
        _check(args, ctx)
        if args.format == "docx":
            _report(args, ctx)
            audit.record(
                ctx.db,
                audit.cli_actor(),
                "export",
                {"file": str(args.output), "unit": args.unit, "district": args.district},
            )
            return 0
        selection = ActivitySelection.from_options(
            args.unit, args.district, args.type_code, args.date_from, args.date_to, args.as_of
        )
        if args.format == "csv":
            rows = write_activities_csv(ctx.db, selection, args.output)
        else:
            about = About(
                title=t("export.title.activities"),
                filters=describe_selection(
                    selection,
                    {u.code: u.name for u in ctx.units},
                    {a.code: a.label for a in ctx.plan.activity_types},
                    {g.code: g.label for g in ctx.plan.groups},
                ),
                as_of=args.as_of,
                made_at=dt.datetime.now(),
            )
            rows = write_activities_xlsx(ctx.db, selection, args.output, about)
        audit.record(
            ctx.db, audit.cli_actor(), "export", {"file": str(args.output), "rows": rows, "filters": selection.params()}
        )
        print(t("export.cli.done", rows=format_number(rows), path=args.output))
        return 0
    except ExportError as exc:
        print(t("cli.error", detail=exc), file=sys.stderr)
        return 2
    except OSError as exc:
        if not existed:  # no half-written file left behind (disk full)
            Path(args.output).unlink(missing_ok=True)
        print(
            t("cli.error", detail=t("export.error.write", path=args.output, detail=exc.strerror or exc)),
            file=sys.stderr,
        )
        return EXIT_IO
    finally:
        ctx.close()


def _report(args, ctx) -> None:
    from analytics.outputs.report_docx import write_report

    if args.type_code or args.date_from or args.date_to:
        print(t("export.cli.type_filter_ignored"), file=sys.stderr)
    as_of = args.as_of or ctx.default_as_of()
    data = write_report(ctx, as_of, args.output, unit_code=args.unit, district_code=args.district)
    scope = t(f"export.scope.{data.scope}", name=data.unit.name)
    print(t("export.cli.done_report", scope=scope, as_of=format_date(as_of), path=args.output))


COMMANDS = {"export": run_export}
