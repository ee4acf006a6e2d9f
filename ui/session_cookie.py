"""The session cookie set and cleared by the server, HttpOnly, so that no script in the page can read the token.

A script run has no HTTP response to put a Set-Cookie header on. So, under scripts/serve.py (and `make demo`),
the server gets one small route of its own, `POST /_antq/session`:

1. After a sign-in (or a sign-out) the script run registers a nonce here, in server memory: single use, valid
   for NONCE_SECONDS, bound to the browser's Streamlit XSRF cookie, standing for the new token (or for "clear").
2. The next run writes into the page a script that posts only that nonce to the route, same-origin, with the
   XSRF token in the `X-Xsrftoken` header (Streamlit's double-submit rule) and a JSON body.
3. The route takes the nonce out (whatever the outcome: it never answers twice) and, if it is known, fresh and
   sent by the same browser, answers 204 with `Set-Cookie: antq_session=…; Path=/; SameSite=Strict; HttpOnly`
   (`; Secure` when the request came over HTTPS, directly or per `X-Forwarded-Proto`). Anything else gets 403
   and no cookie.

The token is never in the page: the nonce is, and it is worthless once used or after NONCE_SECONDS. A browser sends
HttpOnly cookies in the WebSocket handshake, so `st.context.cookies` still reads the token on a reload.

A plain `streamlit run dashboard.py` has no such route (`installed()` is False): ui/sessions.py then writes the
cookie from the page's script as before (SameSite=Strict, not HttpOnly).
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
import time

from analytics.access.sessions import COOKIE
from ui.download_guard import XSRF_COOKIE, xsrf_token

ROUTE = "_antq/session"
NONCE_SECONDS = 60.0  # a page posts its nonce within a second of the run that wrote it
MAX_PENDING = 10_000  # nonces waiting at once (a flood of sign-ins cannot grow this without bound)
MAX_BODY = 1024  # bytes of a request body

_lock = threading.Lock()
_pending: dict[str, tuple[str | None, bytes | None, float]] = {}  # nonce -> (token or None to clear, xsrf, expiry)
_installed = False


def installed() -> bool:
    """True when this server process answers the route (scripts/serve.py called install())."""
    return _installed


def header(value: str | None, *, http_only: bool, secure: bool = False) -> str:
    """The cookie line: `value` sets the session cookie, None clears it. The one place for its attributes."""
    parts = [f"{COOKIE}={value or ''}", "Path=/", "SameSite=Strict"]
    if value is None:
        parts.append("Max-Age=0")
    if http_only:
        parts.append("HttpOnly")
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


# -- the script run's half ----------------------------------------------------------------------------
def issue(token: str | None, xsrf: bytes | None, now: float | None = None) -> str:
    """A new single-use nonce that will set the cookie to `token` (None: clear it) for the browser whose XSRF
    token is `xsrf` (None when Streamlit's XSRF protection is off)."""
    now = time.monotonic() if now is None else now
    nonce = secrets.token_urlsafe(32)
    with _lock:
        for stale in [n for n, (_, _, expiry) in _pending.items() if expiry <= now]:
            del _pending[stale]
        while len(_pending) >= MAX_PENDING:  # the oldest goes first
            del _pending[next(iter(_pending))]
        _pending[nonce] = (token, xsrf, now + NONCE_SECONDS)
    return nonce


def redeem(
    nonce: object, xsrf_cookie: str | None, xsrf_header: str | None, now: float | None = None
) -> tuple[bool, str | None]:
    """(accepted, token or None to clear). A nonce is taken out at its first use, accepted or not."""
    if not isinstance(nonce, str) or not nonce or len(nonce) > 100:
        return False, None
    now = time.monotonic() if now is None else now
    with _lock:
        entry = _pending.pop(nonce, None)
    if entry is None:
        return False, None
    token, xsrf, expiry = entry
    if now >= expiry:
        return False, None
    if xsrf is not None:  # the same browser that signed in, by Streamlit's own double-submit rule
        from streamlit.web.server.starlette.starlette_app_utils import validate_xsrf_token

        if not validate_xsrf_token(xsrf_header, xsrf_cookie) or not hmac.compare_digest(
            xsrf_token(xsrf_cookie) or b"", xsrf
        ):
            return False, None
    return True, token


def browser_xsrf(cookies) -> bytes | None:
    """The XSRF token of the browser behind a script run, from its handshake cookies (None when XSRF is off)."""
    from streamlit.web.server.server_util import is_xsrf_enabled

    if not is_xsrf_enabled():
        return None
    return xsrf_token(cookies.get(XSRF_COOKIE))


def route_path() -> str:
    """The route's address on this server (under server.baseUrlPath)."""
    from streamlit import config
    from streamlit.url_util import make_url_path

    return make_url_path(config.get_option("server.baseUrlPath") or "", ROUTE)


def page_script(nonce: str) -> str:
    """The script the page runs once: posts the nonce; the answer's Set-Cookie is out of the script's reach."""
    return (
        "<script>(function(){var m=document.cookie.match(/(?:^|;\\s*)" + XSRF_COOKIE + "=([^;]*)/);"
        "fetch(" + json.dumps(route_path()) + ",{method:'POST',credentials:'same-origin',cache:'no-store',"
        "headers:{'Content-Type':'application/json','X-Xsrftoken':m?m[1]:''},"
        "body:JSON.stringify({nonce:" + json.dumps(nonce) + "})});})();</script>"
    )


# -- the server's half --------------------------------------------------------------------------------
def _came_over_https(request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme in ("https", "wss") or forwarded == "https"


async def endpoint(request):
    from starlette.responses import Response

    refused = Response(status_code=403, headers={"Cache-Control": "no-store"})
    if request.headers.get("sec-fetch-site", "same-origin") != "same-origin":
        return refused  # another site (or a link typed elsewhere) never reaches a nonce
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        return refused  # a JSON body cannot be sent across sites without a preflight, which this route fails
    body = await request.body()
    if len(body) > MAX_BODY:
        return refused
    try:
        nonce = json.loads(body).get("nonce")
    except (ValueError, AttributeError, UnicodeDecodeError):
        return refused
    accepted, token = redeem(nonce, request.cookies.get(XSRF_COOKIE), request.headers.get("x-xsrftoken"))
    if not accepted:
        return refused
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.raw_headers.append(
        (b"set-cookie", header(token, http_only=True, secure=_came_over_https(request)).encode("latin-1"))
    )
    return response


def routes(base_url: str | None) -> list:
    from starlette.routing import Route
    from streamlit.url_util import make_url_path

    return [Route(make_url_path(base_url or "", ROUTE), endpoint, methods=["POST"])]


def install() -> None:
    """Add the route to the server Streamlit builds (call before it starts; scripts/serve.py does)."""
    global _installed
    from streamlit import config
    from streamlit.web.server.starlette import starlette_app

    create_routes = starlette_app.create_streamlit_routes
    if not getattr(create_routes, "with_session_cookie", False):

        def with_session_cookie(runtime):
            return [*routes(config.get_option("server.baseUrlPath")), *create_routes(runtime)]

        with_session_cookie.with_session_cookie = True
        starlette_app.create_streamlit_routes = with_session_cookie
    _installed = True
