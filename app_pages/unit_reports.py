"""Báo cáo của đơn vị: who has handed in the year-end report (V.2), completeness and timeliness, a reminder to
send, and (admin) each report's files and the review: accept, or return with a reason."""

import streamlit as st

from analytics import unit_reports as reports
from analytics.access import auth
from analytics.core.text import format_date, format_number, format_percent
from analytics.unit_reports.files import download_name
from ui.auth import actor_name, current_account
from ui.downloads import table_downloads
from ui.markup import plain
from ui.state import context, language, t
from ui.unit_reports import HANDIN_PAGE, count_text, district_table, moment, reports_table, settings, state_label

ctx = context()
config = settings()
day = reports.deadline(ctx, config)
lang = language()
account = current_account()
is_admin = auth.is_admin(account)
st.title(t("reports.list.title"))
st.caption(t("reports.list.intro", deadline=format_date(day)))

done = st.session_state.pop("report_review_done", None)
if done:
    st.success(plain(done), icon=":material/check_circle:")

report_list = reports.unit_reports(ctx, config)
figures = reports.summary(report_list)
cards = st.container(horizontal=True)
for key in ("handed_in", "on_time"):  # x/17 with its share beside it
    share = format_percent(figures[f"{key}_share"])
    cards.metric(
        t(f"reports.metric.{key}"),
        count_text(figures[key], figures["expected"]),
        border=True,
        delta=share,
        delta_color="off",
        delta_arrow="off",
    )
cards.metric(t("reports.metric.late"), format_number(figures["late"]), border=True)
cards.metric(t("reports.metric.missing_scan"), format_number(figures["missing_scan"]), border=True)
cards.metric(t("reports.metric.returned"), format_number(figures["returned"]), border=True)
cards.metric(t("reports.metric.accepted"), format_number(figures["accepted"]), border=True)

# -- every unit ---------------------------------------------------------------------------------------------
st.subheader(t("reports.list.units_header"))
chosen = st.multiselect(
    t("reports.list.state_filter"),
    reports.STATES,
    default=reports.STATES,
    key="reports-state-filter",
    format_func=lambda s: t(f"reports.state.{s}"),
)
shown = [r for r in report_list if r.state in chosen]
table = reports_table(shown, ctx.units)
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    key="reports-table",
    column_config={t("reports.col.version"): st.column_config.NumberColumn(format="%d", width="small")},
)
stated = {t("reports.list.deadline"): format_date(day)}  # what the downloads state they were filtered by
table_downloads(table, "bao-cao-cua-don-vi", stated, "reports-table", title=t("reports.list.title"))

# -- completeness and timeliness per district ------------------------------------------------------------------
st.subheader(t("reports.list.district_header"))
st.caption(
    t(
        "reports.list.district_help",
        handed_in=format_percent(figures["handed_in_share"]),
        on_time=format_percent(figures["on_time_share"]),
    )
)
districts = district_table(reports.completeness_by_district(report_list, ctx.units))
st.dataframe(districts, hide_index=True, width="stretch", key="reports-districts")
table_downloads(districts, "bao-cao-theo-huyen", stated, "reports-districts", title=t("reports.list.district_header"))

# -- reminder -----------------------------------------------------------------------------------------------------
reminder = reports.reminder_text(ctx, config, report_list, language=lang)
st.subheader(t("reports.list.reminder_header"))
if reminder:
    st.caption(t("reports.list.reminder_help"))
    st.code(reminder, language=None, wrap_lines=True)
else:
    st.success(t("reports.list.all_in"), icon=":material/done_all:")

if not is_admin:
    st.stop()

# -- review (admin) -------------------------------------------------------------------------------------------
st.subheader(t("reports.review.header"))
reviewable = [r for r in report_list if r.version]
st.page_link(HANDIN_PAGE, label=t("reports.review.on_behalf"), icon=":material/assignment_add:")
if not reviewable:
    st.info(t("reports.review.none"), icon=":material/info:")
    st.stop()
code = st.selectbox(
    t("reports.review.unit"),
    [r.unit.code for r in reviewable],
    key="reports-review-unit",
    format_func=lambda c: next(f"{r.unit.name} · {state_label(r)}" for r in reviewable if r.unit.code == c),
)
report = next(r for r in reviewable if r.unit.code == code)
st.markdown(
    t("reports.review.version", version=report.version, at=moment(report.handed_in_at), by=plain(report.by or "–"))
)
actor = actor_name()
buttons = st.container(horizontal=True)
scan_pages = sum(f["kind"] == "scan" for f in report.files)
for index, item in enumerate(report.files):

    def _file(kind=item["kind"], position=int(item["position"])) -> bytes:
        return reports.download(ctx, code, kind, actor, report.report_id)[position - 1][1]

    label = t(f"reports.download.{item['kind']}")
    if item["kind"] == "scan" and scan_pages > 1:
        label += f" ({item['position']})"
    buttons.download_button(
        label,
        _file,
        file_name=download_name(code, item["kind"], item["media_type"], int(item["position"]), report.version),
        mime="application/octet-stream",
        on_click="ignore",
        icon=":material/download:",
        key=f"reports-file-{code}-{index}",
    )
if report.review:
    st.caption(
        t(
            "reports.review.last",
            state=t(f"reports.review.{report.review['state']}"),
            by=plain(report.review.get("by") or "–"),
            at=moment(report.review.get("at")),
        )
    )


def review(accept: bool, reason: str | None) -> None:
    try:
        st.session_state["report_review_done"] = reports.review(ctx, config, code, accept, reason, actor)
    except reports.ReportError as exc:
        st.error(plain(exc))
        st.stop()
    st.rerun()


accept_column, return_column = st.columns(2)
with accept_column:
    if st.button(
        t("reports.review.accept"),
        type="primary",
        icon=":material/task_alt:",
        key="reports-accept",
        disabled=bool(report.missing_kinds()) or report.state == "accepted",
    ):
        review(True, None)
    if report.missing_kinds():
        st.caption(t("reports.review.accept_needs_both"))
with return_column:
    with st.form(f"reports-return-{code}", clear_on_submit=True, border=False):
        reason = st.text_area(t("reports.review.reason"), key=f"reports-reason-{code}", max_chars=1000)
        returned = st.form_submit_button(t("reports.review.return"), icon=":material/undo:")
    if returned:
        review(False, reason)
