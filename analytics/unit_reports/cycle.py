"""The plan's reporting cycle (V.2): units hand in their year-end report (Word file + signed scan) by the deadline;
the province sees who has reported and accepts or returns each report.

States of a unit's report at a moment:
  missing       chưa nộp                  nothing handed in
  missing_scan  thiếu bản scan            the Word file only
  missing_word  thiếu file Word           the scan only
  handed_in     đã nộp                    both, the report first complete by the deadline (end of that day)
  late          nộp trễ                   both, first complete after the deadline
  accepted      đã tiếp nhận              the province accepted the latest version
  returned      trả lại                   the province returned the latest version (with a reason)
A unit counts as handed in when its state is handed_in, late or accepted (a returned report must come again);
on time when, besides, its report was first complete by the deadline (a return does not make it late).
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from analytics.access import audit
from analytics.context import Context
from analytics.core.i18n import t
from analytics.core.settings import DATA_DIR
from analytics.core.text import format_date, nfc
from analytics.reference.registry import Unit
from analytics.store.database import sql
from analytics.unit_reports.files import (
    KINDS,
    CheckedFile,
    ReportFileError,
    download_name,
    files_dir,
    read_bytes,
    store_bytes,
)

if TYPE_CHECKING:
    import pandas as pd

STATES = ("missing", "missing_scan", "missing_word", "handed_in", "late", "accepted", "returned")
HANDED_IN_STATES = ("handed_in", "late", "accepted")
OPEN_STATES = ("missing", "missing_scan", "missing_word", "returned")  # still owed to the province


class ReportError(ValueError):
    """A refused hand-in or review (unknown unit, out of scope, nothing to review); a sentence for the user."""


class ReportScopeError(ReportError):
    """The user may not hand in for that unit."""


@dataclass(frozen=True)
class ReportSettings:
    """[unit_reports] in data/settings.toml."""

    max_file_mb: float = 20.0
    include_grassroots: bool = False
    deadline: str = ""  # YYYY-MM-DD; empty: the plan's deadline

    @property
    def max_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)


def load_report_settings(path: Path | None = None) -> ReportSettings:
    path = Path(os.environ.get("ANTQ_SETTINGS", path or DATA_DIR / "settings.toml"))
    raw = tomllib.loads(path.read_text(encoding="utf-8")).get("unit_reports", {})
    return ReportSettings(**raw)


def deadline(ctx: Context, settings: ReportSettings) -> dt.date:
    return dt.date.fromisoformat(settings.deadline) if settings.deadline else ctx.plan.deadline


def deadline_end(day: dt.date) -> dt.datetime:
    """A report is on time up to the end of the deadline's day."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)


def expected_units(ctx: Context, settings: ReportSettings) -> list[Unit]:
    """District-level and affiliated unions (and grassroots unions when the setting says so) active in the plan."""
    levels = ("district", "commune") if settings.include_grassroots else ("district",)
    return [u for u in ctx.units if u.level in levels and u.active_between(ctx.plan.start, ctx.plan.deadline)]


# -- reading ------------------------------------------------------------------------------------------------
@dataclass
class UnitReport:
    unit: Unit
    state: str
    overdue: bool  # past the deadline and still owed
    on_time: bool | None  # None: never complete
    report_id: int | None = None
    version: int | None = None
    handed_in_at: dt.datetime | None = None
    by: str | None = None
    channel: str | None = None
    files: list[dict] = field(default_factory=list)
    review: dict | None = None
    complete_at: dt.datetime | None = None

    @property
    def handed_in(self) -> bool:
        return self.state in HANDED_IN_STATES

    def missing_kinds(self) -> list[str]:
        present = {f["kind"] for f in self.files}
        return [kind for kind in KINDS if kind not in present]


def _none(value):
    import pandas as pd  # imported when used: `status` and `catalog` start without pandas

    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def _when(value) -> dt.datetime | None:
    import pandas as pd

    value = _none(value)
    return value.to_pydatetime() if isinstance(value, pd.Timestamp) else value


def unit_reports(ctx: Context, settings: ReportSettings, at: dt.datetime | None = None) -> list[UnitReport]:
    """Every expected unit's report as it stood at `at` (default: now), in registry order."""
    at = at or dt.datetime.now()
    due = deadline_end(deadline(ctx, settings))
    params = {"plan_id": ctx.plan.id, "at": at}
    versions = ctx.db.df(sql("versions"), params)
    files = ctx.db.df(sql("files"), {"plan_id": ctx.plan.id})
    reviews = ctx.db.df(sql("reviews"), params)
    files_by_report: dict[int, list[dict]] = {}
    for row in files.itertuples():
        files_by_report.setdefault(int(row.report_id), []).append(
            {
                "kind": row.kind,
                "name": row.name,
                "bytes": int(row.bytes),
                "sha256": row.sha256,
                "media_type": row.media_type,
                "position": int(row.position),
            }
        )
    last_review = _last_reviews(reviews)
    by_unit: dict[str, list] = {}
    for row in versions.itertuples():
        by_unit.setdefault(row.unit_code, []).append(row)
    result = []
    for unit in expected_units(ctx, settings):
        history = by_unit.get(unit.code, [])
        if not history:
            result.append(UnitReport(unit, "missing", at >= due, None))
            continue
        latest = history[-1]
        kinds_of = [{f["kind"] for f in files_by_report.get(int(v.id), [])} for v in history]
        complete_at = next((_when(v.handed_in_at) for v, kinds in zip(history, kinds_of) if set(KINDS) <= kinds), None)
        report = UnitReport(
            unit,
            "",
            False,
            None if complete_at is None else complete_at < due,
            int(latest.id),
            int(latest.version),
            _when(latest.handed_in_at),
            _none(latest.handed_in_by),
            latest.channel,
            files_by_report.get(int(latest.id), []),
            last_review.get(int(latest.id)),
            complete_at,
        )
        missing = report.missing_kinds()
        if report.review and report.review["state"] in ("accepted", "returned"):
            report.state = report.review["state"]
        elif missing:
            report.state = "missing_word" if "word" in missing else "missing_scan"
        else:
            report.state = "handed_in" if report.on_time else "late"
        report.overdue = report.state in OPEN_STATES and at >= due
        result.append(report)
    return result


def _last_reviews(reviews) -> dict[int, dict]:
    """Each report's last review: {report id: {"state", "reason", "by", "at"}}."""
    return {
        int(r.report_id): {
            "state": r.state,
            "reason": _none(r.reason),
            "by": _none(r.reviewed_by),
            "at": _when(r.reviewed_at),
        }
        for r in reviews.itertuples()
    }


def history(ctx: Context, unit_code: str) -> list[dict]:
    """Every version of a unit's report, newest first, with its files and its last review."""
    frame = ctx.db.df(sql("unit_versions"), {"plan_id": ctx.plan.id, "unit_code": unit_code})
    reviews = ctx.db.df(sql("reviews"), {"plan_id": ctx.plan.id, "at": dt.datetime.max})
    last_review = _last_reviews(reviews)
    out = []
    for row in frame.itertuples():
        files = ctx.db.df(sql("version_files"), {"report_id": int(row.id)})
        out.append(
            {
                "report_id": int(row.id),
                "version": int(row.version),
                "handed_in_at": _when(row.handed_in_at),
                "by": _none(row.handed_in_by),
                "channel": row.channel,
                "files": files.to_dict(orient="records"),
                "review": last_review.get(int(row.id)),
            }
        )
    return out


def summary(reports: list[UnitReport]) -> dict:
    expected = len(reports)
    handed = sum(r.handed_in for r in reports)
    on_time = sum(r.handed_in and bool(r.on_time) for r in reports)
    return {
        "expected": expected,
        "handed_in": handed,
        "on_time": on_time,
        "late": sum(r.handed_in and r.on_time is False for r in reports),
        "missing_scan": sum(r.state == "missing_scan" for r in reports),
        "returned": sum(r.state == "returned" for r in reports),
        "accepted": sum(r.state == "accepted" for r in reports),
        "overdue": sum(r.overdue for r in reports),
        "handed_in_share": handed / expected if expected else 0.0,
        "on_time_share": on_time / expected if expected else 0.0,
    }


def completeness_by_district(reports: list[UnitReport], units: tuple[Unit, ...]) -> pd.DataFrame:
    """Per district-level union: expected units, handed in, on time and their shares, worst first."""
    import pandas as pd

    by_code = {u.code: u for u in units}
    rows: dict[str, dict] = {}
    for report in reports:
        code = report.unit.district_code or report.unit.code
        name = by_code[code].name if code in by_code else code
        row = rows.setdefault(code, {"code": code, "name": name, "expected": 0, "handed_in": 0, "on_time": 0})
        row["expected"] += 1
        row["handed_in"] += report.handed_in
        row["on_time"] += report.handed_in and bool(report.on_time)
    frame = pd.DataFrame(list(rows.values()), columns=["code", "name", "expected", "handed_in", "on_time"])
    frame["handed_in_share"] = frame["handed_in"] / frame["expected"].where(frame["expected"] > 0)
    frame["on_time_share"] = frame["on_time"] / frame["expected"].where(frame["expected"] > 0)
    return frame.sort_values(["handed_in_share", "on_time_share", "name"], kind="stable").reset_index(drop=True)


def report_document(ctx: Context, settings: ReportSettings, at: dt.datetime | None = None) -> dict:
    """The `reports list --json` document (a published interface: add keys, never rename)."""
    reports = unit_reports(ctx, settings, at)
    figures = summary(reports)
    return {
        "deadline": deadline(ctx, settings).isoformat(),
        "as_of": (at or dt.datetime.now()).isoformat(sep=" ", timespec="minutes"),
        "expected": figures["expected"],
        "handed_in": figures["handed_in"],
        "on_time": figures["on_time"],
        "late": figures["late"],
        "overdue": figures["overdue"],
        "units": [
            {
                "code": r.unit.code,
                "name": r.unit.name,
                "union": r.unit.name,
                "level": r.unit.level,
                "district_code": r.unit.district_code,
                "state": r.state,
                "overdue": r.overdue,
                "on_time": r.on_time,
                "version": r.version,
                "handed_in_at": r.handed_in_at.isoformat(sep=" ", timespec="minutes") if r.handed_in_at else None,
                "by": r.by,
                "channel": r.channel,
                "files": [
                    {"kind": f["kind"], "name": f["name"], "bytes": f["bytes"], "sha256": f["sha256"]} for f in r.files
                ],
                "review": (
                    {
                        "state": r.review["state"],
                        "reason": r.review["reason"],
                        "by": r.review["by"],
                        "at": r.review["at"].isoformat(sep=" ", timespec="minutes") if r.review["at"] else None,
                    }
                    if r.review
                    else None
                ),
            }
            for r in reports
        ],
    }


def reminder_text(
    ctx: Context,
    settings: ReportSettings,
    reports: list[UnitReport],
    at: dt.datetime | None = None,
    language: str | None = None,
) -> str:
    """A message ready to send to the units that still owe their report (empty when none does)."""
    owing = [r for r in reports if r.state in OPEN_STATES]
    if not owing:
        return ""
    day = deadline(ctx, settings)
    past = (at or dt.datetime.now()) >= deadline_end(day)
    lines = [
        t(
            "reports.reminder.past" if past else "reports.reminder.intro",
            language,
            deadline=format_date(day),
            plan=ctx.plan.name,
        ),
        "",
    ]
    for report in owing:
        what = t(f"reports.state.{report.state}", language)
        if report.state == "returned" and report.review and report.review.get("reason"):
            what = t("reports.reminder.returned", language, reason=report.review["reason"])
        lines.append(f"- {report.unit.name}: {what}")
    lines += ["", t("reports.reminder.closing", language)]
    return "\n".join(lines)


# -- changes ------------------------------------------------------------------------------------------------
def _unit(ctx: Context, settings: ReportSettings, unit_code: str) -> Unit:
    code = nfc(unit_code or "").strip()
    unit = next((u for u in ctx.units if u.code == code), None)
    if unit is None:
        raise ReportError(t("reports.error.unknown_unit", code=code))
    if unit.code not in {u.code for u in expected_units(ctx, settings)}:
        raise ReportError(t("reports.error.not_expected", name=unit.name))
    return unit


@dataclass(frozen=True)
class HandIn:
    report_id: int
    version: int
    unit: Unit
    state: str
    message: str


def hand_in(
    ctx: Context,
    settings: ReportSettings,
    unit_code: str,
    files: list[CheckedFile],
    actor: str | None,
    allowed_units: set[str] | None = None,
    received_at: dt.datetime | None = None,
    channel: str = "web",
    now: dt.datetime | None = None,
) -> HandIn:
    """Stores a new version of a unit's report. Files of a kind not given are carried over from the version
    before (a unit may hand in its Word file first and the scan later). `received_at`: when the report came by
    email or on paper (the caller lets only an admin give it). All or nothing; audited."""
    unit = _unit(ctx, settings, unit_code)
    if allowed_units is not None and unit.code not in allowed_units:
        raise ReportScopeError(t("reports.error.scope", name=unit.name))
    words = [f for f in files if f.kind == "word"]
    if not files:
        raise ReportError(t("reports.error.no_files"))
    if len(words) > 1:
        raise ReportError(t("reports.error.one_word"))
    now = now or dt.datetime.now()
    if received_at is not None and received_at > now:
        raise ReportError(t("reports.error.received_future"))
    folder = files_dir(ctx.db.path)
    for checked in files:  # bytes first: a stored file nobody points to is harmless, the reverse is not
        store_bytes(folder, checked.data)
    given = {f.kind for f in files}
    with ctx.db.transaction() as cur:
        latest = cur.execute(sql("latest"), {"plan_id": ctx.plan.id, "unit_code": unit.code}).fetchone()
        version = (latest[1] if latest else 0) + 1
        carried = []
        if latest:
            carried = [
                row
                for row in cur.execute(sql("version_files"), {"report_id": latest[0]}).fetchall()
                if row[0] not in given
            ]
        report_id = cur.execute(
            sql("insert_report"),
            {
                "plan_id": ctx.plan.id,
                "unit_code": unit.code,
                "version": version,
                "handed_in_at": received_at or now,
                "recorded_at": now,
                "handed_in_by": actor,
                "channel": "received" if received_at else channel,
            },
        ).fetchone()[0]
        positions: dict[str, int] = {}
        for checked in files:
            positions[checked.kind] = positions.get(checked.kind, 0) + 1
            cur.execute(
                sql("insert_file"),
                {
                    "report_id": report_id,
                    "kind": checked.kind,
                    "position": positions[checked.kind],
                    "name": checked.name,
                    "bytes": checked.size,
                    "sha256": checked.sha256,
                    "media_type": checked.media_type,
                },
            )
        for kind, position, name, size, digest, media_type in carried:
            cur.execute(
                sql("insert_file"),
                {
                    "report_id": report_id,
                    "kind": kind,
                    "position": position,
                    "name": name,
                    "bytes": size,
                    "sha256": digest,
                    "media_type": media_type,
                },
            )
        audit.record(
            ctx.db,
            actor,
            "report_hand_in",
            {
                "unit": unit.code,
                "version": version,
                "files": ", ".join(f"{f.kind}: {f.name}" for f in files),
                "received": received_at.isoformat(sep=" ", timespec="minutes") if received_at else None,
            },
            cur=cur,
        )
    state = next(r.state for r in unit_reports(ctx, settings, max(now, received_at or now)) if r.unit.code == unit.code)
    return HandIn(
        report_id,
        version,
        unit,
        state,
        t("reports.handed_in", name=unit.name, version=version, state=t(f"reports.state.{state}")),
    )


def review(
    ctx: Context,
    settings: ReportSettings,
    unit_code: str,
    accept: bool,
    reason: str | None,
    actor: str | None,
    now: dt.datetime | None = None,
) -> str:
    """Accepts or returns (with a reason) a unit's latest report version; returns the sentence to show."""
    unit = _unit(ctx, settings, unit_code)
    reason = nfc(reason or "").strip() or None
    if not accept and not reason:
        raise ReportError(t("reports.error.reason_needed"))
    now = now or dt.datetime.now()
    latest = ctx.db.df(sql("latest"), {"plan_id": ctx.plan.id, "unit_code": unit.code})
    if latest.empty:
        raise ReportError(t("reports.error.nothing_to_review", name=unit.name))
    report_id = int(latest["id"].iloc[0])
    kinds = set(ctx.db.df(sql("version_files"), {"report_id": report_id})["kind"])
    if accept and not set(KINDS) <= kinds:
        raise ReportError(t("reports.error.incomplete", name=unit.name))
    with ctx.db.transaction() as cur:
        cur.execute(
            sql("insert_review"),
            {
                "report_id": report_id,
                "state": "accepted" if accept else "returned",
                "reason": None if accept else reason,
                "reviewed_by": actor,
                "reviewed_at": now,
            },
        )
        audit.record(
            ctx.db,
            actor,
            "report_accept" if accept else "report_return",
            {"unit": unit.code, "version": int(latest["version"].iloc[0]), "reason": reason},
            cur=cur,
        )
    key = "reports.accepted" if accept else "reports.returned"
    return t(key, name=unit.name, reason=reason or "")


def stored_files(ctx: Context, unit_code: str, kind: str, report_id: int | None = None) -> list[tuple[str, bytes]]:
    """(download name, bytes) of a kind's files in a unit's latest version (or the given one), page order."""
    if kind not in KINDS:
        raise ReportError(t("reports.error.kind", kind=kind))
    if report_id is None:
        latest = ctx.db.df(sql("latest"), {"plan_id": ctx.plan.id, "unit_code": unit_code})
        if latest.empty:
            raise ReportError(t("reports.error.no_report", code=unit_code))
        report_id = int(latest["id"].iloc[0])
    version = ctx.db.scalar(sql("version_of"), {"report_id": report_id, "unit_code": unit_code})
    if version is None:
        raise ReportError(t("reports.error.no_report", code=unit_code))
    rows = ctx.db.df(sql("version_files"), {"report_id": report_id})
    rows = rows[rows["kind"] == kind]
    if rows.empty:
        raise ReportError(t("reports.error.no_file", code=unit_code, kind=t(f"reports.kind.{kind}")))
    folder = files_dir(ctx.db.path)
    return [
        (
            download_name(unit_code, kind, row.media_type, int(row.position), int(version)),
            read_bytes(folder, row.sha256),
        )
        for row in rows.itertuples()
    ]


def download(
    ctx: Context, unit_code: str, kind: str, actor: str | None, report_id: int | None = None
) -> list[tuple[str, bytes]]:
    """`stored_files`, recording the download in the audit log."""
    found = stored_files(ctx, unit_code, kind, report_id)
    audit.record(
        ctx.db,
        actor,
        "report_download",
        {"unit": unit_code, "kind": kind, "files": ", ".join(name for name, _ in found)},
    )
    return found


# -- the draft Word report ----------------------------------------------------------------------------------
def draft_as_of(ctx: Context, today: dt.date | None = None) -> dt.date:
    today = today or dt.date.today()
    return max(ctx.plan.start, min(today, ctx.plan.deadline))


def draft_report(ctx: Context, unit_code: str, today: dt.date | None = None) -> tuple[str, bytes]:
    """The unit's results report in Word to fill in and sign (the one place that calls the report builder, so
    it can be re-pointed): a district-level union's covers its district, a grassroots union's itself."""
    from analytics.outputs.report_docx import report_bytes, report_file_name

    unit = next(u for u in ctx.units if u.code == unit_code)
    as_of = draft_as_of(ctx, today)
    if unit.level == "district":
        return report_file_name(ctx, as_of, None, unit.code), report_bytes(ctx, as_of, None, unit.code)
    return report_file_name(ctx, as_of, unit.code, None), report_bytes(ctx, as_of, unit.code, None)


__all__ = [
    "ReportError",
    "ReportScopeError",
    "ReportFileError",
    "ReportSettings",
    "HandIn",
    "UnitReport",
    "STATES",
    "load_report_settings",
    "deadline",
    "expected_units",
    "unit_reports",
    "history",
    "summary",
    "completeness_by_district",
    "report_document",
    "reminder_text",
    "hand_in",
    "review",
    "stored_files",
    "download",
    "draft_report",
]
