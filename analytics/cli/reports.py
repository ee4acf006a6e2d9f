"""`python -m analytics reports submit|list|review|get`: the plan's reporting cycle from the command line.

    reports submit UNIT [--word FILE] [--scan FILE ...] [--received YYYY-MM-DD[THH:MM]] [--user NAME] [--json]
    reports list [--as-of DATE] [--json]
    reports review UNIT (--accept | --return REASON) [--user NAME] [--json]
    reports get UNIT --kind word|scan -o FILE [--user NAME]

Exit codes as `import`: 0 done, 1 a file (or the request) refused with its reason, 2 unreadable input (no such
file, unknown unit or account), 3 the store is busy. --user names an account once accounts exist: its scope
applies as for uploads (an uploader hands in for its unit and the units under it; --received and review need an
admin). Without --user the command acts as this machine's operator. The JSON keys are a published interface.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from analytics.access import audit, auth
from analytics.cli.common import NoSuchAccount, acting_account, date, fail, print_json
from analytics.context import open_context
from analytics.core.i18n import t
from analytics.core.text import format_date
from analytics.store.database import StoreLockedError
from analytics.unit_reports import cycle
from analytics.unit_reports.files import ReportFileError, check_file


def _moment(value: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(t("reports.cli.bad_moment", value=value)) from None


def add_commands(sub) -> None:
    reports = sub.add_parser("reports", help=t("reports.cli.help"))
    actions = reports.add_subparsers(dest="reports_command", required=True)
    submit = actions.add_parser("submit", help=t("reports.cli.submit_help"))
    submit.add_argument("unit")
    submit.add_argument("--word", type=Path, help=t("reports.cli.word"))
    submit.add_argument("--scan", type=Path, action="append", default=[], help=t("reports.cli.scan"))
    submit.add_argument("--received", type=_moment, help=t("reports.cli.received"))
    listing = actions.add_parser("list", help=t("reports.cli.list_help"))
    listing.add_argument("--as-of", dest="as_of", type=date, help=t("reports.cli.as_of"))
    check = actions.add_parser("review", help=t("reports.cli.review_help"))
    check.add_argument("unit")
    verdict = check.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--accept", action="store_true", help=t("reports.cli.accept"))
    verdict.add_argument("--return", dest="return_reason", metavar="REASON", help=t("reports.cli.return"))
    get = actions.add_parser("get", help=t("reports.cli.get_help"))
    get.add_argument("unit")
    get.add_argument("--kind", choices=("word", "scan"), required=True)
    get.add_argument("-o", "--output", type=Path, required=True, help=t("reports.cli.output"))
    for action in actions.choices.values():
        action.add_argument("--db", type=Path)
        action.add_argument("--json", action="store_true")
        if action is not listing:
            action.add_argument("--user", help=t("reports.cli.user"))


class _Refused(Exception):
    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code


def _account(ctx, name: str | None) -> auth.Account | None:
    """The --user account (None: this machine's operator, or no accounts yet)."""
    try:
        return acting_account(ctx.db, name)
    except NoSuchAccount as exc:
        raise _Refused(2, str(exc)) from None


def _require_admin(account: auth.Account | None, what: str) -> None:
    if not auth.is_admin(account):
        raise _Refused(1, t("reports.error.admin_only", what=t(f"reports.cli.what.{what}")))


def run_reports(args) -> int:
    base = {"unit": getattr(args, "unit", None)}
    try:
        ctx = open_context(args.db)  # writable: an older store gains the tables; downloads are audited
    except StoreLockedError as exc:
        return fail(args, 3, str(exc), **base)
    try:
        settings = cycle.load_report_settings()
        return ACTIONS[args.reports_command](args, ctx, settings)
    except _Refused as exc:
        return fail(args, exc.code, t("cli.error", detail=exc), **base)
    except ReportFileError as exc:
        return fail(args, 1, t("cli.error", detail=exc), **base)
    except cycle.ReportScopeError as exc:
        return fail(args, 1, t("cli.error", detail=exc), **base)
    except cycle.ReportError as exc:
        return fail(args, 2, t("cli.error", detail=exc), **base)
    finally:
        ctx.close()


def _submit(args, ctx, settings) -> int:
    account = _account(ctx, args.user)
    if args.received:
        _require_admin(account, "received")
    if not args.word and not args.scan:
        raise _Refused(2, t("reports.error.no_files"))
    checked = []
    for kind, path in [("word", args.word)] * bool(args.word) + [("scan", p) for p in args.scan]:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise _Refused(2, t("reports.cli.unreadable", file=path, reason=exc.strerror or exc)) from None
        checked.append(check_file(kind, data, path.name, settings.max_bytes))
    actor = account.name if account else (args.user or audit.cli_actor())
    done = cycle.hand_in(
        ctx,
        settings,
        args.unit,
        checked,
        actor,
        auth.scope_units(account, ctx.units),
        received_at=args.received,
        channel="cli",
    )
    if args.json:
        print_json(
            {
                "unit": done.unit.code,
                "name": done.unit.name,
                "committed": True,
                "report_id": done.report_id,
                "version": done.version,
                "state": done.state,
                "files": [{"kind": f.kind, "name": f.name, "bytes": f.size, "sha256": f.sha256} for f in checked],
            }
        )
    else:
        print(done.message)
    return 0


def _list(args, ctx, settings) -> int:
    at = dt.datetime.combine(args.as_of, dt.time.max) if args.as_of else None
    document = cycle.report_document(ctx, settings, at)
    if args.json:
        print_json(document)
        return 0
    print(
        t(
            "reports.cli.list_header",
            handed_in=document["handed_in"],
            expected=document["expected"],
            on_time=document["on_time"],
            deadline=format_date(dt.date.fromisoformat(document["deadline"])),
        )
    )
    for unit in document["units"]:
        state = t(f"reports.state.{unit['state']}") + (f" · {t('reports.overdue')}" if unit["overdue"] else "")
        when = unit["handed_in_at"] or ""
        reason = f" · {unit['review']['reason']}" if unit["review"] and unit["review"]["reason"] else ""
        print(f"{unit['code']:<9}{unit['name'][:40]:<42}{state:<32}{when}{reason}")
    return 0


def _review(args, ctx, settings) -> int:
    account = _account(ctx, args.user)
    _require_admin(account, "review")
    actor = account.name if account else (args.user or audit.cli_actor())
    message = cycle.review(ctx, settings, args.unit, bool(args.accept), args.return_reason, actor)
    if args.json:
        print_json(
            {
                "unit": args.unit,
                "state": "accepted" if args.accept else "returned",
                "reason": args.return_reason,
                "by": actor,
            }
        )
    else:
        print(message)
    return 0


def _get(args, ctx, settings) -> int:
    account = _account(ctx, args.user)
    scope = auth.scope_units(account, ctx.units)
    if scope is not None and args.unit not in scope:
        raise _Refused(1, t("reports.error.scope", name=args.unit))
    if not args.output.resolve().parent.is_dir():
        raise _Refused(2, t("export.error.write", path=args.output, detail=t("export.error.no_folder")))
    actor = account.name if account else (args.user or audit.cli_actor())
    found = cycle.download(ctx, args.unit, args.kind, actor)
    written = []
    for index, (_, data) in enumerate(found):  # several scan pages: FILE, FILE-2, FILE-3 ...
        target = (
            args.output if index == 0 else args.output.with_name(f"{args.output.stem}-{index + 1}{args.output.suffix}")
        )
        try:
            target.write_bytes(data)
        except OSError as exc:
            raise _Refused(2, t("export.error.write", path=target, detail=exc.strerror or exc)) from None
        written.append(str(target))
    if args.json:
        print_json({"unit": args.unit, "kind": args.kind, "files": written})
    else:
        print(t("reports.cli.written", files=", ".join(written)))
    return 0


ACTIONS = {"submit": _submit, "list": _list, "review": _review, "get": _get}
COMMANDS = {"reports": run_reports}
