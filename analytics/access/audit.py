"""The audit log: who did what and when (sign-ins, uploads, rollbacks, exports, account changes).

Colleagues' code calls `record(db, actor, action, detail)`; inside an open write transaction pass `cur=` so the
entry commits (or rolls back) with the change it describes.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import re
from typing import TYPE_CHECKING

from analytics.core.i18n import t

if TYPE_CHECKING:  # imported by every command: keep pandas and duckdb out of its start
    import duckdb
    import pandas as pd

    from analytics.store.database import Database

# Actions the product records; others are accepted too (shown by their code when no label exists).
ACTIONS = (
    "sign_in",
    "sign_in_failed",
    "sign_in_refused",
    "sign_out",
    "account_locked",
    "upload",
    "rollback",
    "export",
    "account_add",
    "account_disable",
    "account_enable",
    "account_password",
    "account_role",
    "report_hand_in",
    "report_accept",
    "report_return",
    "report_download",  # the units' year-end reports (V.2)
)
_SECRET_KEY = re.compile(r"pass|secret|token|hash", re.IGNORECASE)
_INSERT = "INSERT INTO audit_log (actor, action, detail) VALUES (?, ?, ?)"


def cli_actor() -> str:
    """The actor recorded for a command-line change: the operating-system user."""
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no user name available (containers)
        return "cli"


def _clean(detail: dict | None) -> str | None:
    """JSON text of `detail` without any key that could hold a secret (a password never reaches the log)."""
    if not detail:
        return None
    kept = {key: value for key, value in detail.items() if not _SECRET_KEY.search(str(key))}
    return json.dumps(kept, ensure_ascii=False, default=str, sort_keys=True)


def record(
    db: Database,
    actor: str | None,
    action: str,
    detail: dict | None = None,
    cur: duckdb.DuckDBPyConnection | None = None,
) -> None:
    """Append one entry. With `cur` (an open `db.transaction()` cursor) it commits with the caller's change."""
    params = [actor, action, _clean(detail)]
    if cur is not None:
        cur.execute(_INSERT, params)
        return
    with db.transaction(bump_version=False) as tx:  # no figure a page caches depends on the log
        tx.execute(_INSERT, params)


def entries(
    db: Database,
    start: dt.date | None = None,
    end: dt.date | None = None,
    actor: str | None = None,
    actions: list[str] | None = None,
    limit: int = 5000,
) -> pd.DataFrame:
    """Entries newest first, filtered by day range (inclusive), actor and actions."""
    return db.named(
        "audit_entries",
        {
            "start": start,
            "end": end,
            "actor": actor or None,
            "actions": list(actions) if actions else None,
            "limit": limit,
        },
    )


def actors(db: Database) -> list[str]:
    return db.named("audit_actors")["actor"].tolist()


def action_label(action: str, language: str | None = None) -> str:
    key = f"audit.action.{action}"
    label = t(key, language)
    return action if label == key else label


def describe(detail: str | None, language: str | None = None) -> str:
    """A one-line reading of an entry's detail: `Tài khoản: xem · Vai trò: viewer` (empty values left out)."""
    if not isinstance(detail, str) or not detail:
        return ""
    try:
        values = json.loads(detail)
    except ValueError:
        return detail
    return _describe(values, language)


def _describe(values, language: str | None) -> str:
    if not isinstance(values, dict):
        return str(values)
    parts = []
    for key, value in values.items():
        if value is None or value == "" or value == {}:
            continue
        label = t(f"audit.key.{key}", language)
        label = key if label == f"audit.key.{key}" else label
        if isinstance(value, dict):
            shown = f"({_describe(value, language)})"
        else:  # a coded value (a failure's reason) is worded by the catalogue when it has a word for it
            worded = t(f"audit.value.{key}.{value}", language)
            shown = value if worded == f"audit.value.{key}.{value}" else worded
        parts.append(f"{label}: {shown}")
    return " · ".join(parts)
