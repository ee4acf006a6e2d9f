"""Accounts, roles and sign-in: argon2id hashes, slowed-down then locked sign-in, upload scope by unit.

Roles: viewer (browse and export), uploader (also uploads for one unit and the units under it), admin
(everything). A password only ever passes through `hash_password` / `authenticate`: it is never stored,
logged or put in the audit log.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import threading
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Iterable

from analytics.access import audit
from analytics.core.i18n import t
from analytics.core.settings import DATA_DIR
from analytics.core.text import fold, nfc
from analytics.reference.registry import Unit
from analytics.store.database import Database, StoreWriteError, sql

ROLES = ("viewer", "uploader", "admin")
_NAME = re.compile(r"^[\w.@-]{3,64}$")


@cache
def _argon2():
    from argon2 import PasswordHasher

    return PasswordHasher()  # argon2id, RFC 9106 low-memory profile


class _LazyHasher:
    """The argon2 hasher, made on first use: every command imports this module, few hash."""

    def __getattr__(self, name: str):
        return getattr(_argon2(), name)


_hasher = _LazyHasher()
# Verified when the name is unknown, so an unknown name costs as much time as a wrong password (hashed on first use).


@cache
def _dummy_hash() -> str:
    return _hasher.hash("antq-dummy-password-for-timing")


class AuthError(ValueError):
    """A refused account change; the message is for the user (Vietnamese first)."""


@dataclass(frozen=True)
class AuthSettings:
    """[auth] in data/settings.toml."""

    slow_after_failures: int = 3
    slow_down_seconds: float = 5.0
    max_slow_down_seconds: float = 60.0
    lock_after_failures: int = 6
    lock_minutes: float = 15.0
    min_password_length: int = 8
    idle_minutes: float = 240.0
    # Per client address (one password tried across many names): slow down after this many failures...
    address_slow_after_failures: int = 10
    # ...forgotten once the address has had no failure for this long.
    address_forget_minutes: float = 15.0

    def wait_after(self, failures: int) -> float:
        """Seconds a further attempt must wait after `failures` consecutive failures (0: none)."""
        if failures < self.slow_after_failures:
            return 0.0
        return min(self.max_slow_down_seconds, self.slow_down_seconds * 2 ** (failures - self.slow_after_failures))


def load_auth_settings(path: Path | None = None) -> AuthSettings:
    path = Path(os.environ.get("ANTQ_SETTINGS", path or DATA_DIR / "settings.toml"))
    raw = tomllib.loads(path.read_text(encoding="utf-8")).get("auth", {})
    return AuthSettings(**raw)


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    unit_code: str | None
    active: bool
    session_epoch: int

    @property
    def key(self) -> str:
        return fold(self.name)


@dataclass(frozen=True)
class SignIn:
    """Outcome of a sign-in attempt. status: ok | wrong | wait | locked."""

    status: str
    account: Account | None = None
    wait_seconds: float = 0.0
    locked_until: dt.datetime | None = None


# -- names, passwords, roles ------------------------------------------------------------------
def check_name(name: str) -> str:
    name = nfc(name or "").strip()
    if not _NAME.match(name):
        raise AuthError(t("auth.error.name", name=name))
    return name


def check_password(password: str, settings: AuthSettings, confirm: str | None = None) -> None:
    if confirm is not None and password != confirm:
        raise AuthError(t("auth.error.confirm"))
    if len(password or "") < settings.min_password_length:
        raise AuthError(t("auth.error.short", length=settings.min_password_length))
    if password != password.strip():
        raise AuthError(t("auth.error.spaces"))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_role(role: str, unit_code: str | None, units: Iterable[Unit]) -> str | None:
    if role not in ROLES:
        raise AuthError(t("auth.error.role", role=role, roles=", ".join(ROLES)))
    unit_code = (unit_code or "").strip() or None
    if role == "uploader" and not unit_code:
        raise AuthError(t("auth.error.unit_needed"))
    if role != "uploader" and unit_code:
        raise AuthError(t("auth.error.unit_only_uploader"))
    if unit_code and unit_code not in {u.code for u in units}:
        raise AuthError(t("auth.error.unit_unknown", unit=unit_code))
    return unit_code


def is_admin(account: Account | None) -> bool:
    """May `account` do an administrator's work (roll back a submission, review a report, record its receipt)?
    None is this machine's operator with no sign-in in force: the command line without --user, or the dashboard
    before the first account exists."""
    return account is None or account.role == "admin"


def scope_units(account: Account | None, units: Iterable[Unit]) -> set[str] | None:
    """Unit codes `account` may upload for; None: no restriction (admin, or no sign-in in force).

    An uploader covers their unit and every unit under it (a district covers its communes; the
    province covers all). A viewer may upload for none.
    """
    if account is None or account.role == "admin":
        return None
    if account.role != "uploader" or not account.unit_code:
        return set()
    children: dict[str, list[str]] = {}
    for unit in units:
        if unit.parent_code:
            children.setdefault(unit.parent_code, []).append(unit.code)
    scope, todo = set(), [account.unit_code]
    while todo:
        code = todo.pop()
        if code not in scope:
            scope.add(code)
            todo.extend(children.get(code, ()))
    return scope


# -- reading ----------------------------------------------------------------------------------
def account_count(db: Database) -> int:
    return int(db.scalar(sql("auth_account_count")))


def get_account(db: Database, name: str) -> Account | None:
    rows = db.named("auth_account", {"name_key": fold(nfc(name or "").strip())})
    if rows.empty:
        return None
    row = rows.iloc[0]
    return Account(
        row["name"],
        row["role"],
        row["unit_code"] if isinstance(row["unit_code"], str) else None,
        bool(row["active"]),
        int(row["session_epoch"]),
    )


def list_accounts(db: Database):
    return db.named("auth_accounts")


def require_account(db: Database, name: str) -> Account:
    account = get_account(db, name)
    if account is None:
        raise AuthError(t("auth.error.no_account", name=name))
    return account


# -- changes (each one audited in the same transaction) ----------------------------------------
def add_account(
    db: Database,
    name: str,
    password: str,
    role: str,
    unit_code: str | None,
    units: Iterable[Unit],
    actor: str | None,
    settings: AuthSettings,
) -> Account:
    name = check_name(name)
    unit_code = check_role(role, unit_code, units)
    check_password(password, settings)
    password_hash = hash_password(password)
    with db.transaction() as cur:
        if cur.execute(sql("auth_name_taken"), [fold(name)]).fetchone()[0]:
            raise AuthError(t("auth.error.exists", name=name))
        cur.execute(sql("auth_insert"), [fold(name), name, role, unit_code, password_hash, actor])
        audit.record(db, actor, "account_add", {"account": name, "role": role, "unit": unit_code}, cur=cur)
    return Account(name, role, unit_code, True, 0)


def set_password(db: Database, name: str, password: str, actor: str | None, settings: AuthSettings) -> None:
    """New password; ends the account's open sessions and lifts any sign-in lock."""
    account = require_account(db, name)
    check_password(password, settings)
    password_hash = hash_password(password)
    with db.transaction() as cur:
        cur.execute(sql("auth_set_password"), [password_hash, account.key])
        cur.execute(sql("auth_throttle_clear"), [account.key])
        audit.record(db, actor, "account_password", {"account": account.name}, cur=cur)


def set_active(db: Database, name: str, active: bool, actor: str | None) -> None:
    """Disable (ends open sessions) or enable an account."""
    account = require_account(db, name)
    if not active and account.role == "admin" and account.active and active_admins(db) <= 1:
        raise AuthError(t("auth.error.last_admin"))
    with db.transaction() as cur:
        cur.execute(sql("auth_set_active"), [active, account.key])
        if active:
            cur.execute(sql("auth_throttle_clear"), [account.key])
        audit.record(db, actor, "account_enable" if active else "account_disable", {"account": account.name}, cur=cur)


def set_role(
    db: Database, name: str, role: str, unit_code: str | None, units: Iterable[Unit], actor: str | None
) -> None:
    """New role (and unit for an uploader); ends the account's open sessions."""
    account = require_account(db, name)
    unit_code = check_role(role, unit_code, units)
    if role != "admin" and account.role == "admin" and account.active and active_admins(db) <= 1:
        raise AuthError(t("auth.error.last_admin"))
    with db.transaction() as cur:
        cur.execute(sql("auth_set_role"), [role, unit_code, account.key])
        audit.record(db, actor, "account_role", {"account": account.name, "role": role, "unit": unit_code}, cur=cur)


def active_admins(db: Database) -> int:
    return int(db.scalar(sql("auth_active_admins")))


# -- sign-in ------------------------------------------------------------------------------------
MAX_NAME_CHARS = 64  # a sign-in name longer than an account name can be never reaches the store
_ADDRESS_KEY = "addr:"  # throttle rows per client address; ':' never occurs in an account name's key


def _address_wait(failures: int, slow_after: int, settings: AuthSettings) -> float:
    if failures < slow_after:
        return 0.0
    return min(settings.max_slow_down_seconds, settings.slow_down_seconds * 2 ** (failures - slow_after))


def audit_name(db: Database, name: str) -> str:
    """How the audit log names a sign-in name that is no account: a keyed fingerprint, never the text itself
    (a password typed into the name field must not land in the log, its page or its export)."""
    import hashlib
    import secrets

    secret = db.meta("audit_name_secret")
    if secret is None:
        try:
            with db.transaction(bump_version=False) as cur:
                row = cur.execute(sql("auth_name_secret")).fetchone()
                secret = row[0] if row else secrets.token_hex(16)
                if not row:
                    db.set_meta(cur, "audit_name_secret", secret)
        except StoreWriteError:  # nothing can be logged now anyway
            secret = secrets.token_hex(16)
    digest = hashlib.blake2b(
        fold(nfc(name or "").strip()[:1024]).encode(), key=bytes.fromhex(secret), digest_size=5
    ).hexdigest()
    return t("auth.audit.unknown_name", fingerprint=digest, length=len(name or ""))


def _reserve(
    db: Database, key: str | None, address: str | None, settings: AuthSettings, now: dt.datetime
) -> tuple[str, float, dt.datetime | None, int]:
    """Count this attempt as a failure BEFORE its password is checked, in one transaction under the write lock.

    Returns (status, wait_seconds, locked_until, failures): status "go" lets the caller check the password; the
    reservation is what makes parallel attempts safe: each takes its own number, so at most
    `lock_after_failures` passwords are ever checked before the lock, and a lock already set is left alone.
    When the store cannot be written (disk full) the same counting runs in this process's memory instead, so
    sign-in keeps working and stays throttled.
    """
    try:
        with db.transaction(bump_version=False) as cur:

            def get(k):
                return cur.execute(sql("auth_throttle_get"), [k]).fetchone() or _MEMORY.get(k)

            def put(k, failures, at, lock):
                cur.execute(sql("auth_throttle_put"), [k, failures, at, lock])

            return _count(get, put, key, address, settings, now)
    except StoreWriteError:
        with _MEMORY_LOCK:
            return _count(_MEMORY.get, lambda k, *row: _MEMORY.__setitem__(k, row), key, address, settings, now)


_MEMORY: dict[str, tuple] = {}  # throttle rows while the store cannot be written
_MEMORY_LOCK = threading.Lock()


def _count(get, put, key, address, settings: AuthSettings, now: dt.datetime):
    row = get(key) if key else None
    failures, last_failed, locked_until = row if row else (0, None, None)
    if locked_until is not None and now < locked_until:
        return "locked", 0.0, locked_until, failures
    if locked_until is not None:  # the lock has passed: start afresh
        failures, last_failed = 0, None
    wait = settings.wait_after(failures)
    if last_failed is not None and wait and now < last_failed + dt.timedelta(seconds=wait):
        return "wait", (last_failed + dt.timedelta(seconds=wait) - now).total_seconds(), None, failures
    if address:
        address_key = _ADDRESS_KEY + address
        address_failures, address_last, _ = get(address_key) or (0, None, None)
        if address_last is not None and now - address_last > dt.timedelta(minutes=settings.address_forget_minutes):
            address_failures, address_last = 0, None
        address_wait = _address_wait(address_failures, settings.address_slow_after_failures, settings)
        if address_last is not None and address_wait and now < address_last + dt.timedelta(seconds=address_wait):
            return "wait", (address_last + dt.timedelta(seconds=address_wait) - now).total_seconds(), None, failures
        put(address_key, address_failures + 1, now, None)
    if key is None:
        return "go", 0.0, None, 0
    failures += 1
    lock = now + dt.timedelta(minutes=settings.lock_minutes) if failures >= settings.lock_after_failures else None
    put(key, failures, now, lock)
    return "go", 0.0, lock, failures


def _bookkeeping(write) -> None:
    """A sign-in's audit entry or counter update; lost (and logged) when the store cannot be written."""
    try:
        write()
    except StoreWriteError as exc:
        logging.getLogger("antq.auth").warning("sign-in bookkeeping not written: %s", exc)


def authenticate(
    db: Database,
    name: str,
    password: str,
    settings: AuthSettings,
    now: dt.datetime | None = None,
    address: str | None = None,
) -> SignIn:
    """Check a sign-in. Wrong name, wrong password and a disabled account look alike to the user.

    After `slow_after_failures` consecutive failures for a name, each further attempt must wait (doubling);
    after `lock_after_failures` the name is locked for `lock_minutes`. Attempts refused for waiting or a lock
    are not checked at all (so they cannot guess) and do not count. `address` (the client's IP) gets its own
    slow-down after `address_slow_after_failures` failures, so one password tried across many names is slowed.
    """
    now = now or dt.datetime.now()
    shown = nfc(name or "").strip()
    if len(shown) > MAX_NAME_CHARS or not _NAME.match(shown):  # no such account can exist: never stored as is
        _verify(None, password or "")
        status, wait, _, _ = _reserve(db, None, address, settings, now)
        _bookkeeping(
            lambda: audit.record(db, None, "sign_in_failed", {"account": audit_name(db, shown), "reason": "unknown"})
        )
        return SignIn("wait", wait_seconds=wait) if status == "wait" else SignIn("wrong")
    key = fold(shown)
    status, wait, lock, failures = _reserve(db, key, address, settings, now)
    stored = None
    if status == "go":
        rows = db.named("auth_account", {"name_key": key})
        stored = rows.iloc[0] if not rows.empty else None
    logged = stored["name"] if stored is not None else None
    if status == "locked":
        _bookkeeping(
            lambda: audit.record(
                db, None, "sign_in_refused", {"account": _logged_name(db, key, shown), "locked_until": lock}
            )
        )
        return SignIn("locked", locked_until=lock)
    if status == "wait":
        _bookkeeping(
            lambda: audit.record(
                db, None, "sign_in_refused", {"account": _logged_name(db, key, shown), "wait_seconds": round(wait, 1)}
            )
        )
        return SignIn("wait", wait_seconds=wait)

    matched = _verify(stored["password_hash"] if stored is not None else None, password or "")
    if stored is not None and matched and bool(stored["active"]):

        def succeeded() -> None:
            with db.transaction(bump_version=False) as cur:
                # The counter goes, and the lock this very attempt set (its number was the last allowed); a lock
                # set by another attempt stays: a lock is never shortened by an attempt in flight.
                cur.execute(sql("auth_throttle_signed_in"), [key, lock])
                if address:  # a success is no failure of the address either (an office shares one address)
                    cur.execute(sql("auth_address_signed_in"), [_ADDRESS_KEY + address])
                if _hasher.check_needs_rehash(stored["password_hash"]):
                    cur.execute(sql("auth_rehash"), [hash_password(password), key])
                cur.execute(sql("auth_signed_in"), [now, key])
                audit.record(db, stored["name"], "sign_in", None, cur=cur)

        _bookkeeping(succeeded)
        with _MEMORY_LOCK:
            if key in _MEMORY and _MEMORY[key][2] in (None, lock):
                del _MEMORY[key]
        unit = stored["unit_code"] if isinstance(stored["unit_code"], str) else None
        return SignIn("ok", Account(stored["name"], stored["role"], unit, True, int(stored["session_epoch"])))

    reason = "unknown" if stored is None else "password" if not matched else "disabled"
    account = logged or audit_name(db, shown)

    def failed() -> None:
        with db.transaction(bump_version=False) as cur:
            audit.record(
                db, None, "sign_in_failed", {"account": account, "reason": reason, "failures": failures}, cur=cur
            )
            if lock:
                audit.record(db, None, "account_locked", {"account": account, "locked_until": lock}, cur=cur)

    _bookkeeping(failed)
    if lock:
        return SignIn("locked", locked_until=lock)
    return SignIn("wrong", wait_seconds=settings.wait_after(failures))


def _logged_name(db: Database, key: str, shown: str) -> str:
    """The account's own name when it exists, else the fingerprint."""
    account = get_account(db, key)
    return account.name if account else audit_name(db, shown)


def _verify(password_hash: str | None, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    if password_hash is None:
        password_hash = _dummy_hash()
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def session_valid(db: Database, name: str, epoch: int) -> Account | None:
    """The signed-in account if it still exists, is active and nothing ended its sessions since sign-in."""
    account = get_account(db, name)
    if account is None or not account.active or account.session_epoch != epoch:
        return None
    return account
