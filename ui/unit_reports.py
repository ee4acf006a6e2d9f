"""The reporting cycle on the pages: shared tables and the one-call pieces other pages show
(`draw_reporting_card` on the overview, `draw_overdue_reports` on the lagging page, `draw_unit_report_state` on
the unit page). The logic lives in analytics.unit_reports; nothing here reads a file's content or shows it."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from analytics import unit_reports as reports
from analytics.context import Context
from analytics.core.text import format_date, format_number, format_percent
from ui.markup import plain
from ui.state import t

HANDIN_PAGE = "app_pages/report_handin.py"
LIST_PAGE = "app_pages/unit_reports.py"


def uploader_words(max_file_mb: float, types: list[str]) -> str:
    """ui.uploader's style rule (the uploaders' button and hint in the reader's language) with this page's limit."""
    from ui.uploader import BUTTON, HINT, _css_text

    hint = t("upload.widget.hint", size=f"{max_file_mb:g}", types=", ".join(kind.upper() for kind in types))
    return (
        f"<style>{BUTTON}, {HINT} {{font-size: 0 !important}}"
        f"{BUTTON}::after {{content: {_css_text(t('upload.widget.button'))}; font-size: 0.875rem}}"
        f"{HINT}::after {{content: {_css_text(hint)}; font-size: 0.875rem}}</style>"
    )


def settings() -> reports.ReportSettings:
    return reports.load_report_settings()


def moment(value: dt.datetime | None) -> str:
    return value.strftime("%H:%M %d/%m/%Y") if value else ""


def state_label(report: reports.UnitReport) -> str:
    label = t(f"reports.state.{report.state}")
    return f"{label} · {t('reports.overdue')}" if report.overdue else label


def reports_table(report_list: list[reports.UnitReport], units) -> pd.DataFrame:
    """Who has reported, one row per expected unit, headings in the reader's language (text shown as text)."""
    names = {u.code: u.name for u in units}
    rows = []
    for r in report_list:
        files = {kind: ", ".join(f["name"] for f in r.files if f["kind"] == kind) for kind in ("word", "scan")}
        review = r.review or {}
        rows.append(
            {
                t("reports.col.unit"): r.unit.name,
                t("reports.col.district"): names.get(r.unit.district_code or "", "")
                if r.unit.level == "commune"
                else "",
                t("reports.col.state"): state_label(r),
                t("reports.col.handed_in_at"): moment(r.handed_in_at),
                t("reports.col.by"): r.by or "",
                t("reports.col.version"): str(r.version) if r.version else "",  # blank, not "None"
                t("reports.col.word"): files["word"],
                t("reports.col.scan"): files["scan"],
                t("reports.col.reason"): review.get("reason") or "",
                t("reports.col.reviewed"): f"{review.get('by') or ''} {moment(review.get('at'))}".strip(),
            }
        )
    frame = pd.DataFrame(rows)
    if not frame.empty:
        if not any(r.unit.level == "commune" for r in report_list):  # grassroots off: no "under" column
            frame = frame.drop(columns=[t("reports.col.district")])
    return frame


def district_table(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("reports.col.unit"): frame["name"],
            t("reports.col.expected"): frame["expected"],
            t("reports.col.handed_in"): frame["handed_in"],
            t("reports.col.on_time"): frame["on_time"],
            t("reports.col.handed_in_share"): frame["handed_in_share"].map(format_percent),
            t("reports.col.on_time_share"): frame["on_time_share"].map(format_percent),
        }
    )


def card_text(figures: dict) -> str:
    text = t("reports.card", handed_in=figures["handed_in"], expected=figures["expected"])
    if figures["late"]:
        text += t("reports.card.late", late=figures["late"])
    return text


# -- one call on other pages --------------------------------------------------------------------------------
def view_moment(ctx: Context, as_of: dt.date) -> dt.datetime | None:
    """Before the deadline, the end of the sidebar's as-of day (replaying the campaign replays who had reported);
    from the deadline on (the sidebar stops there), now: who is late is today's question. None means now."""
    end = dt.datetime.combine(as_of, dt.time(23, 59, 59))
    return end if as_of < reports.deadline(ctx, settings()) and end < dt.datetime.now() else None


def draw_reporting_card(ctx: Context, as_of: dt.date) -> None:
    """The overview's reporting card: "7/17 đơn vị đã nộp báo cáo, 2 nộp trễ" and a link to the list."""
    config = settings()
    figures = reports.summary(reports.unit_reports(ctx, config, view_moment(ctx, as_of)))
    day = reports.deadline(ctx, config)
    with st.container(border=True, key="reporting-card"):
        st.markdown(f"**{card_text(figures)}**")
        st.caption(
            t("reports.card.caption", deadline=format_date(day), on_time=figures["on_time"], overdue=figures["overdue"])
        )
        st.page_link(LIST_PAGE, label=t("reports.card.link"), icon=":material/assignment_turned_in:")


def draw_overdue_reports(ctx: Context, as_of: dt.date) -> None:
    """The lagging page: past the deadline (as of the sidebar's date), every unit still owing its report."""
    config = settings()
    owing = [r for r in reports.unit_reports(ctx, config, view_moment(ctx, as_of)) if r.overdue]
    if not owing:
        return
    day = format_date(reports.deadline(ctx, config))
    st.subheader(t("reports.overdue.header", count=len(owing)))
    st.dataframe(
        pd.DataFrame(
            {
                t("reports.col.unit"): [r.unit.name for r in owing],
                t("reports.col.year_report"): [t(f"reports.overdue.reason.{r.state}", deadline=day) for r in owing],
            }
        ),
        hide_index=True,
        width="stretch",
        key="overdue-reports",
        height=min(36 + 35 * len(owing), 250),
    )


def draw_unit_report_state(ctx: Context, unit_code: str, as_of: dt.date) -> None:
    """The unit page: this unit's year-end report state as of the sidebar's date (when the unit owes one)."""
    config = settings()
    report = next(
        (r for r in reports.unit_reports(ctx, config, view_moment(ctx, as_of)) if r.unit.code == unit_code), None
    )
    if report is None:
        return
    text = t("reports.unit_state", state=state_label(report), deadline=format_date(reports.deadline(ctx, config)))
    if report.handed_in_at:
        text += " " + t("reports.unit_state.when", at=moment(report.handed_in_at), version=report.version)
    if report.state == "returned" and report.review and report.review.get("reason"):
        text += " " + t("reports.unit_state.reason", reason=plain(report.review["reason"]))
    box = st.success if report.handed_in else st.warning if report.overdue or report.state == "returned" else st.info
    box(text, icon=":material/assignment:")


def count_text(value: int, total: int) -> str:
    return f"{format_number(value)}/{format_number(total)}"
