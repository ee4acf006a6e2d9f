"""Small real stores for tests: the shipped plan and registry, activities given row by row."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import json

from analytics.context import Context, open_context
from analytics.core.settings import DATA_DIR
from analytics.core.text import fold


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


def settings_with_auth(tmp_path: Path, **values) -> Path:
    """A settings file like the shipped one (same plan, taxonomy, registry) with a different [auth] section."""
    text = (DATA_DIR / "settings.toml").read_text(encoding="utf-8").split("[auth]")[0]
    for name in ("plans/antq-2022.toml", "activity_types.toml", "units.csv"):
        text = text.replace(f'"{name}"', json.dumps(str(DATA_DIR / name)))
    text += "[auth]\n" + "".join(f"{key} = {value}\n" for key, value in values.items())
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return path
