"""Bringing a store up to the reference files: the plan, its taxonomy and the unit registry are copied into the
store's tables when the files changed (a fingerprint of their contents is kept in `meta`)."""

from __future__ import annotations

import hashlib

from analytics.core.text import fold
from analytics.reference.plan import Plan
from analytics.reference.registry import Unit
from analytics.store.database import Database


def fingerprint(plan: Plan, units: tuple[Unit, ...]) -> str:
    return hashlib.sha256(repr((plan, units)).encode()).hexdigest()


def has_reference(db: Database, plan: Plan, units: tuple[Unit, ...]) -> bool:
    """True when the store holds exactly these plan, taxonomy and registry files."""
    return db.meta(f"reference:{plan.id}") == fingerprint(plan, units)


def sync_reference(db: Database, plan: Plan, units: tuple[Unit, ...]) -> bool:
    """Load the plan, taxonomy and registry into the store when the files changed. True if synced."""
    expected = fingerprint(plan, units)
    if db.read_only or db.meta(f"reference:{plan.id}") == expected:
        return False
    with db.transaction() as cur:
        cur.execute("DELETE FROM units")
        _insert(  # name_key folds both names, so a search finds a unit by either
            cur,
            "units (code, name, level, kind, parent_code, district_code, valid_from, valid_to, note, name_key, "
            "admin_name, symbol, superior_line, committee_line, standing_committee, unconfirmed)",
            [
                (u.code, u.name, u.level, u.kind, u.parent_code, u.district_code, u.valid_from, u.valid_to, u.note)
                + (fold(f"{u.name} {u.admin_name}"), u.admin_name, u.symbol, u.superior_line, u.committee_line)
                + (u.standing_committee, " ".join(u.unconfirmed))
                for u in units
            ],
        )
        cur.execute("DELETE FROM activity_groups")
        _insert(cur, "activity_groups", [(g.code, g.label, g.label_en, i) for i, g in enumerate(plan.groups)])
        cur.execute("DELETE FROM activity_types")
        _insert(
            cur,
            "activity_types",
            [(a.code, a.label, a.label_en, a.group, i, fold(a.label)) for i, a in enumerate(plan.activity_types)],
        )
        cur.execute("DELETE FROM target_types WHERE plan_id = ?", [plan.id])
        cur.execute("DELETE FROM targets WHERE plan_id = ?", [plan.id])
        cur.execute("INSERT OR REPLACE INTO plans VALUES (?, ?, ?, ?)", [plan.id, plan.name, plan.start, plan.deadline])
        _insert(
            cur,
            "targets",
            [(plan.id, tg.id, tg.level, tg.description, tg.minimum, i) for i, tg in enumerate(plan.targets)],
        )
        _insert(cur, "target_types", [(plan.id, tg.id, code) for tg in plan.targets for code in tg.activity_types])
        db.set_meta(cur, f"reference:{plan.id}", expected)
    return True


def _insert(cur, table: str, rows: list[tuple]) -> None:
    """All `rows` into `table` in one statement (executemany prepares and runs one statement a row: 0.2 s for the
    registry, on every start of a fresh store)."""
    if rows:
        columns = list(zip(*rows))
        values = ", ".join(f"unnest($c{i})" for i in range(len(columns)))
        cur.execute(f"INSERT INTO {table} SELECT {values}", {f"c{i}": list(c) for i, c in enumerate(columns)})
