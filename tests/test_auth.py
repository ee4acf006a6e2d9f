"""Accounts, roles, unit scope and throttled sign-in on a real DuckDB store; the users command line."""

import datetime as dt
import json
import os
import sys

import pytest

from analytics.access import audit, auth
from analytics.core.settings import load_settings
from analytics.reference.registry import load_units
from analytics.store.database import Database
from tests.fixtures import ROOT, SLOWED, run_cli

SETTINGS = SLOWED
NOW = dt.datetime(2022, 6, 1, 9, 0, 0)
UNITS = load_units(load_settings().units_path)


def add(ctx, name, role="viewer", unit=None, password="mat-khau-dung"):
    return auth.add_account(ctx.db, name, password, role, unit, ctx.units, "tester", SETTINGS)


def cli(*args, stdin="", db=None, env=None):
    return run_cli("users", *args, *(["--db", db] if db else []), stdin=stdin, env=env)


# -- accounts -------------------------------------------------------------------------------------
def test_an_account_keeps_an_argon2id_hash_and_matches_names_ignoring_case_and_diacritics(ctx):
    add(ctx, "Hùng.Nguyen", "admin")
    stored = ctx.db.scalar("SELECT password_hash FROM accounts")
    assert stored.startswith("$argon2id$") and "mat-khau-dung" not in stored
    assert auth.get_account(ctx.db, "hung.nguyen").name == "Hùng.Nguyen"
    result = auth.authenticate(ctx.db, "HUNG.NGUYEN", "mat-khau-dung", SETTINGS, NOW)
    assert result.status == "ok" and result.account.role == "admin"


@pytest.mark.parametrize(
    "role, unit, message",
    [
        ("uploader", None, "cần một đơn vị"),
        ("uploader", "99999", "không có trong danh mục"),
        ("viewer", "703", "Chỉ tài khoản người nộp báo cáo"),
        ("superuser", None, "Vai trò “superuser” không hợp lệ"),
    ],
)
def test_role_and_unit_are_checked(ctx, role, unit, message):
    with pytest.raises(auth.AuthError, match=message):
        add(ctx, "nguoi-dung", role, unit)
    assert auth.account_count(ctx.db) == 0


def test_names_passwords_and_duplicates_are_checked(ctx):
    with pytest.raises(auth.AuthError, match="ít nhất 8 ký tự"):
        add(ctx, "ngan", password="ngan")
    with pytest.raises(auth.AuthError, match="không hợp lệ"):
        add(ctx, "có khoảng trắng")
    add(ctx, "an.nv")
    with pytest.raises(auth.AuthError, match="đã có"):
        add(ctx, "AN.NV")
    with pytest.raises(auth.AuthError, match="không khớp"):
        auth.check_password("mat-khau-mot", SETTINGS, confirm="mat-khau-hai")


def test_the_last_active_admin_cannot_be_disabled_or_demoted(ctx):
    add(ctx, "quantri", "admin")
    with pytest.raises(auth.AuthError, match="quản trị cuối cùng"):
        auth.set_active(ctx.db, "quantri", False, "tester")
    with pytest.raises(auth.AuthError, match="quản trị cuối cùng"):
        auth.set_role(ctx.db, "quantri", "viewer", None, ctx.units, "tester")
    add(ctx, "quantri2", "admin")
    auth.set_active(ctx.db, "quantri", False, "tester")
    assert not auth.get_account(ctx.db, "quantri").active


def test_password_role_and_status_changes_end_open_sessions(ctx):
    account = add(ctx, "xem", "viewer")
    assert auth.session_valid(ctx.db, "xem", account.session_epoch) == account
    auth.set_password(ctx.db, "xem", "mat-khau-moi-1", "tester", SETTINGS)
    assert auth.session_valid(ctx.db, "xem", account.session_epoch) is None
    assert auth.authenticate(ctx.db, "xem", "mat-khau-dung", SETTINGS, NOW).status == "wrong"
    signed = auth.authenticate(ctx.db, "xem", "mat-khau-moi-1", SETTINGS, NOW + dt.timedelta(minutes=1))
    assert signed.status == "ok"
    auth.set_role(ctx.db, "xem", "uploader", "703", ctx.units, "tester")
    assert auth.session_valid(ctx.db, "xem", signed.account.session_epoch) is None
    epoch = auth.get_account(ctx.db, "xem").session_epoch
    auth.set_active(ctx.db, "xem", False, "tester")
    assert auth.session_valid(ctx.db, "xem", epoch) is None


# -- sign-in: slow down, then lock --------------------------------------------------------------------
def test_repeated_failures_slow_down_then_lock_even_the_right_password(ctx):
    add(ctx, "xem")
    at = NOW
    for failure in range(1, 3):
        assert auth.authenticate(ctx.db, "xem", "sai-mat-khau", SETTINGS, at).status == "wrong"
    third = auth.authenticate(ctx.db, "xem", "sai-mat-khau", SETTINGS, at)
    assert third.status == "wrong" and third.wait_seconds == 5
    # within the wait even the right password is not checked
    waiting = auth.authenticate(ctx.db, "xem", "mat-khau-dung", SETTINGS, at + dt.timedelta(seconds=2))
    assert waiting.status == "wait" and 2 < waiting.wait_seconds <= 3
    at += dt.timedelta(seconds=6)
    assert auth.authenticate(ctx.db, "xem", "sai-mat-khau", SETTINGS, at).wait_seconds == 10  # doubling
    at += dt.timedelta(seconds=11)
    assert auth.authenticate(ctx.db, "xem", "sai-mat-khau", SETTINGS, at).status == "wrong"
    at += dt.timedelta(seconds=21)
    locked = auth.authenticate(ctx.db, "xem", "sai-mat-khau", SETTINGS, at)  # the 6th failure
    assert locked.status == "locked" and locked.locked_until == at + dt.timedelta(minutes=15)
    assert auth.authenticate(ctx.db, "xem", "mat-khau-dung", SETTINGS, at + dt.timedelta(minutes=14)).status == "locked"
    listed = auth.list_accounts(ctx.db)
    assert listed.loc[0, "name"] == "xem"
    after = auth.authenticate(ctx.db, "xem", "mat-khau-dung", SETTINGS, at + dt.timedelta(minutes=16))
    assert after.status == "ok"
    actions = audit.entries(ctx.db)["action"].tolist()
    assert actions.count("sign_in_failed") == 6 and "account_locked" in actions and "sign_in_refused" in actions


def test_unknown_names_and_disabled_accounts_fail_like_a_wrong_password(ctx):
    add(ctx, "xem")
    add(ctx, "quantri", "admin")
    auth.set_active(ctx.db, "xem", False, "tester")
    assert auth.authenticate(ctx.db, "xem", "mat-khau-dung", SETTINGS, NOW).status == "wrong"
    assert auth.authenticate(ctx.db, "khong-co", "mat-khau-dung", SETTINGS, NOW).status == "wrong"
    outcomes = [
        auth.authenticate(ctx.db, "khong-co", "x" * 8, SETTINGS, NOW + dt.timedelta(minutes=2 * i)).status
        for i in range(1, 6)
    ]  # failures 2 to 6, each after its wait
    assert outcomes == ["wrong"] * 4 + ["locked"]
    reasons = [json.loads(d)["reason"] for d in audit.entries(ctx.db, actions=["sign_in_failed"])["detail"]]
    assert {"disabled", "unknown"} <= set(reasons)


# -- upload scope ---------------------------------------------------------------------------------------
def test_an_uploader_covers_their_unit_and_the_units_under_it():
    communes_of_703 = {u.code for u in UNITS if u.parent_code == "703"}
    district = auth.Account("huyen", "uploader", "703", True, 0)
    assert auth.scope_units(district, UNITS) == {"703"} | communes_of_703
    assert len(communes_of_703) > 5 and "705" not in auth.scope_units(district, UNITS)
    commune = auth.Account("xa", "uploader", "25456", True, 0)
    assert auth.scope_units(commune, UNITS) == {"25456"}
    province = auth.Account("tinh", "uploader", "72", True, 0)
    assert auth.scope_units(province, UNITS) == {u.code for u in UNITS}
    assert auth.scope_units(auth.Account("qt", "admin", None, True, 0), UNITS) is None
    assert auth.scope_units(auth.Account("xem", "viewer", None, True, 0), UNITS) == set()
    assert auth.scope_units(None, UNITS) is None


# -- command line -----------------------------------------------------------------------------------------
def test_users_cli_reads_the_password_from_standard_input(tmp_path):
    db = tmp_path / "cli.duckdb"
    done = cli("add", "quantri", "--role", "admin", stdin="mat-khau-quan-tri\n", db=db)
    assert done.returncode == 0, done.stderr
    assert "Đã thêm tài khoản “quantri”" in done.stdout
    assert "mat-khau-quan-tri" not in done.stdout + done.stderr
    needs_unit = cli("add", "nop703", "--role", "uploader", stdin="mat-khau-nop-1\n", db=db)
    assert needs_unit.returncode == 1 and "cần một đơn vị" in needs_unit.stderr and "--unit" in needs_unit.stderr
    assert cli("add", "nop703", "--role", "uploader", "--unit", "703", stdin="mat-khau-nop-1\n", db=db).returncode == 0
    no_password = cli("passwd", "nop703", db=db)
    assert no_password.returncode == 1 and "Không nhận được mật khẩu" in no_password.stderr
    assert cli("passwd", "nop703", stdin="mat-khau-nop-2\n", db=db).returncode == 0
    assert cli("disable", "nop703", db=db).returncode == 0
    listed = json.loads(cli("list", "--json", db=db).stdout)["accounts"]
    assert [(a["name"], a["role"], a["unit_code"], a["unit_name"], a["active"]) for a in listed] == [
        ("nop703", "uploader", "703", "Thành đoàn Tây Ninh", False),
        ("quantri", "admin", None, None, True),
    ]
    assert set(listed[0]) == {
        "name",
        "role",
        "unit_code",
        "unit_name",
        "active",
        "created_at",
        "last_sign_in_at",
        "locked_until",
    }
    missing = cli("disable", "ai-do", db=db)
    assert missing.returncode == 1 and "Không có tài khoản “ai-do”" in missing.stderr
    with Database(db) as store:
        assert auth.authenticate(store, "nop703", "mat-khau-nop-2", SETTINGS).status == "wrong"  # disabled
        log = audit.entries(store)
    assert {"account_add", "account_password", "account_disable"} <= set(log["action"])
    assert set(log[log["action"].str.startswith("account_")]["actor"]) == {audit.cli_actor()}


def test_the_password_is_never_a_command_line_argument(tmp_path):
    refused = cli("add", "quantri", "--role", "admin", "--password", "mat-khau-quan-tri", db=tmp_path / "x.duckdb")
    assert refused.returncode == 2 and "--password" in refused.stderr


def test_users_cli_says_plainly_when_a_process_keeps_the_store_past_the_wait(tmp_path):
    db = tmp_path / "held.duckdb"
    with Database(db):  # held for good (linger None), unlike the dashboard's lease
        held = cli(
            "add", "quantri", "--role", "admin", stdin="mat-khau-quan-tri\n", db=db, env={"ANTQ_BUSY_TIMEOUT": "1"}
        )
    assert held.returncode == 3 and "Traceback" not in held.stderr
    assert "đang chờ tối đa 1 giây" in held.stderr and "vẫn bận sau 1 giây chờ" in held.stderr


def test_users_cli_works_beside_a_store_the_dashboard_lets_go(tmp_path):
    db = tmp_path / "shared.duckdb"
    with Database(db, linger=0.2) as dashboard:  # as ui/state.py opens it: the file is let go between runs
        assert dashboard.scalar("SELECT count(*) FROM accounts") == 0
        added = cli("add", "quantri", "--role", "admin", stdin="mat-khau-quan-tri\n", db=db)
        assert added.returncode == 0, added.stderr
        assert dashboard.scalar("SELECT name FROM accounts") == "quantri"  # the next use sees the command's write


# -- nothing in plain text --------------------------------------------------------------------------------
def test_the_database_file_holds_no_plaintext_password(tmp_path):
    db = tmp_path / "secret.duckdb"
    password, wrong, changed = "Mật-khẩu-bí-mật-2022", "Sai-bét-nhè-9999", "Đổi-mới-hoàn-toàn-77"
    assert cli("add", "quantri", "--role", "admin", stdin=password + "\n", db=db).returncode == 0
    with Database(db) as store:
        assert auth.authenticate(store, "quantri", wrong, SETTINGS).status == "wrong"
        assert auth.authenticate(store, "quantri", password, SETTINGS).status == "ok"
        auth.set_password(store, "quantri", changed, "tester", SETTINGS)
        audit.record(store, "tester", "export", {"password": password, "file": "x.csv"})
        hashes = store.df("SELECT password_hash FROM accounts")["password_hash"].tolist()
    data = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("secret.duckdb"))
    for secret in (password, wrong, changed):
        for encoding in ("utf-8", "utf-16-le"):
            assert secret.encode(encoding) not in data
    assert hashes[0].startswith("$argon2id$") and hashes[0].encode() in data  # the file is readable as bytes


def _talk(fd: int, until: bytes, timeout: float = 60) -> bytes:
    import select

    seen = b""
    while until not in seen:
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            raise AssertionError(f"no {until!r} within {timeout}s; got {seen!r}")
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    return seen


def _add_on_a_terminal(db, first: bytes, second: bytes) -> tuple[int, str]:
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # the child: a CLI whose controlling terminal is the pseudo-terminal
        os.chdir(ROOT)
        os.execv(
            sys.executable,
            [sys.executable, "-m", "analytics", "users", "add", "quantri", "--role", "admin", "--db", str(db)],
        )
    shown = _talk(fd, "Mật khẩu: ".encode())
    os.write(fd, first + b"\n")
    shown += _talk(fd, "Nhập lại mật khẩu: ".encode())
    os.write(fd, second + b"\n")
    shown += _talk(fd, b"\x00never")  # read to the end
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), shown.decode("utf-8", "replace")


def test_on_a_terminal_the_password_is_asked_twice_and_not_echoed(tmp_path):
    db = tmp_path / "tty.duckdb"
    code, text = _add_on_a_terminal(db, b"mat-khau-tty-1", b"mat-khau-tty-2")
    assert code == 1 and "Hai lần nhập mật khẩu không khớp nhau." in text
    code, text = _add_on_a_terminal(db, b"mat-khau-tty-1", b"mat-khau-tty-1")
    assert code == 0, text
    assert "Đã thêm tài khoản “quantri”" in text and "mat-khau-tty-1" not in text
    with Database(db) as store:
        assert auth.authenticate(store, "quantri", "mat-khau-tty-1", SETTINGS).status == "ok"
