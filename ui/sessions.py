"""The browser side of analytics/access/sessions.py: the session cookie, its token checked on every run.

Under scripts/serve.py (and `make demo`) the server sets and clears the cookie itself (ui/session_cookie.py):
HttpOnly, SameSite=Strict, so no script in the page can read the token. Under a plain `streamlit run
dashboard.py` there is no server route, so a script in the page writes it (SameSite=Strict, Secure over HTTPS; not
HttpOnly: a script wrote it, so scripts can read it). Either way the server reads it back from the WebSocket
handshake (`st.context.cookies`) when a tab opens or reloads. The token is checked against the store on every run,
so sign-out ends it in every tab, and a copied token is refused after.
"""

from __future__ import annotations

import json

import streamlit as st

from analytics.access import sessions
from analytics.access.auth import Account
from analytics.context import Context
from ui import session_cookie

_TOKEN = "auth_token"  # this tab's session token (session_state)
_COOKIE_OP = "auth_cookie_op"  # ("server", nonce) | ("script", token or None to clear): for the page of the next run


def token() -> str | None:
    return st.session_state.get(_TOKEN)


def remember(ctx: Context, account: Account) -> None:
    """After a successful sign-in: a new session whose token the browser keeps."""
    new = sessions.start(ctx.db, account)
    if new is None:  # the store cannot be written: signed in for this tab only
        return
    st.session_state[_TOKEN] = new
    st.session_state[_COOKIE_OP] = _cookie_op(new)


def restore(ctx: Context, idle_minutes: float) -> tuple[Account, str] | None:
    """A tab that opens (or reloads) with a live session cookie: its account and token."""
    cookie = _cookie()
    account = sessions.resume(ctx.db, cookie, idle_minutes) if cookie else None
    return (account, cookie) if account else None


def still_valid(ctx: Context, idle_minutes: float) -> Account | None:
    """This tab's token still signs in (not signed out elsewhere, not idle, the account unchanged)."""
    current = token()
    return sessions.resume(ctx.db, current, idle_minutes) if current else None


def adopt(current: str) -> None:
    st.session_state[_TOKEN] = current


def forget(ctx: Context, ended: str | None) -> None:
    """Sign-out: the token ends in the store (every tab, every copy) and the cookie is cleared."""
    sessions.end(ctx.db, ended)
    st.session_state[_COOKIE_OP] = _cookie_op(None)


def _cookie() -> str | None:
    try:
        value = st.context.cookies.get(sessions.COOKIE)
    except Exception:  # no server (AppTest, bare mode): no cookies
        return None
    return value if isinstance(value, str) else None


def _cookie_op(value: str | None) -> tuple[str, str | None]:
    """How the next page sets (`value`) or clears (None) the cookie: through the server's route when it has one."""
    if session_cookie.installed():
        try:
            cookies = st.context.cookies
        except Exception:  # no server: no browser to bind the nonce to
            cookies = {}
        return "server", session_cookie.issue(value, session_cookie.browser_xsrf(cookies))
    return "script", value


def write_cookie() -> None:
    """Writes a pending cookie change into the page (call once per run, before the page's content)."""
    op = st.session_state.pop(_COOKIE_OP, None)
    if op is None:
        return
    how, value = op
    if how == "server":  # the page posts a nonce; the server answers with the HttpOnly cookie
        script = session_cookie.page_script(value)
    else:
        cookie = session_cookie.header(value, http_only=False)
        script = (
            "<script>(function(){var c=" + json.dumps(cookie) + ";"
            "if(location.protocol==='https:'){c+='; Secure';}document.cookie=c;})();</script>"
        )
    st.html(script, unsafe_allow_javascript=True)
