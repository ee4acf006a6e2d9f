"""Sign-in sessions that survive a reload and a new tab: a random token the browser keeps in a cookie.

The store keeps only the token's SHA-256, the account and its session epoch, so a copied store gives no usable
token. A session ends by `end` (sign-out), by idling past `idle_minutes`, or when the account's session epoch
moves on (disabled, new password, new role: analytics/access/auth.py bumps it); an ended token is refused for good.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import threading
from typing import TYPE_CHECKING

from analytics.access import auth
from analytics.store.database import StoreWriteError

if TYPE_CHECKING:
    from analytics.store.database import Database

COOKIE = "antq_session"
TOUCH_EVERY = dt.timedelta(seconds=60)  # last_seen_at is written at most this often (a write per run is costly)
KEEP_ENDED = dt.timedelta(days=30)  # ended and long-idle sessions are deleted at the next sign-in after this


# Tokens ended while the store could not be written (disk full): refused by this server process all the same.
_ENDED_IN_MEMORY: set[str] = set()
_ENDED_LOCK = threading.Lock()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start(db: "Database", account: auth.Account, now: dt.datetime | None = None) -> str | None:
    """A new session for a signed-in account; returns the token for the browser (never stored), or None when
    the store cannot be written (disk full): the sign-in then lasts for this tab only."""
    now = now or dt.datetime.now()
    token = secrets.token_urlsafe(32)
    try:
        with db.transaction(bump_version=False) as cur:
            cur.execute("DELETE FROM sessions WHERE coalesce(ended_at, last_seen_at) < ?", [now - KEEP_ENDED])
            cur.execute(
                "INSERT INTO sessions (token_hash, name_key, session_epoch, created_at, last_seen_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [_hash(token), account.key, account.session_epoch, now, now],
            )
    except StoreWriteError:
        return None
    return token


def resume(
    db: "Database", token: str | None, idle_minutes: float, now: dt.datetime | None = None
) -> auth.Account | None:
    """The account a token signs in, or None (unknown, ended, idle too long, account changed or disabled)."""
    if not token or len(token) > 200:
        return None
    now = now or dt.datetime.now()
    key = _hash(token)
    with _ENDED_LOCK:
        if key in _ENDED_IN_MEMORY:
            return None
    with db.cursor() as cur:
        row = cur.execute(
            "SELECT name_key, session_epoch, last_seen_at, ended_at FROM sessions WHERE token_hash = ?", [key]
        ).fetchone()
    if row is None or row[3] is not None:
        return None
    name_key, epoch, last_seen, _ = row
    if now - last_seen > dt.timedelta(minutes=idle_minutes):
        _end(db, key, "idle", now)
        return None
    account = auth.session_valid(db, name_key, epoch)
    if account is None:
        _end(db, key, "account", now)
        return None
    if now - last_seen >= TOUCH_EVERY:
        try:
            with db.transaction(bump_version=False) as cur:
                cur.execute(
                    "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ? AND ended_at IS NULL", [now, key]
                )
        except StoreWriteError:  # a full disk: the session goes on, its idle clock is not moved
            pass
    return account


def end(db: "Database", token: str | None, why: str = "sign_out", now: dt.datetime | None = None) -> None:
    """Ends the session of `token` (sign-out): the token is refused from now on, in every tab and browser."""
    if token:
        _end(db, _hash(token), why, now or dt.datetime.now())


def _end(db: "Database", key: str, why: str, now: dt.datetime) -> None:
    try:
        with db.transaction(bump_version=False) as cur:
            cur.execute(
                "UPDATE sessions SET ended_at = ?, ended_why = ? WHERE token_hash = ? AND ended_at IS NULL",
                [now, why, key],
            )
    except StoreWriteError:  # a full disk must not keep anyone signed in: this process refuses the token
        with _ENDED_LOCK:
            _ENDED_IN_MEMORY.add(key)


def open_sessions(db: "Database", name: str) -> int:
    """How many sessions of the account are still open (not ended; idle ones end when next used)."""
    return int(
        db.scalar(
            "SELECT count(*) FROM sessions WHERE name_key = ? AND ended_at IS NULL",
            [auth.Account(name, "", None, True, 0).key],
        )
    )
