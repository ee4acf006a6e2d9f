"""The store: one DuckDB file, versioned migrations, one writer at a time, short-lived read cursors."""
from __future__ import annotations

import hashlib
import re
import threading
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Iterator

import duckdb
import pandas as pd

from analytics.i18n import t
from analytics.plan import Plan
from analytics.registry import Unit
from analytics.text import FOLD_SQL_MACRO, fold

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQL_DIR = Path(__file__).parent / "sql"


class StoreLockedError(RuntimeError):
    """Another process holds the DuckDB file for writing."""


class StoreError(RuntimeError):
    """The file is not a usable store."""


class StoreWriteError(RuntimeError):
    """The store could not be written (disk full, read-only file or folder): the transaction left no trace."""


def is_write_failure(exc: BaseException) -> bool:
    """An I/O failure of the store's files (as opposed to a bug or a constraint of ours)."""
    if isinstance(exc, (duckdb.IOException, duckdb.FatalException)):
        return True
    text = str(exc)
    return isinstance(exc, duckdb.Error) and ("Could not write" in text or "Failed to commit" in text
                                              or "No space left" in text or "Read-only file system" in text)


@cache
def sql(name: str) -> str:
    """A named query from analytics/sql/NAME.sql."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]


def migrations() -> list[tuple[int, Path]]:
    found = [(int(re.match(r"(\d+)_", p.name).group(1)), p) for p in MIGRATIONS_DIR.glob("*.sql")]
    return sorted(found)


class Database:
    """One connection per process; reads take a cursor each, writes go through `transaction()`."""

    def __init__(self, path: Path | str, read_only: bool = False):
        self.path = Path(path)
        self.read_only = read_only
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        elif not self.path.exists():
            raise StoreError(t("store.missing", path=self.path))
        try:
            self._con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise StoreLockedError(t("store.locked", path=self.path)) from None
            raise StoreError(t("store.unreadable", path=self.path, detail=exc)) from None
        self._write_lock = threading.RLock()
        self._con.execute(FOLD_SQL_MACRO) if not read_only else None
        if not read_only:
            self.migrate()

    # -- access -------------------------------------------------------------------------------
    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        cur = self._con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def df(self, query: str, params: dict | list | None = None) -> pd.DataFrame:
        with self.cursor() as cur:
            return cur.execute(query, params).df()

    def named(self, name: str, params: dict | None = None) -> pd.DataFrame:
        return self.df(sql(name), params)

    def scalar(self, query: str, params: dict | list | None = None):
        with self.cursor() as cur:
            row = cur.execute(query, params).fetchone()
        return row[0] if row else None

    @contextmanager
    def transaction(self, bump_version: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
        """The one write path: serialised, all-or-nothing, bumps the data version on commit.

        bump_version=False for writes no cached figure depends on (audit log, sign-in bookkeeping)."""
        with self._write_lock:
            cur = self._con.cursor()
            try:
                cur.execute(FOLD_SQL_MACRO)
                cur.begin()
            except duckdb.Error as exc:
                cur.close()
                if is_write_failure(exc):
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
            cur.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                        "applied_at TIMESTAMP DEFAULT current_localtimestamp())")
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

    # -- reference data -----------------------------------------------------------------------
    def sync_reference(self, plan: Plan, units: tuple[Unit, ...]) -> bool:
        """Load the plan, taxonomy and registry into the store when the files changed. True if synced."""
        fingerprint = hashlib.sha256(repr((plan, units)).encode()).hexdigest()
        if self.read_only or self.meta(f"reference:{plan.id}") == fingerprint:
            return False
        with self.transaction() as cur:
            cur.execute("DELETE FROM units")
            cur.executemany(
                "INSERT INTO units VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [[u.code, u.name, u.level, u.kind, u.parent_code, u.district_code, u.valid_from,
                  u.valid_to, u.note, fold(u.name)] for u in units],
            )
            cur.execute("DELETE FROM activity_groups")
            cur.executemany("INSERT INTO activity_groups VALUES (?, ?, ?, ?)",
                            [[g.code, g.label, g.label_en, i] for i, g in enumerate(plan.groups)])
            cur.execute("DELETE FROM activity_types")
            cur.executemany(
                "INSERT INTO activity_types VALUES (?, ?, ?, ?, ?, ?)",
                [[a.code, a.label, a.label_en, a.group, i, fold(a.label)] for i, a in enumerate(plan.activity_types)],
            )
            cur.execute("DELETE FROM target_types WHERE plan_id = ?", [plan.id])
            cur.execute("DELETE FROM targets WHERE plan_id = ?", [plan.id])
            cur.execute("INSERT OR REPLACE INTO plans VALUES (?, ?, ?, ?)",
                        [plan.id, plan.name, plan.start, plan.deadline])
            cur.executemany("INSERT INTO targets VALUES (?, ?, ?, ?, ?, ?)",
                            [[plan.id, tg.id, tg.level, tg.description, tg.minimum, i]
                             for i, tg in enumerate(plan.targets)])
            cur.executemany("INSERT INTO target_types VALUES (?, ?, ?)",
                            [[plan.id, tg.id, code] for tg in plan.targets for code in tg.activity_types])
            self.set_meta(cur, f"reference:{plan.id}", fingerprint)
        return True
