"""The store: one DuckDB file, versioned migrations, one writer at a time, short-lived read cursors.

DuckDB lets one process hold a file for writing. So that the dashboard and the command line share the store,
a `Database` opens the file only while it is used (a lease): `linger` seconds after the last cursor or
transaction ends the file is closed again (None: held until close(), as a short command does). Opening retries
with backoff for up to `busy_timeout` seconds while another process holds the file; a process that waits leaves
a `<store>.wait` file, and a lingering holder (the dashboard) lets the file go and opens no new lease while that
file is fresh, so a command is not starved by a busy server.
"""

from __future__ import annotations

import os
import random
import re
import threading
import time
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

import duckdb

from analytics.core.i18n import t
from analytics.core.text import FOLD_SQL_MACRO

if TYPE_CHECKING:
    import pandas as pd

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
PACKAGE_DIR = Path(__file__).resolve().parent.parent  # analytics/: each capability keeps its queries in its sql/
DEFAULT_BUSY_TIMEOUT = 30.0  # seconds; ANTQ_BUSY_TIMEOUT overrides
WAIT_FRESH = 2.0  # seconds a `.wait` file counts after its last touch (a waiter touches it every backoff step)
POLL_WAITERS = 0.1  # seconds between an idle holder's looks for a waiter


class StoreLockedError(RuntimeError):
    """Another process held the DuckDB file past the busy timeout."""


class StoreError(RuntimeError):
    """The file is not a usable store."""


class StoreWriteError(RuntimeError):
    """The store could not be written (disk full, read-only file or folder): the transaction left no trace."""


def is_write_failure(exc: BaseException) -> bool:
    """An I/O failure of the store's files (as opposed to a bug or a constraint of ours)."""
    if isinstance(exc, (duckdb.IOException, duckdb.FatalException)):
        return True
    text = str(exc)
    return isinstance(exc, duckdb.Error) and (
        "Could not write" in text
        or "Failed to commit" in text
        or "No space left" in text
        or "Read-only file system" in text
    )


@cache
def _queries() -> dict[str, Path]:
    """Every named query: analytics/<capability>/sql/NAME.sql. A name is unique across capabilities."""
    found: dict[str, Path] = {}
    for path in sorted(PACKAGE_DIR.rglob("sql/*.sql")):
        if path.stem in found:
            raise RuntimeError(f"two queries named {path.stem!r}: {found[path.stem]} and {path}")
        found[path.stem] = path
    return found


@cache
def sql(name: str) -> str:
    """A named query: analytics/<capability>/sql/NAME.sql (e.g. sql("unit_targets") from analytics/measures/sql/)."""
    return _queries()[name].read_text(encoding="utf-8")


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]


def migrations() -> list[tuple[int, Path]]:
    found = [(int(re.match(r"(\d+)_", p.name).group(1)), p) for p in MIGRATIONS_DIR.glob("*.sql")]
    return sorted(found)


def busy_timeout() -> float:
    try:
        return max(0.0, float(os.environ.get("ANTQ_BUSY_TIMEOUT", DEFAULT_BUSY_TIMEOUT)))
    except ValueError:
        return DEFAULT_BUSY_TIMEOUT


# Called with the timeout when a process starts waiting for the file; the command line prints a sentence.
default_on_busy: Callable[[float], None] | None = None


def _is_lock_error(exc: Exception) -> bool:
    return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()


class Database:
    """The store file, opened per lease; reads take a cursor each, writes go through `transaction()`.

    linger: seconds the file stays open after its last use (None: until close()). on_busy(seconds) is called
    once when an open finds the file held by another process and starts waiting.
    """

    def __init__(
        self,
        path: Path | str,
        read_only: bool = False,
        linger: float | None = None,
        timeout: float | None = None,
        on_busy: Callable[[float], None] | None = None,
    ):
        self.path = Path(path)
        self.read_only = read_only
        self.linger = linger
        self.timeout = busy_timeout() if timeout is None else timeout
        self.on_busy = on_busy
        self.wait_path = Path(f"{self.path}.wait")
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        elif not self.path.exists():
            raise StoreError(t("store.missing", path=self.path))
        self._con: duckdb.DuckDBPyConnection | None = None
        self._users = 0
        self._released_at = 0.0
        self._timer: threading.Timer | None = None
        self._state = threading.Condition(threading.RLock())
        self._held = threading.local()  # leases this thread holds (nested use never waits)
        self._write_lock = threading.RLock()
        self._write_failed = False  # a write failed for lack of space or rights (see _close_now)
        self._closed = False  # close() is final: nothing reopens the file behind its owner's back
        self.opened = 0  # how many times the file was opened (tests, benchmarks)
        if not read_only:
            self.migrate()
        else:
            with self._lease():
                pass  # a read-only store that cannot be opened says so now

    # -- the lease ----------------------------------------------------------------------------
    def _other_waiting(self) -> bool:
        try:
            return time.time() - self.wait_path.stat().st_mtime < WAIT_FRESH
        except OSError:
            return False

    def _open(self) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + self.timeout
        delay, told = 0.01, False
        try:
            while True:
                try:
                    con = duckdb.connect(str(self.path), read_only=self.read_only)
                    break
                except duckdb.Error as exc:
                    if not _is_lock_error(exc):
                        raise StoreError(t("store.unreadable", path=self.path, detail=exc)) from None
                    if time.monotonic() + delay > deadline:
                        raise StoreLockedError(
                            t("store.locked_after", path=self.path, seconds=f"{self.timeout:g}")
                        ) from None
                    if self.linger is None:  # a command: ask a lingering holder to let go
                        try:
                            self.wait_path.touch()
                        except OSError:
                            pass
                    on_busy = self.on_busy or default_on_busy
                    if not told and on_busy is not None:
                        on_busy(self.timeout)
                    told = True
                    time.sleep(delay * random.uniform(0.5, 1.0))
                    delay = min(delay * 2, 0.25)
        finally:
            if told and self.linger is None:
                self.wait_path.unlink(missing_ok=True)
        self.opened += 1
        if not self.read_only and self.opened == 1:  # the macro is stored in the file: once per process is enough
            con.execute(FOLD_SQL_MACRO)
        return con

    def _close_now(self) -> None:
        if self._con is not None:
            con, self._con = self._con, None
            if (
                self._write_failed
            ):  # a checkpoint now could write half a block: leave the file as the last commit left it
                try:
                    con.execute("PRAGMA disable_checkpoint_on_shutdown")
                except duckdb.Error:
                    pass
                self._write_failed = False
            con.close()

    def _close_if_idle(self) -> None:
        """The idle holder's poll: let the file go once unused for `linger` seconds, or at once for a waiter."""
        with self._state:
            self._timer = None
            if self._con is None or self._users:
                return
            if time.monotonic() - self._released_at >= (self.linger or 0) or self._other_waiting():
                self._close_now()
                self._state.notify_all()
            else:
                self._schedule_close()

    def _schedule_close(self) -> None:
        if self._timer is None:
            self._timer = threading.Timer(min(self.linger or 0, POLL_WAITERS), self._close_if_idle)
            self._timer.daemon = True
            self._timer.start()

    @contextmanager
    def _lease(self) -> Iterator[duckdb.DuckDBPyConnection]:
        depth = getattr(self._held, "depth", 0)
        with self._state:
            if depth == 0 and self.linger is not None:
                deadline = time.monotonic() + self.timeout
                while self._other_waiting() and time.monotonic() < deadline:
                    if self._users == 0:
                        self._close_now()  # let the waiting command in; our next use waits for it
                    self._state.wait(0.05)
            if self._con is None:
                if self._closed:  # e.g. a finalizer after the command closed the store (and after a failed write)
                    raise StoreError(t("store.closed", path=self.path))
                self._con = self._open()
            self._users += 1
        self._held.depth = depth + 1
        try:
            yield self._con
        finally:
            self._held.depth = depth
            with self._state:
                self._users -= 1
                self._released_at = time.monotonic()
                if self._users == 0 and self.linger is not None:
                    if self.linger <= 0 or self._other_waiting():
                        self._close_now()
                    else:
                        self._schedule_close()
                    self._state.notify_all()

    def is_open(self) -> bool:
        return self._con is not None

    # -- access -------------------------------------------------------------------------------
    def release(self) -> None:
        """Lets the file go now (another process may open it); the next use opens it again."""
        with self._state:
            if not self._users:
                self._close_now()

    def close(self) -> None:
        """Lets the file go for good: a later use raises StoreError instead of opening it again."""
        with self._state:
            self._closed = True
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            self._close_now()

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._lease() as con:
            cur = con.cursor()
            try:
                yield cur
            finally:
                cur.close()

    @contextmanager
    def cursor_with(self, relations: dict | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor on which each of `relations` answers to its name: a frame or Arrow table (registered as
        it is) or a `(query, params)` pair (materialised as a temporary table of this cursor only)."""
        with self.cursor() as cur:
            for name, relation in (relations or {}).items():
                if isinstance(relation, tuple):
                    cur.execute(f'CREATE TEMP TABLE "{name}" AS {relation[0]}', relation[1])
                else:
                    cur.register(name, relation)
            yield cur

    def df(self, query: str, params: dict | list | None = None, relations: dict | None = None) -> "pd.DataFrame":
        with self.cursor_with(relations) as cur:
            return cur.execute(query, params).df()

    def named(self, name: str, params: dict | None = None, relations: dict | None = None) -> "pd.DataFrame":
        return self.df(sql(name), params, relations)

    def arrow(self, query: str, params: dict | list | None = None):
        """The result as an Arrow table (immutable: a cache can hand the same one to every session)."""
        with self.cursor() as cur:
            return cur.sql(query, params=params).to_arrow_table()

    def records(self, query: str, params: dict | list | None = None, relations: dict | None = None) -> list[dict]:
        """Rows as dicts, without pandas (the command line's fast path)."""
        with self.cursor_with(relations) as cur:
            result = cur.execute(query, params)
            names = [d[0] for d in result.description]
            return [dict(zip(names, row)) for row in result.fetchall()]

    def scalar(self, query: str, params: dict | list | None = None):
        with self.cursor() as cur:
            row = cur.execute(query, params).fetchone()
        return row[0] if row else None

    @contextmanager
    def transaction(self, bump_version: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
        """The one write path: serialised, all-or-nothing, bumps the data version on commit.

        bump_version=False for writes no cached figure depends on (audit log, sign-in bookkeeping)."""
        with self._write_lock, self._lease() as con:
            cur = con.cursor()
            try:
                cur.execute(FOLD_SQL_MACRO)
                cur.begin()
            except duckdb.Error as exc:
                cur.close()
                if is_write_failure(exc):
                    self._write_failed = True
                    raise StoreWriteError(t("store.write_failed", path=self.path, detail=_first_line(exc))) from exc
                raise
            try:
                yield cur
                if bump_version:
                    cur.execute(
                        "INSERT OR REPLACE INTO meta VALUES ('data_version', "
                        "(SELECT coalesce(max(value::BIGINT), 0) + 1 FROM meta WHERE key = 'data_version')::VARCHAR)"
                    )
                cur.commit()
            except BaseException as exc:
                try:
                    cur.rollback()
                except duckdb.Error:  # a failed commit has already ended the transaction
                    pass
                if isinstance(exc, Exception) and is_write_failure(exc):
                    self._write_failed = True
                    raise StoreWriteError(t("store.write_failed", path=self.path, detail=_first_line(exc))) from exc
                raise
            finally:
                cur.close()

    # -- schema -------------------------------------------------------------------------------
    def schema_version(self) -> int:
        with self.cursor() as cur:
            exists = cur.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
            ).fetchone()[0]
            if not exists:
                return 0
            return cur.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]

    def migrate(self) -> None:
        with self._write_lock, self.cursor() as cur:
            cur.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                "applied_at TIMESTAMP DEFAULT current_localtimestamp())"
            )
            applied = {row[0] for row in cur.execute("SELECT version FROM schema_migrations").fetchall()}
            for version, path in migrations():
                if version in applied:  # a missing lower number (added later) is still applied
                    continue
                cur.begin()
                try:
                    cur.execute(path.read_text(encoding="utf-8"))
                    cur.execute("INSERT INTO schema_migrations (version) VALUES (?)", [version])
                    cur.commit()
                except BaseException:
                    cur.rollback()
                    raise

    # -- meta ---------------------------------------------------------------------------------
    def data_version(self) -> int:
        value = self.scalar("SELECT value FROM meta WHERE key = 'data_version'")
        return int(value or 0)

    def meta(self, key: str) -> str | None:
        return self.scalar("SELECT value FROM meta WHERE key = ?", [key])

    def set_meta(self, cur: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
        cur.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])
