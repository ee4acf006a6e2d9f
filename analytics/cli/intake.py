"""CLI: `import FILE [--db PATH] [--dry-run] [--valid-only] [--json] [--user NAME]`, `submissions`, `rollback ID`.

Exit codes of import: 0 stored (or a clean dry run, or nothing new to store), 1 rows rejected and nothing stored,
2 the file cannot be read as a table (one Vietnamese line on stderr), 3 the store is locked. With --json a failure
also prints {"file", "committed": false, "submission_id": null, "error", "exit_code"}. The JSON keys are a published
interface.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from analytics.access import audit, auth
from analytics.cli.common import NoSuchAccount, acting_account, fail, print_json
from analytics.context import open_context
from analytics.core.i18n import t
from analytics.core.text import format_number
from analytics.store.database import StoreLockedError

if TYPE_CHECKING:
    from analytics.intake.check import CheckResult


def add_commands(sub) -> None:
    imp = sub.add_parser("import", help=t("ingest.cli.import.help"))
    imp.add_argument("file", type=Path)
    imp.add_argument("--db", type=Path)
    imp.add_argument("--dry-run", action="store_true", help=t("ingest.cli.dry_run"))
    imp.add_argument("--valid-only", action="store_true", help=t("ingest.cli.valid_only"))
    imp.add_argument("--json", action="store_true")
    imp.add_argument("--user", help=t("ingest.cli.user"))

    listing = sub.add_parser("submissions", help=t("ingest.cli.submissions.help"))
    listing.add_argument("--db", type=Path)
    listing.add_argument("--json", action="store_true")

    undo = sub.add_parser("rollback", help=t("ingest.cli.rollback.help"))
    undo.add_argument("id", type=int)
    undo.add_argument("--db", type=Path)
    undo.add_argument("--user")


def import_document(result: "CheckResult", committed: bool, submission_id: int | None) -> dict:
    return {
        "file": result.file_name,
        "encoding": result.encoding,
        "rows": result.rows,
        "accepted": result.accepted,
        "rejected": result.rejected,
        "duplicates": result.duplicates,
        "updated": result.updated,
        "committed": committed,
        "submission_id": submission_id,
        "errors": [
            {"line": int(e.line), "column": e.column, "value": e.value, "message": e.message} for e in result.error_list
        ],
        "warnings": list(result.warnings),
        "duplicate_rows": [{"line": int(d.line), "message": d.message} for d in result.duplicate_list],
        "updated_lines": [int(line) for line in result.updated_lines],
        "sheet": result.sheet,
        "header_row": int(result.header_row),
        "skipped_rows": [
            {"line": int(r.line), "kind": r.reason, "reason": t(f"intake.skipped.{r.reason}")}
            for r in result.skipped_list
        ],
    }


def _bound_memory(ctx, path: Path) -> None:
    """This process only checks and stores one file: DuckDB may hold about three times its size (at least 512 MiB)
    and spills the rest to its temporary folder, so a large import keeps within twice DuckDB's own read of it."""
    limit = max(512 * 2**20, 3 * path.stat().st_size)
    with ctx.db.cursor() as cur:
        cur.execute(f"SET memory_limit = '{limit // 2**20}MiB'")


def run_import(args) -> int:
    from analytics.intake.check import FileScan, IngestReadError, check_file  # only for the commands that use them
    from analytics.intake.submissions import commit

    nothing_stored = {"file": args.file.name, "committed": False, "submission_id": None}  # --json beside the error
    if not args.file.is_file():
        return fail(
            args, 2, t("ingest.cli.read_error", file=args.file, reason=t("ingest.cli.no_such_file")), **nothing_stored
        )
    scan = FileScan(args.file)  # hashing and counting the file's lines while the store opens
    try:
        ctx = open_context(args.db)
    except StoreLockedError as exc:
        return fail(args, 3, str(exc), **nothing_stored)
    try:
        _bound_memory(ctx, args.file)
        try:
            account = acting_account(ctx.db, args.user)  # once accounts exist, --user is one, with its scope
        except NoSuchAccount as exc:
            return fail(args, 2, str(exc), **nothing_stored)
        allowed_units = auth.scope_units(account, ctx.units)
        try:
            result = check_file(
                ctx.db, ctx.plan, ctx.units, args.file, args.file.name, allowed_units=allowed_units, scan=scan
            )
        except IngestReadError as exc:
            return fail(args, 2, t("ingest.cli.read_error", file=args.file, reason=exc), **nothing_stored)
        outcome = None
        if not args.dry_run and not (result.rejected and not args.valid_only):
            outcome = commit(ctx.db, result, args.user or audit.cli_actor(), valid_only=args.valid_only)
            if outcome.committed:  # the store changed: report what was really stored
                result.duplicates, result.updated = outcome.duplicates, outcome.updated
    finally:
        ctx.close()
    committed = bool(outcome and outcome.committed)
    submission_id = outcome.submission_id if outcome else None
    if args.json:
        print_json(import_document(result, committed, submission_id))
    else:
        print(
            t(
                "ingest.cli.summary",
                file=result.file_name,
                encoding=result.encoding,
                rows=format_number(result.rows),
                accepted=format_number(result.accepted),
                rejected=format_number(result.rejected),
                duplicates=format_number(result.duplicates),
                updated=format_number(result.updated),
            )
        )
        if result.sheet is not None:
            print(t("intake.layout.sheet", sheet=result.sheet))
        if result.header_row != 1:
            print(t("intake.layout.header_row", row=result.header_row))
        for warning in result.warnings:
            print(warning)
        for error in result.error_list[:200]:
            print(
                t(
                    "ingest.cli.error_line",
                    line=error.line,
                    column=error.column,
                    value=error.value or "",
                    message=error.message,
                )
            )
        if outcome:
            print(outcome.message)
        elif args.dry_run:
            print(t("ingest.cli.dry_run_done"))
        else:
            print(t("ingest.commit.rejected", rejected=result.rejected))
    if result.rejected and not committed:
        return 1
    return 0


def run_submissions(args) -> int:
    from analytics.intake.submissions import list_submissions

    ctx = open_context(args.db, read_only=True)
    try:
        frame = list_submissions(ctx.db)
    finally:
        ctx.close()
    if args.json:
        records = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
        print_json({"submissions": records})
        return 0
    if frame.empty:
        print(t("ingest.cli.no_submissions"))
        return 0
    for row in frame.itertuples():
        status = t(f"ingest.status.{row.status}")
        print(
            f"{row.id:>5}  {row.created_at:%d/%m/%Y %H:%M}  {row.file_name[:40]:<40} "
            f"{row.user_name if isinstance(row.user_name, str) else '–':<12} "
            f"+{row.inserted} ~{row.updated} ={row.duplicates} ✗{row.rejected}  {status}"
        )
    return 0


def run_rollback(args) -> int:
    from analytics.intake.submissions import SubmissionError, rollback

    ctx = open_context(args.db)
    try:
        account = acting_account(ctx.db, args.user)  # only an administrator may (checked by rollback itself)
        removed = rollback(ctx.db, args.id, args.user or audit.cli_actor(), account)
    except NoSuchAccount as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except SubmissionError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    finally:
        ctx.close()
    print(t("ingest.rollback.done", id=args.id, rows=removed))
    return 0


COMMANDS = {"import": run_import, "submissions": run_submissions, "rollback": run_rollback}
