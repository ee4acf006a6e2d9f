"""The sign-in gate: who may see the dashboard, the sign-in form, the signed-in sidebar and sign-out.

Rules: once any account exists every page needs sign-in and the menu is built from the role. With no account
at all only this machine is served (loopback), with a banner saying how to create the first admin; a request
from elsewhere gets only that instruction.

Client address: `st.context.ip_address` reports None both for a loopback peer and for an unknown one, so the
gate reads the raw WebSocket peer (as Streamlit's own `connection_locality` does). An unknown peer (e.g. a Unix
socket behind a proxy) or a loopback peer carrying proxy headers (X-Forwarded-For, Forwarded, X-Real-IP) counts
as remote. A run with no server at all (AppTest: in-process, no network peer) counts as this machine.
"""

from __future__ import annotations

import ipaddress
import time
from pathlib import Path

import streamlit as st
from streamlit import runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from analytics.access import audit, auth
from analytics.access.auth import Account
from analytics.context import Context
from analytics.store.database import StoreWriteError
from ui import download_guard
from ui import sessions as browser_sessions
from ui.markup import plain
from ui.navigation import PAGES
from ui.routing import route_through_entry_point, served  # noqa: F401  (dashboard.py imports the first here)
from ui.state import context, t

_SESSION = "auth_session"  # {"account": Account, "epoch": int, "seen": float}
_NOTICE = "auth_notice"  # a message for the next sign-in form (signed out, expired)
_PROXY_HEADERS = {"x-forwarded-for", "forwarded", "x-real-ip"}
DEFAULT_URL_PATH = "tong-quan"
FIRST_ADMIN_COMMAND = ".venv/bin/python -m analytics users add quantri --role admin"  # from the project folder


def settings() -> auth.AuthSettings:
    return auth.load_auth_settings()


# -- where the request comes from ---------------------------------------------------------------
def client_locality() -> str:
    """'loopback' | 'remote' | 'unknown' | 'in_process' (no server: AppTest or bare mode)."""
    if not served():
        return "in_process"
    client = runtime.get_instance().get_client(get_script_run_ctx().session_id)
    client_context = getattr(client, "client_context", None)
    return peer_locality(getattr(client_context, "remote_ip", None), getattr(client_context, "headers", ()))


def client_address() -> str | None:
    """The WebSocket peer's IP address (None with no server). Behind a reverse proxy this is the proxy's."""
    if not served():
        return None
    client = runtime.get_instance().get_client(get_script_run_ctx().session_id)
    remote_ip = getattr(getattr(client, "client_context", None), "remote_ip", None)
    return remote_ip if isinstance(remote_ip, str) else None


def peer_locality(remote_ip: object, headers) -> str:
    """'loopback' | 'remote' | 'unknown' for a WebSocket peer address and the handshake's headers."""
    if not isinstance(remote_ip, str):
        return "unknown"
    try:
        address = ipaddress.ip_address(remote_ip.split("%")[0])
    except ValueError:
        return "unknown"
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if not address.is_loopback:
        return "remote"
    if {name.lower() for name, _ in headers} & _PROXY_HEADERS:
        return "remote"  # a proxy on this machine relays someone else
    return "loopback"


def is_this_machine() -> bool:
    return client_locality() in ("loopback", "in_process")


# -- the session --------------------------------------------------------------------------------
def current_account() -> Account | None:
    """The signed-in account (checked by the gate at the start of this run), or None."""
    session = st.session_state.get(_SESSION)
    return session["account"] if session else None


def actor_name() -> str | None:
    """Who to name in the audit log: the signed-in account, None for this machine with no accounts."""
    account = current_account()
    return account.name if account else None


def record(action: str, detail: dict | None = None) -> None:
    """Audit an action of the current user (for pages: uploads, rollbacks, exports...)."""
    audit.record(context().db, actor_name(), action, detail)


def upload_scope(ctx: Context) -> set[str] | None:
    """Unit codes the current user may upload for; None: no restriction."""
    return auth.scope_units(current_account(), ctx.units)


def notice_for_sign_in(message: str) -> None:
    """A message the sign-in form shows next (e.g. after the first admin account was created)."""
    st.session_state[_NOTICE] = message


def end_session(notice: str | None = None) -> None:
    """Forget everything this browser session held (sign-out, expiry) but the reader's language."""
    # Key by key: with clear() a sign-out sometimes stayed signed in (AppTest, once the sidebar held another widget).
    download_guard.forget_session()
    for key in list(st.session_state.keys()):
        if key != "language":
            del st.session_state[key]
    if notice:
        st.session_state[_NOTICE] = notice


def _sign_out() -> None:
    account = current_account()
    ended = browser_sessions.token()
    if account:
        try:
            audit.record(context().db, account.name, "sign_out")
        except StoreWriteError:  # a full disk must not keep anyone signed in
            pass
    end_session(t("auth.signed_out"))
    browser_sessions.forget(context(), ended)  # every tab and copy of the token: signed out


def _signed_in(ctx: Context) -> Account | None:
    session = st.session_state.get(_SESSION)
    if not session:  # a reload or a new tab: the browser's session cookie may still sign in
        restored = browser_sessions.restore(ctx, settings().idle_minutes)
        if restored is None:
            return None
        account, token = restored
        browser_sessions.adopt(token)
        st.session_state[_SESSION] = {"account": account, "epoch": account.session_epoch, "seen": time.time()}
        return account
    idle = time.time() - session["seen"] > settings().idle_minutes * 60
    account = None if idle else auth.session_valid(ctx.db, session["account"].name, session["epoch"])
    if (
        account is not None
        and browser_sessions.token()
        and browser_sessions.still_valid(ctx, settings().idle_minutes) is None
    ):
        account = None  # signed out in another tab
    if account is None:
        end_session(t("auth.signin.expired"))
        return None
    st.session_state[_SESSION] = {"account": account, "epoch": session["epoch"], "seen": time.time()}
    return account


# -- what the user sees -------------------------------------------------------------------------
def gate(ctx: Context) -> Account | None:
    """Stops the run unless the request may go on. Returns the signed-in account; None when no account exists
    and the request comes from this machine (every page is open then)."""
    browser_sessions.write_cookie()
    if auth.account_count(ctx.db) == 0:
        st.session_state.pop(_SESSION, None)
        if is_this_machine():
            download_guard.allow_session()
            command = f"{FIRST_ADMIN_COMMAND} --db {ctx.db.path}"
            st.warning(t("auth.no_accounts.local_short"), icon=":material/admin_panel_settings:")
            with st.expander(t("auth.no_accounts.how")):  # one line on a phone; the command one click away
                st.markdown(t("auth.no_accounts.local", command=command))
            return None
        _only(lambda: st.error(t("auth.no_accounts.remote", command=FIRST_ADMIN_COMMAND), icon=":material/lock:"))
    account = _signed_in(ctx)
    if account is None:
        _only(lambda: sign_in_form(ctx))
    download_guard.allow_session()
    with st.sidebar:
        st.markdown(t("auth.signed_in_as", name=plain(account.name), role=t(f"auth.role.{account.role}")))
        if account.unit_code:
            names = {u.code: u.name for u in ctx.units}
            st.caption(
                t("auth.signed_in_unit", unit=plain(f"{account.unit_code} · {names.get(account.unit_code, '')}"))
            )
        st.button(t("auth.sign_out"), icon=":material/logout:", on_click=_sign_out, key="auth-sign-out")
    return account


def _only(render) -> None:
    """Every URL of the app shows only `render` (so a bookmark keeps its page for after sign-in), then stop."""

    def only() -> None:
        render()

    st.navigation(
        [
            st.Page(
                only,
                title=t("auth.signin.title"),
                icon=":material/login:",
                url_path=spec.url_path,
                default=spec.url_path == DEFAULT_URL_PATH,
            )
            for spec in PAGES
        ],
        position="hidden",
    ).run()
    st.stop()


def sign_in_form(ctx: Context) -> None:
    _, middle, _ = st.columns([1, 2, 1])
    with middle:
        st.title(t("auth.signin.title"))
        st.caption(t("auth.signin.intro"))
        notice = st.session_state.pop(_NOTICE, None)
        if notice:
            st.info(notice)
        with st.form("auth-sign-in", clear_on_submit=True):
            name = st.text_input(t("auth.signin.name"), autocomplete="username", max_chars=auth.MAX_NAME_CHARS)
            password = st.text_input(t("auth.signin.password"), type="password", autocomplete="current-password")
            submitted = st.form_submit_button(t("auth.signin.submit"), type="primary", icon=":material/login:")
        if not submitted:
            return
        if not name.strip() or not password:
            st.warning(t("auth.signin.empty"))
            return
        result = auth.authenticate(ctx.db, name, password, settings(), address=client_address())
        del password
        if result.status == "ok":
            st.session_state[_SESSION] = {
                "account": result.account,
                "epoch": result.account.session_epoch,
                "seen": time.time(),
            }
            browser_sessions.remember(ctx, result.account)
            st.rerun()
        elif result.status == "locked":
            st.error(
                t("auth.signin.locked", until=result.locked_until.strftime("%H:%M %d/%m/%Y")),
                icon=":material/lock_clock:",
            )
        elif result.status == "wait":
            st.error(t("auth.signin.wait", seconds=max(1, round(result.wait_seconds))), icon=":material/timer:")
        elif result.wait_seconds:
            st.error(t("auth.signin.wrong_slow", seconds=max(1, round(result.wait_seconds))))
        else:
            st.error(t("auth.signin.wrong"))


def require_page(page_file: str) -> Account | None:
    """For a page, with its own `__file__`: stop unless the current user's role may open it, by the roles its
    entry in ui/navigation.PAGES lists (the same list that builds the menu)."""
    name = f"app_pages/{Path(page_file).name}"
    spec = next(spec for spec in PAGES if spec.path == name)
    return require_role(*spec.roles)


def require_role(*roles: str) -> Account | None:
    """For a page: stop unless the current user has one of `roles` (or no account exists and this machine asks).
    The menu already hides such pages; this keeps a page safe if it is ever reached another way."""
    account = current_account()
    if account is not None and account.role in roles:
        return account
    if account is None and auth.account_count(context().db) == 0 and is_this_machine():
        return None
    st.error(t("auth.forbidden", roles=", ".join(t(f"auth.role.{r}") for r in roles)))
    st.stop()
