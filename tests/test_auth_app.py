"""The sign-in gate in AppTest: no-account mode, sign-in and sign-out, menus by role, a forbidden URL, lockout."""

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from analytics.access import audit
from analytics.core.i18n import t
from tests.fixtures import PASSWORDS, ROOT, app_test, settings_with_auth, with_accounts
from tests.fixtures import sign_in as fill_sign_in
from ui.navigation import PAGES

BUILT = [spec for spec in PAGES if (ROOT / spec.path).exists()]


@pytest.fixture
def accounts_db(tmp_path, use_db):
    return use_db(with_accounts(tmp_path / "accounts.duckdb"))


def settings_file(tmp_path, antq_env, **values) -> None:
    """ANTQ_SETTINGS pointing at the shipped settings with a different [auth] section."""
    antq_env(settings=settings_with_auth(tmp_path, **values))


def sign_in(at: AppTest, name: str, password: str | None = None) -> AppTest:
    return fill_sign_in(at, name, PASSWORDS[name.lower()] if password is None else password)


def titles(at: AppTest) -> list[str]:
    return [title.value for title in at.title]


def reachable(at: AppTest) -> set[str]:
    """Page files the current menu lets AppTest switch to (switch_page refuses a page not in st.navigation)."""
    found = set()
    for spec in BUILT:
        try:
            at.switch_page(spec.path)
        except ValueError:
            continue
        found.add(spec.path)
    return found


def test_with_no_account_this_machine_gets_every_page_and_the_first_admin_command(empty_db, use_db):
    use_db(empty_db)
    at = app_test().run()
    assert not at.exception
    assert "Chưa có tài khoản nào" in " ".join(w.value for w in at.warning)
    how = " ".join(m.value for e in at.expander for m in e.markdown)  # the command, one click away
    assert f"python -m analytics users add quantri --role admin --db {empty_db}" in how
    assert titles(at) == ["Tổng quan"]
    assert reachable(at) == {spec.path for spec in BUILT}
    at.switch_page("app_pages/accounts.py").run()
    assert titles(at) == ["Tài khoản"] and not at.exception


def test_once_an_account_exists_every_page_needs_sign_in(accounts_db):
    at = app_test().run()
    assert not at.exception
    assert titles(at) == ["Đăng nhập"]
    assert not at.metric and not at.dataframe
    assert reachable(at) == set()  # the menu holds only the sign-in form, under every URL
    for spec in BUILT:  # what a browser asks for when it opens /<url_path>
        at._page_hash = calc_hash(spec.url_path)
        at.run()
        assert titles(at) == ["Đăng nhập"] and not at.metric, spec.url_path


def test_sign_in_then_sign_out_ends_the_session(accounts_db):
    at = app_test().run()
    sign_in(at, "xem", "mat-khau-sai-1")
    assert [e.value for e in at.error] == ["Tên đăng nhập hoặc mật khẩu không đúng."]
    sign_in(at, "XEM")
    assert not at.exception
    assert titles(at) == ["Tổng quan"]
    assert any("Đăng nhập: **xem** · Người xem" in m.value for m in at.sidebar.markdown)
    at.sidebar.button[0].click().run()
    assert titles(at) == ["Đăng nhập"]
    assert any("Đã đăng xuất" in i.value for i in at.info)
    assert "auth_session" not in at.session_state
    log = audit.entries(auth_db(accounts_db))
    assert list(log["action"])[:3] == ["sign_out", "sign_in", "sign_in_failed"]
    assert list(log["actor"])[:2] == ["xem", "xem"]


def auth_db(path):
    from analytics.core.settings import load_settings
    from ui.state import _context

    return _context(str(path), str(load_settings().plan_path)).db


@pytest.mark.parametrize(
    "name, forbidden",
    [
        (
            "xem",
            {
                "app_pages/upload.py",
                "app_pages/submissions.py",
                "app_pages/report_handin.py",
                "app_pages/accounts.py",
                "app_pages/audit.py",
            },
        ),
        ("nop703", {"app_pages/accounts.py", "app_pages/audit.py"}),
        ("quantri", set()),
    ],
)
def test_the_menu_is_built_from_the_role_and_a_forbidden_url_shows_nothing(accounts_db, name, forbidden):
    at = sign_in(app_test().run(), name)
    assert not at.exception
    built = {spec.path for spec in BUILT}
    assert reachable(at) == built - forbidden
    for spec in BUILT:
        if spec.path in forbidden:  # opening /<url_path> of a page the role may not see: it says so, shows nothing
            at._page_hash = calc_hash(spec.url_path)
            at.run()
            assert not at.exception and titles(at) == [t(spec.title_key, "vi")], spec.url_path
            for_whom = "người nộp báo cáo, quản trị" if "uploader" in spec.roles else "quản trị"
            yours = {"xem": "người xem", "nop703": "người nộp báo cáo"}[name]
            assert [w.value for w in at.warning] == [
                f"Trang này chỉ dành cho tài khoản {for_whom}; tài khoản của bạn ({yours}) không mở được. "
                "Các trang bạn dùng được nằm trong menu bên trái."
            ]
            assert not at.dataframe and not at.get("file_uploader") and [b.key for b in at.button] == ["auth-sign-out"]
    if name == "quantri":
        at.switch_page("app_pages/audit.py").run()
        assert titles(at) == ["Nhật ký hệ thống"] and not at.exception


def test_an_admin_page_run_on_its_own_still_refuses_a_visitor(accounts_db):
    at = AppTest.from_file(str(ROOT / "app_pages/audit.py"), default_timeout=60).run()  # without dashboard.py
    assert "Trang này chỉ dành cho vai trò: Quản trị." in [e.value for e in at.error]
    assert not at.dataframe


def test_repeated_failures_slow_down_the_form(accounts_db):
    at = app_test().run()
    for _ in range(2):
        sign_in(at, "xem", "mat-khau-sai-1")
    sign_in(at, "xem", "mat-khau-sai-1")
    assert "hãy đợi 5 giây trước khi thử lại" in at.error[0].value
    sign_in(at, "xem")  # the right password, too soon
    assert "hãy đợi" in at.error[0].value and titles(at) == ["Đăng nhập"]


def test_the_form_locks_after_the_set_number_of_failures(accounts_db, tmp_path, antq_env):
    settings_file(tmp_path, antq_env, slow_after_failures=99, lock_after_failures=3, lock_minutes=30)
    at = app_test().run()
    for _ in range(2):
        sign_in(at, "nop703", "mat-khau-sai-1")
        assert at.error[0].value == "Tên đăng nhập hoặc mật khẩu không đúng."
    sign_in(at, "nop703", "mat-khau-sai-1")
    assert "tạm bị khóa do đăng nhập sai nhiều lần" in at.error[0].value
    sign_in(at, "nop703")
    assert "tạm bị khóa" in at.error[0].value and titles(at) == ["Đăng nhập"]
    sign_in(at, "xem")  # another name is not affected
    assert titles(at) == ["Tổng quan"]


def test_an_admin_change_ends_the_other_accounts_session(accounts_db):
    viewer = sign_in(app_test().run(), "xem")
    assert titles(viewer) == ["Tổng quan"]
    admin = sign_in(app_test().run(), "quantri")
    admin.switch_page("app_pages/accounts.py").run()
    admin.selectbox(key="accounts-pick").select("xem").run()
    admin.button(key="accounts-toggle").click().run()
    assert any("Đã vô hiệu hóa “xem”" in s.value for s in admin.success)
    viewer.run()
    assert titles(viewer) == ["Đăng nhập"]
    assert any("Phiên đăng nhập đã kết thúc" in i.value for i in viewer.info)


def test_the_accounts_page_adds_an_uploader_and_explains_a_missing_unit(accounts_db):
    admin = sign_in(app_test().run(), "quantri")
    admin.switch_page("app_pages/accounts.py").run()
    form = [w for w in admin.text_input]
    form[0].input("nop-xa")
    admin.selectbox[0].select("uploader")
    form[1].input("mat-khau-nop-2")
    form[2].input("mat-khau-nop-2")
    admin.button[0].click().run()  # no unit chosen
    assert any("cần một đơn vị" in e.value for e in admin.error)
    admin.text_input[0].input("nop-xa")
    admin.selectbox[0].select("uploader")
    admin.selectbox[1].select("25456")
    admin.text_input[1].input("mat-khau-nop-2")
    admin.text_input[2].input("mat-khau-nop-2")
    admin.button[0].click().run()
    assert not admin.exception
    assert any("Đã thêm tài khoản “nop\\-xa”" in s.value for s in admin.success), [e.value for e in admin.error]
    shown = admin.dataframe[0].value
    assert "25456 · Đoàn phường 1" in shown["Đơn vị"].tolist()
    assert "mat-khau-nop-2" not in shown.to_csv()


def test_the_first_admin_made_on_this_machine_then_signs_in(empty_db, use_db):
    use_db(empty_db)
    at = app_test().run()
    at.switch_page("app_pages/accounts.py").run()
    assert at.selectbox[0].value == "admin"  # the first account is offered as an administrator
    at.text_input[0].input("quantri")
    at.text_input[1].input(PASSWORDS["quantri"])
    at.text_input[2].input(PASSWORDS["quantri"])
    at.button[0].click().run()
    assert titles(at) == ["Đăng nhập"]
    assert any("Đã tạo tài khoản “quantri”" in i.value for i in at.info)
    assert not at.warning  # the no-account banner is gone
    sign_in(at, "quantri")
    assert titles(at) == ["Tài khoản"]  # back where the account was made


def test_an_idle_session_must_sign_in_again(accounts_db, tmp_path, antq_env):
    settings_file(tmp_path, antq_env, idle_minutes=0)
    at = sign_in(app_test().run(), "xem")
    assert titles(at) == ["Đăng nhập"]
    assert any("Phiên đăng nhập đã kết thúc" in i.value for i in at.info)


@pytest.mark.parametrize(
    "remote_ip, headers, expected",
    [
        ("127.0.0.1", [("host", "localhost:8501")], "loopback"),
        ("::1", [], "loopback"),
        ("::ffff:127.0.0.1", [], "loopback"),
        ("127.0.0.2", [], "loopback"),
        ("127.0.0.1", [("X-Forwarded-For", "203.0.113.7")], "remote"),
        ("127.0.0.1", [("Forwarded", "for=203.0.113.7")], "remote"),
        ("192.168.1.20", [], "remote"),
        ("203.0.113.7", [], "remote"),
        (None, [("host", "antq.example")], "unknown"),  # e.g. a Unix socket behind a proxy
        ("not-an-address", [], "unknown"),
    ],
)
def test_only_a_direct_loopback_peer_counts_as_this_machine(remote_ip, headers, expected):
    from ui.auth import peer_locality

    assert peer_locality(remote_ip, headers) == expected


def test_without_a_server_the_run_counts_as_this_machine():
    from ui.auth import client_locality

    assert client_locality() == "in_process"  # no server, no network peer
