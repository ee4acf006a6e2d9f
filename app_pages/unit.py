"""Đơn vị: one unit's targets, timeline and activities; for a district, the standing of its communes."""

import streamlit as st

from analytics.core.text import format_date, format_number, format_percent
from analytics.measures import views
from analytics.measures.status import UNIT_STATUSES, status_words
from ui import charts
from ui.downloads import activity_table, report_download, table_downloads
from ui.markup import plain
from ui.state import (
    activity_kpis,
    activity_page,
    dashboard_page,
    headed,
    stop_before_period,
    t,
    target_table,
    timeline,
    unit_status,
    unit_summary,
    unit_targets,
    wide_and_narrow,
    worded,
)
from ui.unit_reports import draw_unit_report_state

PAGE_SIZE = 50

view = dashboard_page("unit.title", page_params=("unit",))
plan = view.ctx.plan
filters = view.filter_labels()
labels = status_words(UNIT_STATUSES)

status = unit_summary(view)
names = dict(zip(status["code"], status["name"]))
wanted = st.query_params.get("unit")
if wanted in names and wanted != st.session_state.get("unit.applied"):  # a link or a lagging row chose it
    st.session_state["unit-choice"] = wanted
    st.session_state["unit-search"] = ""
    st.session_state["unit.applied"] = wanted
elif "unit-choice" not in st.session_state and st.session_state.get("view.unit") in names:
    st.session_state["unit-choice"] = st.session_state["view.unit"]

query = st.text_input(t("unit.search"), key="unit-search", placeholder=t("unit.search_placeholder"))
candidates = views.search_units(
    views.in_district(status, view.district) if view.district and not query else status, query
)
options = list(candidates["code"])
if st.session_state.get("unit-choice") not in options and options:
    st.session_state["unit-choice"] = options[0]
if not options:
    st.warning(t("unit.no_match", query=plain(query)))
    st.stop()
code = st.selectbox(
    t("unit.choose", count=len(options)), options, key="unit-choice", format_func=lambda c: f"{names[c]} ({c})"
)
st.session_state["view.unit"] = code
st.session_state["unit.applied"] = code  # the link now names this unit: not a new request
st.query_params["unit"] = code

# Severity and reasons for this unit and, for a district, its communes.
shown_units = (
    (code, *status.loc[(status["district_code"] == code) & (status["level"] == "commune"), "code"])
    if status.set_index("code").loc[code, "level"] == "district"
    else (code,)
)
details = unit_status(view, shown_units)
unit = details.set_index("code").loc[code]
district_name = names.get(unit["district_code"], "") if unit["level"] == "commune" else ""
st.header(plain(unit["name"]))
st.caption(
    " · ".join(filter(None, [t(f"level.{unit['level']}"), plain(district_name), t("unit.code", code=plain(code))]))
)
report_download(view, code)
draw_unit_report_state(view.ctx, code, view.as_of)

stop_before_period(view)

figures = activity_kpis(view, unit=code)
cards = st.container(horizontal=True)  # wraps onto more rows on a narrow screen
cards.metric(t("col.attainment"), format_percent(unit["attainment"]), border=True)
cards.metric(t("col.targets_met"), f"{unit['targets_met']}/{unit['targets_total']}", border=True)
cards.metric(t("kpi.activities"), format_number(figures["activities"]), border=True, help=t("unit.activities_help"))
last = unit["last_activity"]
cards.metric(
    t("col.last_activity"),
    format_date(last.date() if hasattr(last, "date") else last)
    if last is not None and last == last
    else t("unit.never"),
    border=True,
)
if unit["lagging"]:
    st.warning(
        t("unit.lagging", severity=t(f"severity.{unit['severity']}"))
        + "\n\n"
        + "\n".join(f"- {plain(reason)}" for reason in unit["reasons"])
    )
elif unit["targets_met"] == unit["targets_total"]:
    st.success(t("unit.all_met"))
rows = unit_targets(view)
rows = rows[rows["unit_code"] == code].copy()
if figures["activities"] and not rows["count"].sum():  # active, yet nothing it did counts for its targets
    st.info(t("unit.none_counted", count=format_number(figures["activities"])), icon=":material/info:")

# -- targets ------------------------------------------------------------------------------------------
st.subheader(t("unit.targets_heading"))
rows["status"] = views.pair_status(rows)
targets_table = target_table(rows, plan, labels, progress=True)
st.dataframe(
    targets_table,
    hide_index=True,
    width="stretch",
    key="unit-targets",
    column_config={
        t("col.progress"): st.column_config.ProgressColumn(format="%.0f%%", min_value=0, max_value=100),
        t("col.description"): st.column_config.TextColumn(width="large"),
    },
)
table_downloads(targets_table, f"chi-tieu-{code}", {**filters, t("col.unit"): unit["name"]}, "unit-targets")

# -- communes of a district ---------------------------------------------------------------------------
if unit["level"] == "district":
    communes = details[details["level"] == "commune"]
    if len(communes):
        st.subheader(t("unit.communes_heading", count=len(communes)))
        communes = communes.assign(status=views.unit_status_colour(communes)).sort_values(
            ["attainment", "name"], ascending=[False, True]
        )
        communes["hover"] = [
            t("overview.hover_unit", met=r.targets_met, total=r.targets_total) for r in communes.itertuples()
        ]
        columns = (("targets_total", "targets"), "attainment", "status", "severity", "reasons")
        table = worded(communes, labels).pipe(headed, "code", ("name", "unit"), "targets_met", *columns)
        wide, narrow = wide_and_narrow("unit-communes")
        with wide:
            charts.show(
                charts.attainment_bars(
                    communes, t("unit.communes_title", district=unit["name"]), t("chart.attainment_axis"), labels
                ),
                table,
                f"xa-thuoc-{code}",
                {**filters, t("col.unit"): unit["name"]},
                "unit-communes",
                t("chart.data"),
            )
        with narrow:  # a phone: one bar per commune cannot be read at 390 px, so a list, the least advanced first
            st.markdown(
                "\n".join(
                    f"- **{plain(r.name)}**: {format_percent(r.attainment)} · {labels[r.status]} · "
                    f"{t('overview.hover_unit', met=r.targets_met, total=r.targets_total)}"
                    + (f" — {plain('; '.join(r.reasons))}" if len(r.reasons) else "")
                    for r in communes.sort_values(["attainment", "name"], kind="stable").itertuples()
                )
            )

# -- timeline and activities ------------------------------------------------------------------------
st.subheader(t("unit.activities_heading"))
if figures["activities"] == 0:
    st.info(t("unit.no_activities", unit=plain(unit["name"])))
    st.stop()
frame = timeline(view, "month", unit=code)
chart_labels = {
    "per_period": t("timeline.per_month"),
    "cumulative": t("timeline.cumulative"),
    "pace": t("timeline.pace"),
    "deadline": t("timeline.deadline", deadline=format_date(plan.deadline)),
    "axis_period": t("timeline.per_month"),
    "axis_cumulative": t("timeline.cumulative"),
    "period": t("grain.month"),
}
timeline_table = frame.assign(period=frame["period"].map(format_date), pace=frame["pace"].round().astype("int64"))[
    ["period", "activities", "participants", "cumulative", "pace"]
].rename(
    columns={
        "period": t("col.period_start"),
        "activities": t("col.activities"),
        "participants": t("col.participants"),
        "cumulative": t("timeline.cumulative"),
        "pace": t("timeline.pace"),
    }
)
charts.show(
    charts.timeline(frame, plan.deadline, t("unit.timeline_title", unit=unit["name"]), chart_labels),
    timeline_table,
    f"dien-bien-{code}",
    {**filters, t("col.unit"): unit["name"]},
    "unit-timeline",
    t("chart.data"),
)

pages = max((figures["activities"] - 1) // PAGE_SIZE + 1, 1)
page = st.number_input(t("explorer.page", pages=pages), min_value=1, max_value=pages, value=1, step=1, key="unit-page")
activities, total = activity_page(view, int(page), PAGE_SIZE, unit=code)
st.caption(
    t(
        "explorer.showing",
        first=format_number((page - 1) * PAGE_SIZE + 1 if total else 0),
        last=format_number(min(page * PAGE_SIZE, total)),
        total=format_number(total),
    )
)
shown = activity_table(activities)  # the explorer's columns and order, as in its downloads
st.dataframe(
    shown,
    hide_index=True,
    width="stretch",
    key="unit-activities",
    column_config={t("col.date"): st.column_config.DateColumn(format="DD/MM/YYYY")},
)
table_downloads(
    shown,
    f"hoat-dong-{code}",
    {**filters, t("col.unit"): unit["name"]},
    "unit-activities",
    activities=view.activity_filter(unit=code),
    total=total,
)
