"""The server's session-cookie route (ui/session_cookie.py), called through Starlette's own routing over ASGI:
a nonce answers once, only while fresh and only for the browser it was issued to, with an HttpOnly cookie."""

from __future__ import annotations

import asyncio
import json
import os
import threading

import pytest
from starlette.applications import Starlette
from streamlit.web.server.starlette.starlette_app_utils import generate_xsrf_token_string

from analytics.access.sessions import COOKIE
from ui import session_cookie

TOKEN = "t" * 43
XSRF = os.urandom(16)


def post(
    body,
    *,
    xsrf: bytes | None = XSRF,
    header: bytes | None = XSRF,
    path: str = "/_antq/session",
    content_type: str = "application/json",
    https: bool = False,
    extra: dict | None = None,
    method: str = "POST",
) -> tuple[int, dict[str, list[str]]]:
    """One request through the route's Starlette app: (status, headers by lower-case name)."""
    app = Starlette(routes=session_cookie.routes(""))
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = [(b"host", b"127.0.0.1:8501"), (b"content-type", content_type.encode())]
    if xsrf is not None:  # a fresh encoding of the same token, as the browser's cookie and header are
        headers.append((b"cookie", f"_streamlit_xsrf={generate_xsrf_token_string(xsrf)}".encode()))
    if header is not None:
        headers.append((b"x-xsrftoken", generate_xsrf_token_string(header).encode()))
    headers += [(k.encode(), v.encode()) for k, v in (extra or {}).items()]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "https" if https else "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8501),
    }
    sent: list[dict] = []
    received = [{"type": "http.request", "body": raw, "more_body": False}]

    async def receive():
        return received.pop(0) if received else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    # A thread of its own: Playwright's sync API (the browser tests) keeps an event loop running in this one.
    worker = threading.Thread(target=lambda: asyncio.run(app(scope, receive, send)))
    worker.start()
    worker.join(30)
    start = next(m for m in sent if m["type"] == "http.response.start")
    found: dict[str, list[str]] = {}
    for name, value in start["headers"]:
        found.setdefault(name.decode().lower(), []).append(value.decode("latin-1"))
    return start["status"], found


def attributes(set_cookie: str) -> tuple[str, set[str]]:
    first, *rest = [part.strip() for part in set_cookie.split(";")]
    return first, {part.lower() for part in rest}


@pytest.fixture(autouse=True)
def no_pending():
    session_cookie._pending.clear()
    yield
    session_cookie._pending.clear()


def test_a_nonce_sets_the_token_httponly_samesite_strict_once():
    nonce = session_cookie.issue(TOKEN, XSRF)
    assert TOKEN not in session_cookie.page_script(nonce)  # the page gets the nonce, never the token
    status, headers = post({"nonce": nonce})
    assert status == 204 and headers["cache-control"] == ["no-store"]
    (cookie,) = headers["set-cookie"]
    value, attrs = attributes(cookie)
    assert value == f"{COOKIE}={TOKEN}"
    assert attrs == {"path=/", "samesite=strict", "httponly"}  # no Secure on plain http
    again, headers = post({"nonce": nonce})
    assert again == 403 and "set-cookie" not in headers  # single use


def test_sign_out_clears_the_cookie_the_same_way():
    status, headers = post({"nonce": session_cookie.issue(None, XSRF)})
    value, attrs = attributes(headers["set-cookie"][0])
    assert status == 204 and value == f"{COOKIE}="
    assert {"max-age=0", "httponly", "samesite=strict", "path=/"} <= attrs


@pytest.mark.parametrize("https", ["scheme", "proxy"])
def test_secure_when_the_request_came_over_https(https):
    nonce = session_cookie.issue(TOKEN, XSRF)
    status, headers = post(
        {"nonce": nonce}, https=https == "scheme", extra={"x-forwarded-proto": "https"} if https == "proxy" else None
    )
    assert status == 204 and "secure" in attributes(headers["set-cookie"][0])[1]


def test_an_expired_nonce_is_refused(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(session_cookie.time, "monotonic", lambda: clock[0])
    late = session_cookie.issue(TOKEN, XSRF)
    on_time = session_cookie.issue(TOKEN, XSRF)
    clock[0] += session_cookie.NONCE_SECONDS - 1
    assert post({"nonce": on_time})[0] == 204
    clock[0] += 1
    status, headers = post({"nonce": late})
    assert status == 403 and "set-cookie" not in headers
    assert session_cookie._pending == {}  # taken out all the same


@pytest.mark.parametrize("case", ["unknown", "empty", "not-a-string", "too-long", "not-json", "no-body"])
def test_a_wrong_nonce_is_refused_and_the_right_one_still_works(case):
    nonce = session_cookie.issue(TOKEN, XSRF)
    body = {
        "unknown": {"nonce": nonce[:-2] + "xx"},
        "empty": {"nonce": ""},
        "not-a-string": {"nonce": [nonce]},
        "too-long": {"nonce": nonce * 4},
        "not-json": b"nonce=" + nonce.encode(),
        "no-body": b"",
    }[case]
    status, headers = post(body)
    assert status == 403 and "set-cookie" not in headers
    assert post({"nonce": nonce})[0] == 204  # a guess does not burn someone else's nonce


@pytest.mark.parametrize("case", ["other-browser", "no-header", "header-differs", "no-cookie"])
def test_a_nonce_answers_only_the_browser_that_signed_in(case):
    nonce = session_cookie.issue(TOKEN, XSRF)
    other = os.urandom(16)
    kwargs = {
        "other-browser": {"xsrf": other, "header": other},
        "no-header": {"header": None},
        "header-differs": {"header": other},
        "no-cookie": {"xsrf": None},
    }[case]
    status, headers = post({"nonce": nonce}, **kwargs)
    assert status == 403 and "set-cookie" not in headers
    assert post({"nonce": nonce})[0] == 403  # the nonce was used up by that attempt


@pytest.mark.parametrize("case", ["cross-site", "form-post", "get"])
def test_requests_a_page_of_another_site_could_make_are_refused(case):
    nonce = session_cookie.issue(TOKEN, XSRF)
    kwargs = {
        "cross-site": {"extra": {"sec-fetch-site": "cross-site"}},
        "form-post": {"content_type": "application/x-www-form-urlencoded"},
        "get": {"method": "GET"},
    }[case]
    status, headers = post({"nonce": nonce}, **kwargs)
    assert status in (403, 405) and "set-cookie" not in headers
    assert post({"nonce": nonce})[0] == 204  # refused before the nonce was looked at


def test_with_xsrf_protection_off_the_nonce_alone_answers():
    nonce = session_cookie.issue(TOKEN, None)
    assert post({"nonce": nonce}, xsrf=None, header=None)[0] == 204


def test_pending_nonces_stay_bounded(monkeypatch):
    monkeypatch.setattr(session_cookie, "MAX_PENDING", 5)
    first = session_cookie.issue(TOKEN, XSRF)
    for _ in range(10):
        session_cookie.issue(TOKEN, XSRF)
    assert len(session_cookie._pending) == 5 and first not in session_cookie._pending


def test_the_route_sits_under_the_base_url_path():
    (route,) = session_cookie.routes("dash")
    assert route.path == "/dash/_antq/session" and route.methods >= {"POST"}
