"""The audit log: written alone or with the change it describes, filtered, shown and exported on its page."""

import datetime as dt
import json

import pytest

from analytics.access import audit, auth
from tests.fixtures import app_test, make_store, sign_in


def test_record_alone_or_inside_the_change_it_describes(ctx):
    audit.record(ctx.db, "quantri", "export", {"file": "hoat-dong.csv", "rows": 12})
    with pytest.raises(RuntimeError):
        with ctx.db.transaction() as cur:
            audit.record(ctx.db, "nop703", "upload", {"submission_id": 9}, cur=cur)
            raise RuntimeError("the upload failed")
    with ctx.db.transaction() as cur:
        audit.record(ctx.db, "nop703", "rollback", {"submission_id": 3}, cur=cur)
    log = audit.entries(ctx.db)
    assert log["action"].tolist() == ["rollback", "export"]  # the failed upload left no entry
    assert json.loads(log["detail"][1]) == {"file": "hoat-dong.csv", "rows": 12}
    assert log["occurred_at"][0].date() == dt.date.today()


def test_a_detail_never_carries_a_secret(ctx):
    audit.record(
        ctx.db,
        "quantri",
        "account_password",
        {"account": "xem", "password": "mat-khau-moi", "new_password_hash": "$argon2id$x", "token": "t"},
    )
    assert json.loads(audit.entries(ctx.db)["detail"][0]) == {"account": "xem"}


def test_entries_filter_by_days_actor_and_actions(ctx):
    for actor, action in [("a", "sign_in"), ("b", "sign_in"), ("a", "export"), (None, "sign_in_failed")]:
        audit.record(ctx.db, actor, action)
    with ctx.db.transaction() as cur:
        cur.execute("UPDATE audit_log SET occurred_at = TIMESTAMP '2022-05-01 10:00:00' WHERE actor = 'b'")
    assert sorted(audit.entries(ctx.db, actor="a")["action"]) == ["export", "sign_in"]
    assert audit.entries(ctx.db, actions=["sign_in"])["actor"].tolist() == ["a", "b"]
    may = audit.entries(ctx.db, dt.date(2022, 5, 1), dt.date(2022, 5, 1))
    assert may["actor"].tolist() == ["b"]
    assert len(audit.entries(ctx.db, start=dt.date.today())) == 3
    assert audit.actors(ctx.db) == ["a", "b"]
    assert audit.describe('{"account": "xem", "role": "viewer", "unit": null}') == "Tài khoản: xem · Vai trò: người xem"
    upload = '{"submission_id": 3, "file": "a.csv", "sha256": "ab12", "inserted": 2, "updated": 0, "rejected": 1}'
    assert audit.describe(upload) == (
        "Lần nộp: 3 · Tệp: a.csv · Mã băm SHA-256: ab12 · Mới: 2 · Cập nhật: 0 · Bị từ chối: 1"
    )
    assert audit.describe(upload, "en").startswith("Submission: 3 · File: a.csv · SHA-256 hash: ab12 · New: 2")
    assert audit.action_label("sign_in_failed") == "Đăng nhập sai"
    assert audit.action_label("something_new") == "something_new"


def test_account_changes_and_sign_ins_are_audited_with_who(ctx):
    settings = auth.AuthSettings()
    auth.add_account(ctx.db, "quantri", "mat-khau-qtri-1", "admin", None, ctx.units, None, settings)
    auth.add_account(ctx.db, "xem", "mat-khau-xem-1", "viewer", None, ctx.units, "quantri", settings)
    auth.set_role(ctx.db, "xem", "uploader", "709", ctx.units, "quantri")
    auth.authenticate(ctx.db, "xem", "sai-mat-khau", settings)
    auth.authenticate(ctx.db, "xem", "mat-khau-xem-1", settings)
    log = audit.entries(ctx.db)
    assert list(zip(log["actor"].fillna("-"), log["action"])) == [
        ("xem", "sign_in"),
        ("-", "sign_in_failed"),
        ("quantri", "account_role"),
        ("quantri", "account_add"),
        ("-", "account_add"),
    ]
    assert json.loads(log["detail"][2]) == {"account": "xem", "role": "uploader", "unit": "709"}


def test_the_audit_page_filters_and_exports_for_an_admin(tmp_path, use_db):
    ctx = make_store(tmp_path / "page.duckdb")
    auth.add_account(ctx.db, "quantri", "mat-khau-qtri-1", "admin", None, ctx.units, None, auth.AuthSettings())
    audit.record(ctx.db, "quantri", "export", {"file": "=cmd|x.csv"})
    ctx.close()
    use_db(tmp_path / "page.duckdb")
    at = sign_in(app_test().run(), "quantri", "mat-khau-qtri-1")
    at.switch_page("app_pages/audit.py").run()
    assert not at.exception
    shown = at.dataframe[0].value
    assert shown.columns.tolist() == ["Thời điểm", "Người thực hiện", "Hành động", "Chi tiết"]
    assert shown["Hành động"].tolist() == ["Đăng nhập", "Xuất dữ liệu", "Thêm tài khoản"]
    assert shown["Người thực hiện"].tolist() == ["quantri", "quantri", "(chưa đăng nhập, hoặc máy chủ)"]
    at.multiselect(key="audit-actions").select("export").run()
    assert at.dataframe[0].value["Chi tiết"].tolist() == ["Tệp: =cmd|x.csv"]
    assert at.get("download_button"), "the filtered log can be downloaded"
    at.date_input(key="audit-from").set_value(dt.date(2022, 1, 1))
    at.date_input(key="audit-to").set_value(dt.date(2022, 12, 31)).run()
    assert any("Không có mục nào" in i.value for i in at.info)


def test_the_log_and_sign_in_bookkeeping_leave_cached_figures_alone(ctx):
    settings = auth.AuthSettings()
    auth.add_account(ctx.db, "xem", "mat-khau-xem-1", "viewer", None, ctx.units, None, settings)
    version = ctx.db.data_version()
    audit.record(ctx.db, "xem", "export", {"file": "a.csv"})
    auth.authenticate(ctx.db, "xem", "sai-mat-khau", settings)
    auth.authenticate(ctx.db, "xem", "mat-khau-xem-1", settings)
    assert ctx.db.data_version() == version
    assert len(audit.entries(ctx.db)) == 4


def test_a_failed_sign_in_reads_in_words():
    assert (
        audit.describe('{"account": "xem", "reason": "password", "failures": 2}')
        == "Tài khoản: xem · Lý do: sai mật khẩu · Số lần sai liên tiếp: 2"
    )
