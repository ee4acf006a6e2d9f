"""Small real stores for tests: the shipped plan and registry, activities given row by row."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from analytics.context import Context, open_context
from analytics.text import fold


def add_activities(ctx: Context, rows: list[tuple[str, str, str]], title: str = "Hoạt động thử") -> None:
    """rows: (unit_code, type_code, 'YYYY-MM-DD')."""
    with ctx.db.transaction() as cur:
        start = cur.execute("SELECT coalesce(max(id), 0) FROM activities").fetchone()[0]
        cur.executemany(
            "INSERT INTO activities (id, unit_code, type_code, title, activity_date, participants, title_key) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [[start + i + 1, unit, type_code, f"{title} {i}", dt.date.fromisoformat(day), 10, fold(f"{title} {i}")]
             for i, (unit, type_code, day) in enumerate(rows)],
        )


def make_store(path: Path, rows: list[tuple[str, str, str]] = ()) -> Context:
    ctx = open_context(path)
    if rows:
        add_activities(ctx, list(rows))
    return ctx
