"""The plan (period and targets) and the activity-type taxonomy, loaded from TOML files in data/."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

from analytics.core.i18n import t

LEVELS = ("province", "district", "commune")


class PlanError(ValueError):
    """A plan or taxonomy file that cannot be used; the message names file, entry and problem."""


@dataclass(frozen=True)
class ActivityGroup:
    code: str
    label: str
    label_en: str


@dataclass(frozen=True)
class ActivityType:
    code: str
    label: str
    label_en: str
    group: str


@dataclass(frozen=True)
class Target:
    id: str
    level: str
    description: str
    description_en: str
    minimum: int
    activity_types: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    id: str
    name: str
    name_en: str
    start: dt.date
    deadline: dt.date
    issuer: str
    place: str
    targets: tuple[Target, ...]
    groups: tuple[ActivityGroup, ...]
    activity_types: tuple[ActivityType, ...]
    number: str = ""  # the plan as a document: "391-KH/TĐTN-VP"; blank when unknown
    date: dt.date | None = None  # the plan's date; None when unknown
    issued_by: str = ""  # "Ban Thường vụ Tỉnh đoàn"

    @property
    def days(self) -> int:
        return (self.deadline - self.start).days

    def target(self, target_id: str) -> Target:
        return next(tg for tg in self.targets if tg.id == target_id)

    def targets_for(self, level: str) -> tuple[Target, ...]:
        return tuple(tg for tg in self.targets if tg.level == level)

    def elapsed_share(self, as_of: dt.date) -> float:
        return min(max((as_of - self.start).days / self.days, 0.0), 1.0)


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlanError(t("plan.error.missing_file", file=path)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PlanError(t("plan.error.syntax", file=path, detail=exc)) from None


def _require(entry: dict, key: str, kind: type, file: Path, where: str):
    value = entry.get(key)
    if value is None or value == "":
        raise PlanError(t("plan.error.field_missing", file=file, entry=where, field=key))
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise PlanError(t("plan.error.field_type", file=file, entry=where, field=key, value=value))
    return value


def load_taxonomy(path: Path) -> tuple[tuple[ActivityGroup, ...], tuple[ActivityType, ...]]:
    raw = _read_toml(path)
    groups, types, seen = [], [], set()
    for gi, group in enumerate(raw.get("group", []), start=1):
        where = f"group #{gi}"
        code = _require(group, "code", str, path, where)
        groups.append(ActivityGroup(code, _require(group, "label", str, path, where), group.get("label_en", "")))
        for ti, entry in enumerate(group.get("type", []), start=1):
            where = f"group {code}, type #{ti}"
            type_code = _require(entry, "code", str, path, where)
            if type_code in seen:
                raise PlanError(t("plan.error.duplicate", file=path, entry=where, value=type_code))
            seen.add(type_code)
            types.append(
                ActivityType(type_code, _require(entry, "label", str, path, where), entry.get("label_en", ""), code)
            )
    if not types:
        raise PlanError(t("plan.error.no_types", file=path))
    return tuple(groups), tuple(types)


def load_plan(path: Path, taxonomy_path: Path) -> Plan:
    groups, types = load_taxonomy(taxonomy_path)
    known_types = {at.code for at in types}
    raw = _read_toml(path)
    start = _require(raw, "start", dt.date, path, "plan")
    deadline = _require(raw, "deadline", dt.date, path, "plan")
    if deadline <= start:
        raise PlanError(t("plan.error.period", file=path, start=start, deadline=deadline))
    targets, seen = [], set()
    for i, entry in enumerate(raw.get("target", []), start=1):
        where = f"target #{i}"
        target_id = _require(entry, "id", str, path, where)
        where = f"target {target_id}"
        if target_id in seen:
            raise PlanError(t("plan.error.duplicate", file=path, entry=where, value=target_id))
        seen.add(target_id)
        level = _require(entry, "level", str, path, where)
        if level not in LEVELS:
            raise PlanError(t("plan.error.level", file=path, entry=where, value=level))
        minimum = _require(entry, "minimum", int, path, where)
        if minimum < 1:
            raise PlanError(t("plan.error.minimum", file=path, entry=where, value=minimum))
        codes = _require(entry, "activity_types", list, path, where)
        unknown = [code for code in codes if code not in known_types]
        if unknown or not codes:
            raise PlanError(t("plan.error.unknown_type", file=path, entry=where, value=", ".join(unknown)))
        targets.append(
            Target(
                target_id,
                level,
                _require(entry, "description", str, path, where),
                entry.get("description_en", ""),
                minimum,
                tuple(codes),
            )
        )
    if not targets:
        raise PlanError(t("plan.error.no_targets", file=path))
    date = raw.get("date")
    if date is not None and (not isinstance(date, dt.date) or isinstance(date, dt.datetime)):
        raise PlanError(t("plan.error.field_type", file=path, entry="plan", field="date", value=date))
    return Plan(
        number=str(raw.get("number", "")).strip(),
        date=date,
        issued_by=str(raw.get("issued_by", "")).strip(),
        id=_require(raw, "id", str, path, "plan"),
        name=_require(raw, "name", str, path, "plan"),
        name_en=raw.get("name_en", ""),
        start=start,
        deadline=deadline,
        issuer=raw.get("issuer", ""),
        place=raw.get("place", ""),
        targets=tuple(targets),
        groups=groups,
        activity_types=types,
    )
