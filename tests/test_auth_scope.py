"""An uploader's rows for units outside their scope are rejected: through the ingest API and on the upload page."""

from __future__ import annotations

import duckdb

from analytics.access import auth
from analytics.intake.check import check_file
from analytics.intake.submissions import commit
from tests.fixtures import OUT_OF_SCOPE_FILE, app_test, make_store, sign_in

UPLOADER = auth.Account("nop703", "uploader", "703", True, 0)


def check_as(ctx, account, name="bao-cao.csv"):
    """The out-of-scope file checked as `account` would upload it."""
    allowed = auth.scope_units(account, ctx.units)
    return check_file(ctx.db, ctx.plan, ctx.units, OUT_OF_SCOPE_FILE, name, allowed_units=allowed)


def test_the_check_rejects_rows_outside_a_district_uploaders_scope(tmp_path):
    ctx = make_store(tmp_path / "scope.duckdb")
    try:
        uploader = UPLOADER
        result = check_as(ctx, uploader)
        assert (result.accepted, result.rejected) == (3, 1)
        errors = result.errors
        assert errors["line"].tolist() == [4] and errors["column"].tolist() == ["ma_don_vi"]
        assert "không được nộp báo cáo cho đơn vị 705 – Huyện đoàn Tân Biên" in errors["message"][0]
        # a unit named (not coded) is checked against the scope as well
        outcome = commit(ctx.db, result, uploader.name, valid_only=True)
        assert outcome.committed and outcome.inserted == 3
        stored = ctx.db.df("SELECT DISTINCT unit_code FROM current_activities ORDER BY 1")["unit_code"].tolist()
        assert stored == ["25456", "25465", "703"]
        commune = auth.Account("nop-xa", "uploader", "25456", True, 0)
        narrow = check_as(ctx, commune, "bao-cao-2.csv")
        assert narrow.errors["line"].tolist() == [2, 4, 5]
        admin = check_as(ctx, auth.Account("qt", "admin", None, True, 0), "bao-cao-3.csv")
        assert admin.rejected == 0
    finally:
        ctx.close()


def test_the_upload_page_applies_the_signed_in_uploaders_scope(tmp_path, use_db):
    ctx = make_store(tmp_path / "page.duckdb")
    auth.add_account(ctx.db, "nop703", "mat-khau-nop-1", "uploader", "703", ctx.units, None, auth.AuthSettings())
    ctx.close()
    use_db(tmp_path / "page.duckdb")
    at = sign_in(app_test().run(), "nop703", "mat-khau-nop-1")
    at.switch_page("app_pages/upload.py").run()
    assert not at.exception and at.title[0].value == "Nộp báo cáo"
    at.file_uploader[0].set_value(("bao-cao.csv", OUT_OF_SCOPE_FILE, "text/csv")).run()
    assert not at.exception
    shown = {m.label: m.value for m in at.metric}
    assert (shown["Hợp lệ"], shown["Bị từ chối"]) == ("3", "1")
    errors = at.dataframe[0].value.to_csv()
    assert "705 – Huyện đoàn Tân Biên" in errors and "không được nộp báo cáo" in errors
    with duckdb.connect(str(tmp_path / "page.duckdb")) as con:  # the page's own in-process instance
        assert con.execute("SELECT count(*) FROM activities").fetchone()[0] == 0  # nothing stored by a check


def test_an_upload_by_an_uploader_is_audited_with_their_name(tmp_path):
    from analytics.access import audit

    ctx = make_store(tmp_path / "audited.duckdb")
    try:
        uploader = UPLOADER
        result = check_as(ctx, uploader)
        outcome = commit(ctx.db, result, uploader.name, valid_only=True)
        log = audit.entries(ctx.db, actions=["upload"])
        assert log["actor"].tolist() == ["nop703"]
        assert str(outcome.submission_id) in audit.describe(log["detail"][0])
    finally:
        ctx.close()
