"""Storing checked submissions: atomic, never twice, versioned updates, listing, rolling back, surviving a kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from analytics.access import auth
from analytics.context import open_context
from analytics.intake.check import check_file
from analytics.intake.submissions import SubmissionError, commit, list_submissions, rollback
from analytics.store.database import Database
from tests.fixtures import GOOD, ROOT, csv_bytes, make_store


def row(title="Tuyên truyền phòng, chống ma túy", unit="25456", ref="", date="19/05/2022", participants="30"):
    return [unit, "", "anti_drug", title, date, participants, "", "", ref, ""]


def upload(ctx, rows, name="bao-cao.csv", user="can_bo", valid_only=False, data=None):
    result = check_file(ctx.db, ctx.plan, ctx.units, data or csv_bytes(rows), name)
    return result, commit(ctx.db, result, user, valid_only=valid_only)


def current(ctx):
    return ctx.db.df(
        "SELECT unit_code, title, activity_ref, participants, submission_id FROM current_activities "
        "ORDER BY unit_code, title"
    ).values.tolist()


def snapshot(db: Database):
    return (
        db.df("SELECT * FROM activities ORDER BY id").to_csv(),
        db.df("SELECT * FROM submissions ORDER BY id").to_csv(),
        db.data_version(),
        db.scalar("SELECT count(*) FROM audit_log"),
    )


def test_a_clean_file_is_stored_as_one_submission(ctx):
    before = ctx.db.data_version()
    result, outcome = upload(ctx, [GOOD, row("Hội thi tìm hiểu pháp luật")])
    assert outcome.committed and (outcome.inserted, outcome.updated, outcome.duplicates) == (2, 0, 0)
    assert ctx.db.data_version() > before
    [sub] = list_submissions(ctx.db).to_dict(orient="records")
    assert (
        sub["id"],
        sub["file_name"],
        sub["sha256"],
        sub["user_name"],
        sub["encoding"],
        sub["rows"],
        sub["accepted"],
        sub["rejected"],
        sub["inserted"],
        sub["status"],
    ) == (outcome.submission_id, "bao-cao.csv", result.sha256, "can_bo", "UTF-8", 2, 2, 0, 2, "active")
    stored = ctx.db.df("SELECT * FROM activities").to_dict(orient="records")
    assert {r["submission_id"] for r in stored} == {outcome.submission_id}
    first = next(r for r in stored if r["activity_ref"] == "HD-1")
    assert (first["participants"], first["budget_vnd"], first["title_key"]) == (
        1200,
        1_500_000,
        "tuyen truyen phong, chong ma tuy",
    )
    audit = ctx.db.df("SELECT actor, action, detail FROM audit_log").to_dict(orient="records")
    assert audit[-1]["actor"] == "can_bo" and audit[-1]["action"] == "upload"


def test_a_file_with_a_rejected_row_stores_nothing_unless_valid_only(ctx):
    rows = [GOOD, row(date="31/02/2022"), row("Khác")]
    result, outcome = upload(ctx, rows)
    assert (result.rejected, result.accepted) == (1, 2)
    assert not outcome.committed and "1 dòng bị từ chối" in outcome.message
    assert ctx.db.scalar("SELECT count(*) FROM activities") == 0
    assert list_submissions(ctx.db).empty
    outcome = commit(ctx.db, result, "can_bo", valid_only=True)
    assert outcome.committed and outcome.inserted == 2
    assert sorted(r[1] for r in current(ctx)) == ["Khác", "Tuyên truyền phòng, chống ma túy"]
    assert list_submissions(ctx.db).iloc[0]["rejected"] == 1


def test_the_identical_file_again_stores_nothing_new(ctx):
    data = csv_bytes([GOOD, row("Khác")])
    _, first = upload(ctx, None, data=data)
    result, again = upload(ctx, None, name="ten-khac.csv", data=data)
    assert result.previous_submission == first.submission_id
    assert any("giống hệt" in w for w in result.warnings)
    assert not again.committed and again.submission_id == first.submission_id
    assert ctx.db.scalar("SELECT count(*) FROM activities") == 2
    assert len(list_submissions(ctx.db)) == 1


def test_records_already_stored_are_duplicates_never_stored_twice(ctx):
    upload(ctx, [row("Hội thi A"), row("Hội thi B")])
    # another file: one known record (title written differently), one new
    result, outcome = upload(ctx, [row("HỘI THI  a"), row("Hội thi C")], name="lan-2.csv")
    assert (result.duplicates, result.new) == (1, 1)
    assert "Đã có trong cơ sở dữ liệu" in result.duplicate_rows.iloc[0]["message"]
    assert outcome.committed and (outcome.inserted, outcome.duplicates) == (1, 1)
    assert ctx.db.scalar("SELECT count(*) FROM activities") == 3
    result, outcome = upload(ctx, [row("Hội thi A")], name="lan-3.csv")
    assert not outcome.committed and "Không có gì mới" in outcome.message
    assert len(list_submissions(ctx.db)) == 2


def test_an_update_by_activity_id_supersedes_and_rollback_restores_it(ctx):
    _, first = upload(ctx, [row("Tọa đàm", ref="A1", participants="30"), row("Hội thi", ref="A2")])
    result, second = upload(
        ctx, [row("Tọa đàm (sửa)", ref="A1", participants="45"), row("Hội thi", ref="A2")], name="sua.csv"
    )
    assert (result.updated, result.duplicates, result.new) == (1, 1, 0)
    assert second.committed and (second.inserted, second.updated) == (0, 1)
    assert current(ctx) == [
        ["25456", "Hội thi", "A2", 30, first.submission_id],
        ["25456", "Tọa đàm (sửa)", "A1", 45, second.submission_id],
    ]
    old = ctx.db.df("SELECT superseded_by FROM activities WHERE title = 'Tọa đàm'").iloc[0, 0]
    assert old == second.submission_id
    removed = rollback(ctx.db, second.submission_id, "lanh_dao")
    assert removed == 1
    assert current(ctx) == [
        ["25456", "Hội thi", "A2", 30, first.submission_id],
        ["25456", "Tọa đàm", "A1", 30, first.submission_id],
    ]
    sub = list_submissions(ctx.db).set_index("id").loc[second.submission_id]
    assert (sub["status"], sub["rolled_back_by"]) == ("rolled_back", "lanh_dao")
    assert ctx.db.df("SELECT action FROM audit_log ORDER BY id").iloc[-1, 0] == "rollback"


def test_an_id_given_later_attaches_to_the_stored_activity_instead_of_copying_it(ctx):
    _, first = upload(ctx, [row("Tuyên truyền", participants="10")], name="khong-ma.csv")
    result, second = upload(ctx, [row("Tuyên truyền", ref="R9", participants="10")], name="co-ma.csv")
    assert (result.updated, result.duplicates, result.new) == (1, 0, 0)  # the same activity, now with its id
    assert current(ctx) == [["25456", "Tuyên truyền", "R9", 10, second.submission_id]]
    result, third = upload(ctx, [row("Tuyên truyền pháp luật", ref="R9", participants="12")], name="sua.csv")
    assert (result.updated, result.new) == (1, 0)
    assert current(ctx) == [["25456", "Tuyên truyền pháp luật", "R9", 12, third.submission_id]]
    rollback(ctx.db, third.submission_id)
    rollback(ctx.db, second.submission_id)
    assert current(ctx) == [["25456", "Tuyên truyền", None, 10, first.submission_id]]


def test_rolling_back_a_middle_update_keeps_one_current_version(ctx):
    _, a = upload(ctx, [row("Bản 1", ref="R")], name="a.csv")
    _, b = upload(ctx, [row("Bản 2", ref="R")], name="b.csv")
    _, c = upload(ctx, [row("Bản 3", ref="R")], name="c.csv")
    rollback(ctx.db, b.submission_id)
    assert [r[1] for r in current(ctx)] == ["Bản 3"]
    rollback(ctx.db, c.submission_id)
    assert [r[1] for r in current(ctx)] == ["Bản 1"]
    rollback(ctx.db, a.submission_id)
    assert current(ctx) == [] and ctx.db.scalar("SELECT count(*) FROM activities") == 0


def test_rollback_refuses_unknown_or_already_rolled_back(ctx):
    _, outcome = upload(ctx, [GOOD])
    rollback(ctx.db, outcome.submission_id)
    with pytest.raises(SubmissionError, match="đã được hoàn tác"):
        rollback(ctx.db, outcome.submission_id)
    with pytest.raises(SubmissionError, match="Không có lần nộp số 999"):
        rollback(ctx.db, 999)


def test_a_rolled_back_file_can_be_stored_again(ctx):
    data = csv_bytes([GOOD])
    _, first = upload(ctx, None, data=data)
    rollback(ctx.db, first.submission_id)
    result, again = upload(ctx, None, data=data)
    assert result.previous_submission is None and again.committed and again.submission_id != first.submission_id
    assert len(current(ctx)) == 1


def test_a_store_changed_after_the_check_is_checked_again_at_commit(ctx):
    pending = check_file(ctx.db, ctx.plan, ctx.units, csv_bytes([row("Hội thi A"), row("Hội thi B")]), "cho.csv")
    assert pending.new == 2
    upload(ctx, [row("Hội thi A")], name="truoc.csv")
    outcome = commit(ctx.db, pending, "can_bo")
    assert outcome.committed and (outcome.inserted, outcome.duplicates) == (1, 1)
    assert ctx.db.scalar("SELECT count(*) FROM activities") == 2


def test_demo_rows_count_as_stored_records(demo_db, tmp_path):
    import shutil

    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, path)
    context = open_context(path)
    try:
        unit, type_code, title, day = context.db.df(
            "SELECT unit_code, type_code, title, activity_date FROM activities LIMIT 1"
        ).iloc[0]
        data = csv_bytes([[unit, "", type_code, title.upper(), day.strftime("%d/%m/%Y"), "", "", "", "", ""]])
        result = check_file(context.db, context.plan, context.units, data, "x.csv")
        assert (result.duplicates, result.new) == (1, 0)
    finally:
        context.close()


# -- a kill in the middle of storing -----------------------------------------------------------------------
CHILD = textwrap.dedent("""
    import sys, time
    from analytics.context import open_context
    from analytics.intake import check as ingest, submissions
    db_path, csv_path = sys.argv[1], sys.argv[2]
    ctx = open_context(db_path)
    result = ingest.check_file(ctx.db, ctx.plan, ctx.units, open(csv_path, "rb").read(), "lon.csv")
    real_record = submissions.audit.record
    def record_then_wait(*args, **kwargs):  # the last write inside the transaction, before COMMIT
        real_record(*args, **kwargs)
        print("INSIDE", flush=True)
        time.sleep(120)
    if sys.argv[3] == "pause":
        submissions.audit.record = record_then_wait
    print("COMMITTING", flush=True)
    submissions.commit(ctx.db, result, "tien_trinh_con")
    print("DONE", flush=True)
""")


def big_file(path, rows: int):
    lines = [row(f"Hoạt động số {i}", ref=f"K{i}") for i in range(rows)]
    lines[0] = row("Tọa đàm (sửa)", ref="A1")  # an update of a stored record
    path.write_bytes(csv_bytes(lines))
    return path


def stored_store(tmp_path):
    path = tmp_path / "kill.duckdb"
    context = make_store(path)
    upload(context, [row("Tọa đàm", ref="A1"), row("Hội thi", ref="A2")])
    context.close()
    return path


def start_child(db_path, csv_path, mode):
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db_path), str(csv_path), mode],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_sigkill_inside_the_storing_transaction_leaves_the_store_exactly_as_before(tmp_path):
    db_path = stored_store(tmp_path)
    with Database(db_path) as db:
        before = snapshot(db)
    child = start_child(db_path, big_file(tmp_path / "lon.csv", 20_000), "pause")
    try:
        assert child.stdout.readline().strip() == "COMMITTING"
        assert child.stdout.readline().strip() == "INSIDE"  # rows inserted, old version superseded, not committed
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL
    with Database(db_path) as db:
        assert snapshot(db) == before
        assert db.scalar("SELECT count(*) FROM current_activities WHERE title = 'Tọa đàm'") == 1


def test_sigkill_at_any_moment_of_storing_is_all_or_nothing(tmp_path):
    db_path = stored_store(tmp_path)
    csv_path = big_file(tmp_path / "lon.csv", 50_000)
    with Database(db_path) as db:
        before = snapshot(db)
    for delay in (0.0, 0.05, 0.2, 0.5):
        child = start_child(db_path, csv_path, "run")
        try:
            assert child.stdout.readline().strip() == "COMMITTING"
            time.sleep(delay)
            os.kill(child.pid, signal.SIGKILL)
        finally:
            child.wait(timeout=60)
        with Database(db_path) as db:
            rows = db.scalar("SELECT count(*) FROM activities")
            if snapshot(db) == before:
                continue
            # otherwise the whole file is stored: 2 old rows + 50,000 new, one old version superseded
            assert rows == 50_002 and db.scalar("SELECT count(*) FROM current_activities") == 50_001
            assert db.scalar("SELECT count(*) FROM submissions") == 2
        db_path.unlink()
        db_path = stored_store(tmp_path)
        with Database(db_path) as db:
            before = snapshot(db)


def test_a_formula_like_title_is_stored_as_plain_text(ctx):
    _, outcome = upload(ctx, [row("=1+1"), row("@SUM(A1)"), row("+84 912")])
    assert outcome.committed
    assert sorted(ctx.db.df("SELECT title FROM activities")["title"]) == ["+84 912", "=1+1", "@SUM(A1)"]


def test_only_an_administrator_rolls_back(ctx):
    _, outcome = upload(ctx, [GOOD])
    uploader = auth.Account("can_bo", "uploader", "25456", True, 0)
    with pytest.raises(SubmissionError, match="Chỉ tài khoản quản trị"):
        rollback(ctx.db, outcome.submission_id, "can_bo", uploader)
    assert rollback(ctx.db, outcome.submission_id, "quantri", auth.Account("quantri", "admin", None, True, 0)) == 1
