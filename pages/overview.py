"""Tổng quan: KPI cards, attainment by district (and map), activities by type group, timeline."""
import streamlit as st

from analytics import views
from analytics.text import format_date, format_number, format_percent
from ui import charts
from ui.downloads import report_download
from ui.unit_reports import draw_reporting_card
from ui.state import (activities_by_type, activity_kpis, district_geojson, district_rollup, kpis, language, sidebar_view,
                      t, timeline, unit_summary)

view = sidebar_view()
plan = view.ctx.plan
filters = view.filter_labels()
labels = {status: t(f"status.{status}") for status in views.STATUSES}
st.title(t("overview.title"))
report_download(view)
draw_reporting_card(view.ctx)

if view.as_of < plan.start:
    st.info(t("overview.before_period", as_of=format_date(view.as_of), start=format_date(plan.start)))
    st.stop()

figures = kpis(view)
days_left = (plan.deadline - view.as_of).days
cards = st.container(horizontal=True)  # wraps onto more rows on a narrow screen
cards.metric(t("kpi.activities"), format_number(figures["activities"]), border=True,
             help=t("kpi.activities_help", lo=format_date(view.window()[0]), hi=format_date(view.window()[1])))
cards.metric(t("kpi.participants"), format_number(figures["participants"]), border=True)
cards.metric(t("kpi.targets_met"), f"{format_number(figures['pairs_met'])}/{format_number(figures['pairs'])}",
             delta=format_percent(figures["share_met"]), delta_color="off", delta_arrow="off",
             help=t("kpi.targets_met_help"),
             border=True)
cards.metric(t("kpi.lagging_units"), f"{figures['lagging_units']}/{figures['units']}", border=True)
cards.metric(t("kpi.days_left"), t("kpi.days_left_value", days=days_left) if days_left >= 0 else t("kpi.deadline_passed"),
             border=True)

if activity_kpis(view.base)["activities"] == 0:
    st.info(t("overview.empty_store"))
    st.stop()

# -- attainment by district -----------------------------------------------------------------------------
st.subheader(t("overview.attainment_heading"))
elapsed = plan.elapsed_share(view.as_of)
tolerance = view.ctx.settings.lagging.pace_tolerance
rollup = district_rollup(view)
rollup = rollup.assign(status=views.district_status(rollup, elapsed, tolerance))
rollup["hover"] = [t("overview.hover_district", met=r.pairs_met, pairs=r.pairs, lagging=r.lagging_units, units=r.units)
                   for r in rollup.itertuples()]
if view.district:
    scoped = views.rollup_in_district(unit_summary(view), view.district)
    scoped = scoped.assign(status=views.unit_status_colour(scoped))
    scoped["hover"] = [t("overview.hover_unit", met=r.targets_met, total=r.targets_total) for r in scoped.itertuples()]
    bars, title = scoped, t("overview.by_unit", district=filters[t("sidebar.district")])
    table = scoped.assign(attainment=scoped["attainment"].map(format_percent), status=scoped["status"].map(labels),
                          level=scoped["level"].map(lambda lv: t(f"level.{lv}")))[
        ["code", "name", "level", "targets_total", "targets_met", "attainment", "status"]].rename(columns={
            "code": t("col.code"), "name": t("col.unit"), "level": t("col.level"), "targets_total": t("col.targets"),
            "targets_met": t("col.targets_met"), "attainment": t("col.attainment"), "status": t("col.status")})
else:
    bars, title = rollup, t("overview.by_district")
    table = rollup.assign(share_met=rollup["share_met"].map(format_percent),
                          attainment=rollup["attainment"].map(format_percent), status=rollup["status"].map(labels))[
        ["code", "name", "units", "lagging_units", "pairs", "pairs_met", "share_met", "attainment", "status"]].rename(
        columns={"code": t("col.code"), "name": t("col.district_unit"), "units": t("col.units"),
                 "lagging_units": t("col.lagging_units"), "pairs": t("col.pairs"), "pairs_met": t("col.pairs_met"),
                 "share_met": t("col.share_met"), "attainment": t("col.attainment"), "status": t("col.status")})
st.caption(t("overview.attainment_caption"))
geojson, geo_error = district_geojson()
if geo_error:
    st.warning(geo_error)
left, right = st.columns([3, 2]) if geojson else (st.container(), None)
with left:
    charts.show(charts.attainment_bars(bars, title, t("chart.attainment_axis"), labels), table,
                "muc-dat-theo-huyen", filters, "overview-attainment", t("chart.data"))
if right is not None:
    with right:
        from analytics.geo import centres
        on_map = rollup[rollup["code"].isin(centres(geojson))]
        st.plotly_chart(charts.district_map(geojson, on_map, t("overview.map_title"), labels, centres(geojson)),
                        width="stretch", key="overview-map", config=charts.chart_config(language()))

# -- activities by type group -------------------------------------------------------------------------
if figures["activities"] == 0:
    st.info(t("overview.no_match"))
    st.stop()
st.subheader(t("overview.activities_heading"))
by_type = activities_by_type(view)
if view.group:
    names, counts = list(by_type["type_label"]), list(by_type["activities"])
    title = t("overview.by_type", group=filters[t("sidebar.group")])
else:
    by_group = views.activities_by_group(by_type)
    names, counts = list(by_group["group_label"]), list(by_group["activities"])
    title = t("overview.by_group")
type_table = by_type.assign(share=by_type["activities"] / max(by_type["activities"].sum(), 1))[
    ["group_label", "type_label", "activities", "participants", "share"]]
type_table = type_table.assign(share=type_table["share"].map(lambda v: format_percent(v, 1))).rename(columns={
    "group_label": t("col.group"), "type_label": t("col.type"), "activities": t("col.activities"),
    "participants": t("col.participants"), "share": t("col.share")})
charts.show(charts.count_bars(names, counts, title, t("chart.activities_axis"), t("col.activities")), type_table,
            "hoat-dong-theo-loai", filters, "overview-types", t("chart.data"))

# -- timeline -----------------------------------------------------------------------------------------
st.subheader(t("overview.timeline_heading"))
grain = st.segmented_control(t("overview.grain"), list(views.GRAINS), default="week", key="overview-grain",
                             format_func=lambda g: t(f"grain.{g}")) or "week"
frame = timeline(view, grain)
chart_labels = {"per_period": t(f"timeline.per_{grain}"), "cumulative": t("timeline.cumulative"),
                "pace": t("timeline.pace"), "deadline": t("timeline.deadline", deadline=format_date(plan.deadline)),
                "axis_period": t(f"timeline.per_{grain}"), "axis_cumulative": t("timeline.cumulative"),
                "period": t(f"grain.{grain}")}
timeline_table = frame.assign(period=frame["period"].map(format_date), period_end=frame["period_end"].map(format_date),
                              pace=frame["pace"].round().astype("int64"))[
    ["period", "period_end", "activities", "participants", "cumulative", "pace"]].rename(columns={
        "period": t("col.period_start"), "period_end": t("col.period_end"), "activities": t("col.activities"),
        "participants": t("col.participants"), "cumulative": t("timeline.cumulative"), "pace": t("timeline.pace")})
st.caption(t("overview.timeline_caption", deadline=format_date(plan.deadline)))
charts.show(charts.timeline(frame, plan.deadline, t("overview.timeline_title"), chart_labels), timeline_table,
            "dien-bien-hoat-dong", filters, "overview-timeline", t("chart.data"))
