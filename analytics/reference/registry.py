"""The unit registry: a CSV file an operator edits (add, rename, retire) without code changes.

A unit is named as the Youth Union names its body ("Huyện đoàn Gò Dầu", `union_name`); the administrative
unit's name ("Huyện Gò Dầu", `name` in the file) stays available as `admin_name`. Every screen, export and
report takes `Unit.name` (and the store's `units.name`), so they all show the Union's name."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from analytics.core.i18n import t
from analytics.reference.plan import LEVELS, PlanError

COLUMNS = (
    "code",
    "name",
    "level",
    "kind",
    "parent_code",
    "valid_from",
    "valid_to",
    "note",
    "union_name",
    "symbol",
    "superior_line",
    "committee_line",
    "standing_committee",
    "unconfirmed",
)  # the last six may be left off
# Columns whose value the Union has not confirmed are listed, space-separated, in `unconfirmed`.
CONFIRMABLE = ("union_name", "symbol", "superior_line", "committee_line", "standing_committee")


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
    admin_name: str = ""  # the administrative unit's name; `name` is the Union body's
    symbol: str = ""  # after "-BC/" in a document's number
    superior_line: str = ""  # heading line above the issuing committee ("HUYỆN ĐOÀN GÒ DẦU")
    committee_line: str = ""  # the issuing committee ("BCH ĐOÀN XÃ CẨM GIANG")
    standing_committee: bool = False  # signs "TM. BAN THƯỜNG VỤ" (else "TM. BAN CHẤP HÀNH")
    unconfirmed: tuple[str, ...] = ()

    @property
    def display_name(self) -> str:
        """'Huyện đoàn Gò Dầu (Huyện Gò Dầu)' where the two names differ."""
        return self.name if self.admin_name in ("", self.name) else f"{self.name} ({self.admin_name})"

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
        unconfirmed = tuple((r.get("unconfirmed") or "").split())
        unknown = [c for c in unconfirmed if c not in CONFIRMABLE]
        if unknown:
            raise PlanError(t("registry.error.unconfirmed", file=path, row=row_no, value=" ".join(unknown)))
        standing = (r.get("standing_committee") or "").strip()
        if standing not in ("", "0", "1"):
            raise PlanError(t("registry.error.standing", file=path, row=row_no, value=standing))
        admin_name = r["name"].strip()
        units.append(
            Unit(
                code=code,
                name=(r.get("union_name") or "").strip() or admin_name,
                admin_name=admin_name,
                symbol=(r.get("symbol") or "").strip(),
                superior_line=(r.get("superior_line") or "").strip(),
                committee_line=(r.get("committee_line") or "").strip(),
                standing_committee=standing == "1" if standing else level != "commune",
                unconfirmed=unconfirmed,
                level=level,
                kind=(r.get("kind") or "").strip(),
                parent_code=parent,
                district_code={"province": None, "district": code, "commune": parent}[level],
                valid_from=_date(r.get("valid_from") or "", path, row_no, "valid_from"),
                valid_to=_date(r.get("valid_to") or "", path, row_no, "valid_to"),
                note=(r.get("note") or "").strip(),
            )
        )
    return tuple(units)
