"""The unit registry: a CSV file an operator edits (add, rename, retire) without code changes."""
from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from analytics.i18n import t
from analytics.plan import LEVELS, PlanError

COLUMNS = ("code", "name", "level", "kind", "parent_code", "valid_from", "valid_to", "note")


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    level: str
    kind: str
    parent_code: str | None
    district_code: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    note: str = ""

    def active_between(self, start: dt.date, end: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= end) and (self.valid_to is None or self.valid_to >= start)


def _date(value: str, path: Path, row: int, column: str) -> dt.date | None:
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise PlanError(t("registry.error.date", file=path, row=row, column=column, value=value)) from None


def load_units(path: Path) -> tuple[Unit, ...]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise PlanError(t("plan.error.missing_file", file=path)) from None
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in ("code", "name", "level", "parent_code") if c not in (reader.fieldnames or [])]
    if missing:
        raise PlanError(t("registry.error.columns", file=path, columns=", ".join(missing)))
    raw: list[tuple[int, dict]] = list(enumerate(reader, start=2))
    levels = {r["code"].strip(): r["level"].strip() for _, r in raw}
    units, seen = [], set()
    for row_no, r in raw:
        code, level = r["code"].strip(), r["level"].strip()
        parent = (r.get("parent_code") or "").strip() or None
        if not code or not r["name"].strip():
            raise PlanError(t("registry.error.blank", file=path, row=row_no))
        if code in seen:
            raise PlanError(t("registry.error.duplicate", file=path, row=row_no, value=code))
        seen.add(code)
        if level not in LEVELS:
            raise PlanError(t("registry.error.level", file=path, row=row_no, value=level))
        expected_parent = {"province": None, "district": "province", "commune": "district"}[level]
        if expected_parent and levels.get(parent or "") != expected_parent:
            raise PlanError(t("registry.error.parent", file=path, row=row_no, value=parent or ""))
        units.append(Unit(
            code=code,
            name=r["name"].strip(),
            level=level,
            kind=(r.get("kind") or "").strip(),
            parent_code=parent,
            district_code={"province": None, "district": code, "commune": parent}[level],
            valid_from=_date(r.get("valid_from") or "", path, row_no, "valid_from"),
            valid_to=_date(r.get("valid_to") or "", path, row_no, "valid_to"),
            note=(r.get("note") or "").strip(),
        ))
    return tuple(units)
