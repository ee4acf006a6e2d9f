"""Downloads answer only the signed-in browser session that made them, and not after its sign-out; uploads are
taken only from a signed-in session.

Streamlit serves every file a download button makes at `/media/<id>`, to anyone who knows the address, until
the session that made it is cleaned up (minutes after its tab closed). Here a downloadable file answers only a
request that carries the XSRF cookie of a live session that made (or shows) that file and that is signed in
now; anything else gets 404. The cookie's token is the same in the WebSocket handshake (where a script run
reads it) and in the browser's GET for the file.

Two halves: `allow_session` / `forget_session` are called by the sign-in gate (ui/auth.py) on each run and on
sign-out; `install()` wraps Streamlit's /media and /_stcore/upload_file routes and its deferred-download executor
and is called by scripts/serve.py before the server starts (a plain `streamlit run dashboard.py` is unguarded).
"""

from __future__ import annotations

import threading

XSRF_COOKIE = "_streamlit_xsrf"

_lock = threading.Lock()
_tokens: dict[str, bytes] = {}  # session id -> XSRF token of its browser, while signed in
_made_by: dict[str, set[str]] = {}  # file id -> sessions whose deferred download made it


def xsrf_token(cookie: str | None) -> bytes | None:
    """The token inside a Streamlit XSRF cookie (its value changes mask and time; the token does not)."""
    if not cookie:
        return None
    from streamlit.web.server.starlette.starlette_app_utils import decode_xsrf_token_string

    token, _ = decode_xsrf_token_string(cookie)
    return token or None


# -- called from the app ----------------------------------------------------------------------------
def allow_session() -> None:
    """This run's session may fetch its downloads (called by the gate for a signed-in session)."""
    import streamlit as st
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    run = get_script_run_ctx()
    if run is None:
        return
    token = xsrf_token(st.context.cookies.get(XSRF_COOKIE))
    with _lock:
        if token:
            _tokens[run.session_id] = token
        else:
            _tokens.pop(run.session_id, None)


def forget_session() -> None:
    """Sign-out (or expiry): no file this session made answers any more."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    run = get_script_run_ctx()
    if run is None:
        return
    with _lock:
        _tokens.pop(run.session_id, None)
        for sessions in _made_by.values():
            sessions.discard(run.session_id)


# -- the server side ---------------------------------------------------------------------------------
def may_fetch(file_id: str, cookie: str | None, runtime=None) -> bool:
    """May a request carrying XSRF `cookie` fetch downloadable file `file_id` ("<id>.<ext>")?"""
    import os

    from streamlit.runtime import Runtime

    token = xsrf_token(cookie)
    if token is None:
        return False
    bare = os.path.splitext(file_id)[0]
    runtime = runtime or Runtime.instance()
    manager = runtime.media_file_mgr
    with _lock:
        owners = set(_made_by.get(bare, ()))
        owners |= {
            session
            for session, files in list(manager._files_by_session_and_coord.items())
            if bare in set(files.values())
        }
        candidates = [session for session in owners if _tokens.get(session) == token]
    return any(runtime._session_mgr.get_active_session_info(session) is not None for session in candidates)


def may_upload(session_id: str, cookie: str | None) -> bool:
    """Only a signed-in session (or this machine while no account exists), from its own browser, may upload: a
    session still on the sign-in form could otherwise fill the server's memory (Streamlit has no limit per session)."""
    token = xsrf_token(cookie)
    with _lock:
        return token is not None and _tokens.get(session_id) == token


def _record_maker(file_id: str, session_id: str) -> None:
    with _lock:
        _made_by.setdefault(file_id, set()).add(session_id)


def _forget_removed(existing: set[str]) -> None:
    """Drop the makers of files Streamlit has since removed (keeps the map as small as the files held)."""
    with _lock:
        if len(_made_by) > 200:
            for file_id in [f for f in _made_by if f not in existing]:
                del _made_by[file_id]


def install() -> None:
    """Wrap Streamlit's /media route (404 for a download the requester may not fetch) and its deferred-download
    executor (remember which session made each file). Call before the server starts."""
    import os

    from starlette.responses import Response
    from starlette.routing import Route
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.media_file_storage import MediaFileKind, MediaFileStorageError
    from streamlit.web.server.starlette import starlette_app

    create_media_routes = starlette_app.create_media_routes
    if getattr(create_media_routes, "guarded", False):
        return

    def guarded_routes(media_storage, base_url):
        def guard(endpoint):
            async def guarded(request):
                if request.method != "OPTIONS":
                    file_id = request.path_params["file_id"]
                    try:
                        kind = media_storage.get_file(file_id).kind
                    except MediaFileStorageError:
                        return Response(status_code=404)
                    if kind == MediaFileKind.DOWNLOADABLE and not may_fetch(file_id, request.cookies.get(XSRF_COOKIE)):
                        return Response(status_code=404)
                return await endpoint(request)

            return guarded

        return [
            Route(route.path, guard(route.endpoint), methods=sorted(route.methods or ()))
            for route in create_media_routes(media_storage, base_url)
        ]

    guarded_routes.guarded = True
    starlette_app.create_media_routes = guarded_routes

    create_upload_routes = starlette_app.create_upload_routes

    def guarded_upload_routes(runtime, upload_mgr, base_url):
        def guard(endpoint):
            async def guarded(request):
                if request.method == "PUT" and not may_upload(
                    request.path_params.get("session_id", ""), request.cookies.get(XSRF_COOKIE)
                ):
                    return Response(status_code=403)
                return await endpoint(request)

            return guarded

        return [
            Route(route.path, guard(route.endpoint), methods=sorted(route.methods or ()))
            for route in create_upload_routes(runtime, upload_mgr, base_url)
        ]

    starlette_app.create_upload_routes = guarded_upload_routes

    execute_deferred = MediaFileManager.execute_deferred

    def execute_and_record(self, file_id: str) -> str:
        with self._lock:
            entry = self._deferred_callables.get(file_id)
        url = execute_deferred(self, file_id)
        if entry is not None:
            _record_maker(os.path.splitext(url.rsplit("/", 1)[-1])[0], entry["session_id"])
            _forget_removed(set(getattr(self._storage, "_files_by_id", {})))
        return url

    MediaFileManager.execute_deferred = execute_and_record
