"""Storing a checked submission, listing submissions and rolling one back.

Storing (`commit`) is one transaction through `Database.transaction()`: the submission row, the new activity
rows and the marks on superseded versions are written together or not at all (a crash or kill mid-way leaves
the store as before). Inside that transaction every checked record is classified again against the store as
it is now (analytics/intake/sql/ingest_classify.sql):
- new: inserted with the submission's id;
- update: the same unit and ma_hoat_dong as a current record with different content: the new version is
  inserted and the old row gets `superseded_by` = this submission's id (it stays in the table, no longer current);
  also a row with a ma_hoat_dong matching by unit, type, date and title a current record that has none (the id
  is given to it, so later rows with that id update it rather than add a copy);
- duplicate: the same unit, type, date and folded title as a current record, or an unchanged update: not stored.
A file with any rejected row stores nothing unless `valid_only` is chosen. The identical file (same SHA-256)
as an active submission stores nothing new. Nothing to store (all duplicates) records no submission.

Rolling back a submission (`rollback`) is also one transaction: its rows are deleted, every row with
`superseded_by` = its id becomes current again (so rolling back an update restores the version it replaced),
and the submission is marked 'rolled_back' with who and when. Where a later submission B already replaced this
submission's version, B's version stays current and the version this submission had replaced passes to B
(superseded_by = B), so rolling B back afterwards restores it: never two current versions of one record.
A rolled-back submission cannot be rolled back again; its file may then be uploaded and stored anew.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from analytics.access import audit, auth
from analytics.core.i18n import t
from analytics.intake.check import CheckResult
from analytics.store.database import Database, sql

if TYPE_CHECKING:
    import pandas as pd


class SubmissionError(ValueError):
    """A submission that cannot be rolled back (unknown or already rolled back)."""


@dataclass
class CommitResult:
    committed: bool
    submission_id: int | None
    inserted: int
    updated: int
    duplicates: int
    message: str


def commit(db: Database, result: CheckResult, user_name: str | None = None, valid_only: bool = False) -> CommitResult:
    """Store the checked rows in one transaction (see the module docstring for the rules)."""
    if result.rejected and not valid_only:
        return CommitResult(False, None, 0, 0, result.duplicates, t("ingest.commit.rejected", rejected=result.rejected))
    if result.previous_submission is not None:
        return CommitResult(
            False,
            result.previous_submission,
            0,
            0,
            result.accepted,
            t("ingest.commit.same_file", id=result.previous_submission),
        )
    if result.accepted == 0:
        return CommitResult(False, None, 0, 0, 0, t("ingest.commit.no_valid_rows"))
    if result.new + result.updated == 0:
        return CommitResult(False, None, 0, 0, result.duplicates, t("ingest.commit.nothing"))
    if not result.is_open():
        raise SubmissionError(t("ingest.commit.stale"))
    with db.transaction() as cur:
        same = cur.execute(
            "SELECT max(id) FROM submissions WHERE sha256 = ? AND status = 'active'", [result.sha256]
        ).fetchall()[0][0]
        if same is not None:  # stored by someone else since the check
            return CommitResult(False, same, 0, 0, result.accepted, t("ingest.commit.same_file", id=same))
        cur.execute("SET preserve_insertion_order = false")  # ids come from line numbers, not from row order
        cur.execute(result.stage_sql("ingest_records"))
        version = cur.execute("SELECT coalesce(max(value::BIGINT), 0) FROM meta WHERE key = 'data_version'").fetchall()[
            0
        ][0]
        if version == result.data_version:  # the store is as it was at the check: its outcomes hold
            cur.execute(f"CREATE OR REPLACE TEMP TABLE ingest_outcome AS SELECT * FROM {result.stage}.outcome")
            new, updated = result.new, result.updated
        else:  # the store changed since the check: classify again
            cur.execute(sql("ingest_classify"))
            new, updated = cur.execute(
                "SELECT count(*) FILTER (outcome = 'new'), count(*) FILTER (outcome = 'update') FROM ingest_outcome"
            ).fetchall()[0]
        cur.execute(
            "CREATE OR REPLACE TEMP VIEW ingest_final AS "
            "SELECT r.*, coalesce(o.outcome, 'new') AS outcome, o.old_id "
            "FROM ingest_records_in r LEFT JOIN ingest_outcome o USING (line)"
        )
        if new + updated == 0:
            return CommitResult(False, None, 0, 0, result.accepted, t("ingest.commit.nothing"))
        duplicates = result.accepted - new - updated
        submission_id = cur.execute(
            "INSERT INTO submissions (file_name, sha256, user_name, encoding, rows, accepted, rejected, duplicates, "
            "inserted, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            [
                result.file_name,
                result.sha256,
                user_name,
                result.encoding,
                result.rows,
                result.accepted,
                result.rejected,
                duplicates,
                new,
                updated,
            ],
        ).fetchall()[0][0]
        cur.execute(sql("submission_insert"), {"submission_id": submission_id})
        if updated:
            cur.execute(sql("submission_supersede"), {"submission_id": submission_id})
        cur.execute("DROP VIEW ingest_final")
        cur.execute("DROP VIEW ingest_records_in")
        audit.record(
            db,
            user_name,
            "upload",
            {
                "submission_id": submission_id,
                "file": result.file_name,
                "sha256": result.sha256,
                "inserted": new,
                "updated": updated,
                "duplicates": duplicates,
                "rejected": result.rejected,
            },
            cur=cur,
        )
    result.close()
    return CommitResult(
        True,
        submission_id,
        new,
        updated,
        duplicates,
        t("ingest.commit.done", id=submission_id, inserted=new, updated=updated, duplicates=duplicates),
    )


def list_submissions(db: Database) -> "pd.DataFrame":
    """Every submission, newest first, with its counts and status."""
    return db.named("submission_list")


def rollback(
    db: Database, submission_id: int, user_name: str | None = None, account: "auth.Account | None" = None
) -> int:
    """Undo a whole submission (see the module docstring). Returns the number of its rows removed.

    Only an administrator may (auth.is_admin): `account` is who asks, None this machine's operator."""
    if not auth.is_admin(account):
        raise SubmissionError(t("ingest.rollback.admin_only"))
    with db.transaction() as cur:
        found = cur.execute("SELECT status FROM submissions WHERE id = ?", [submission_id]).fetchall()
        row = found[0] if found else None
        if row is None:
            raise SubmissionError(t("ingest.rollback.unknown", id=submission_id))
        if row[0] != "active":
            raise SubmissionError(t("ingest.rollback.already", id=submission_id))
        cur.execute(sql("submission_restore"), {"submission_id": submission_id})
        removed = cur.execute(sql("submission_delete"), {"submission_id": submission_id}).fetchall()[0][0]
        cur.execute(sql("submission_mark_rolled_back"), {"submission_id": submission_id, "user_name": user_name})
        audit.record(db, user_name, "rollback", {"submission_id": submission_id, "rows": int(removed)}, cur=cur)
    return int(removed)
