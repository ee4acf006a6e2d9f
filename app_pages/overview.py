"""Tổng quan: KPI cards, who is behind and why, attainment by district (and map), activities by type, timeline."""

import html

import pandas as pd
import streamlit as st

from analytics.core.text import format_date, format_number, format_percent
from analytics.measures import views
from analytics.measures.status import UNIT_STATUSES, status_words
from ui import charts
from ui.downloads import report_download
from ui.markup import plain
from ui.state import (
    activities_by_type,
    activity_kpis,
    dashboard_page,
    district_geojson,
    district_statuses,
    headed,
    kpis,
    language,
    month_change,
    narrow_to_district,
    pick_count,
    province_status,
    stop_before_period,
    t,
    timeline,
    unit_summary,
    worded,
)
from ui.unit_reports import draw_reporting_card

view = dashboard_page("overview.title")
report_download(view)
plan = view.ctx.plan
filters = view.filter_labels()
labels = status_words((*UNIT_STATUSES, "behind"))

stop_before_period(view)

# -- who is behind, and why ---------------------------------------------------------------------------
judged = district_statuses(view)
judged["hover"] = [
    t("overview.hover_district", met=r.pairs_met, pairs=r.pairs, lagging=r.lagging_units, units=r.units)
    + "<br>"
    + "<br>".join(html.escape(x) for x in r.reasons[:3])
    for r in judged.itertuples()
]
judged["label"] = [t("overview.bar_label", lagging=r.lagging_units, units=r.units) for r in judged.itertuples()]
rule = view.ctx.settings.district
rule_text = t(
    "overview.rule",
    tolerance=format_percent(rule.pace_tolerance),
    share=format_percent(rule.lagging_share),
    mid=format_percent(view.ctx.settings.lagging.no_activity_after),
)
if view.district:
    own = judged[judged["code"] == view.district]
    scope = own.iloc[0] if len(own) else None
else:
    scope = pd.Series(province_status(view)) if len(judged) else None
store_empty = activity_kpis(view.base)["activities"] == 0  # nothing reported yet: no status to judge
if scope is not None and not store_empty:
    who = filters[t("sidebar.district")] if view.district else t("filter.all_districts")
    box = {"behind": st.warning, "on_track": st.info, "met": st.success}[scope["status"]]
    worst = (
        judged[(judged["status"] == "behind") & (judged["kind"] == "district")].head(3)
        if not view.district
        else judged.iloc[0:0]
    )
    lines = [
        t("overview.scope_status", who=plain(who), status=labels[scope["status"]])
        + " — "
        + plain("; ".join(scope["reasons"][:2]))
    ]
    if len(worst):
        lines.append(
            t(
                "overview.worst",
                names="; ".join(f"**{plain(r.name)}** ({plain(r.reasons[0])})" for r in worst.itertuples()),
            )
        )
    box("  \n".join(lines))

figures = kpis(view)
changes = month_change(view)


def change(key: str) -> dict:
    """st.metric's delta: the change over the 30 days before the as-of date."""
    if changes is None:
        return {}
    diff = int(changes[key])
    sign = "+" if diff > 0 else "-" if diff < 0 else ""
    return {
        "delta": t("kpi.change_30", change=sign + format_number(abs(diff))),
        "delta_arrow": "up" if diff > 0 else "down" if diff < 0 else "off",
        "delta_color": "inverse" if key == "lagging_units" else "normal",
    }


days_left = (plan.deadline - view.as_of).days
cards = st.container(horizontal=True)  # wraps onto more rows on a narrow screen
cards.metric(
    t("kpi.activities"),
    format_number(figures["activities"]),
    border=True,
    **change("activities"),
    help=t("kpi.activities_help", lo=format_date(view.window()[0]), hi=format_date(view.window()[1])),
)
cards.metric(t("kpi.participants"), format_number(figures["participants"]), border=True, **change("participants"))
cards.metric(
    t("kpi.unit_targets_met"),
    f"{format_number(figures['pairs_met'])}/{format_number(figures['pairs'])}",
    help=t(
        "kpi.unit_targets_met_help",
        met=format_number(figures["pairs_met"]),
        pairs=format_number(figures["pairs"]),
        share=format_percent(figures["share_met"]),
    ),
    border=True,
    **change("pairs_met"),
)
cards.metric(
    t("kpi.lagging_units"), f"{figures['lagging_units']}/{figures['units']}", border=True, **change("lagging_units")
)
cards.metric(
    t("kpi.days_left"),
    t("kpi.days_left_value", days=days_left) if days_left >= 0 else t("kpi.deadline_passed"),
    border=True,
)

draw_reporting_card(view.ctx, view.as_of)  # the year-end reports handed in by then (plan V.2)

if store_empty:
    st.info(t("overview.empty_store"))
    st.stop()

st.subheader(t("overview.who_heading"), help=rule_text)
st.caption(rule_text)


def main_reason(row) -> str:
    """The first reason that the lagging-unit column does not already say."""
    share = t("district.reason.lagging_units", lagging=row.lagging_units, units=row.units)
    rest = [r for r in row.reasons if r != share]
    return rest[0] if rest else (row.reasons[0] if row.reasons else "")


def district_table(rows: pd.DataFrame, key: str, name_heading: str) -> None:
    """Worst first, each with its lagging-unit count and main reason; choosing a row narrows the view to it."""
    shown = pd.DataFrame(
        {
            name_heading: rows["name"],
            t("col.status"): rows["status"].map(labels),
            t("col.lagging_units"): [f"{lg}/{n}" for lg, n in zip(rows["lagging_units"], rows["units"])],
            t("col.attainment"): (rows["attainment"] * 100).round(),
            t("col.main_reason"): [main_reason(r) for r in rows.itertuples()],
            t("col.reasons"): rows["reasons"].map("; ".join),
        }
    )
    event = st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        key=f"{key}-{view.as_of}-{pick_count()}",
        on_select="rerun",
        selection_mode="single-row",
        height=38 + 35 * len(shown),
        column_config={
            name_heading: st.column_config.TextColumn(pinned=True),
            t("col.attainment"): st.column_config.ProgressColumn(
                format="%.0f%%", min_value=0, max_value=100, width="small"
            ),
            t("col.main_reason"): st.column_config.TextColumn(width="large"),
            t("col.reasons"): st.column_config.TextColumn(width="large"),
        },
    )
    picked = event.selection.rows if event is not None else []
    if picked:
        narrow_to_district(str(rows["code"].iloc[picked[0]]))


if not view.district:
    districts = judged[judged["kind"] == "district"].reset_index(drop=True)
    affiliated = judged[judged["kind"] == "affiliated"].reset_index(drop=True)
    st.caption(t("overview.who_caption"))
    district_table(districts, "overview-districts", t("col.district"))

# -- attainment by district -----------------------------------------------------------------------------
st.subheader(t("overview.attainment_heading"))
if view.district:
    scoped = views.rollup_in_district(unit_summary(view), view.district)
    scoped = scoped.assign(status=views.unit_status_colour(scoped))
    scoped["hover"] = [t("overview.hover_unit", met=r.targets_met, total=r.targets_total) for r in scoped.itertuples()]
    bars, title = scoped, t("overview.by_unit", district=filters[t("sidebar.district")])
    table = worded(scoped, labels).pipe(
        headed, "code", ("name", "unit"), "level", ("targets_total", "targets"), "targets_met", "attainment", "status"
    )
else:
    bars, title = districts if len(districts) else judged, t("overview.by_district")


def rollup_table(rows: pd.DataFrame) -> pd.DataFrame:
    columns = ("units", "lagging_units", "pairs", "pairs_met", "attainment", "status", "reasons")
    return worded(rows, labels).pipe(headed, "code", ("name", "district_unit"), *columns)


if not view.district:
    table = rollup_table(bars)
st.caption(t("overview.attainment_caption"))
geojson, geo_error = district_geojson()
if geo_error:
    st.warning(geo_error)
left, right = st.columns([3, 2]) if geojson else (st.container(), None)
with left:
    event = charts.show(
        charts.attainment_bars(bars, title, t("chart.attainment_axis"), labels),
        table,
        "muc-dat-theo-huyen",
        filters,
        f"overview-attainment-{view.district or 'all'}-{view.as_of}-{pick_count()}",
        t("chart.data"),
        selectable=True,
    )
    codes = [p.get("customdata", [None] * 3)[2] for p in (event.selection.points if event is not None else [])]
    if codes and codes[0]:
        if view.district:
            st.session_state["view.unit"] = codes[0]
            st.switch_page("app_pages/unit.py", query_params={**st.query_params.to_dict(), "unit": codes[0]})
        else:
            narrow_to_district(codes[0])
if right is not None:
    with right:
        from analytics.reference.geo import centres

        on_map = judged[judged["code"].isin(centres(geojson))]
        st.plotly_chart(
            charts.district_map(geojson, on_map, t("overview.map_title"), labels, centres(geojson)),
            width="stretch",
            key="overview-map",
            config=charts.chart_config(language()),
        )
if not view.district and len(affiliated):
    st.subheader(t("overview.affiliated_heading", count=len(affiliated)))
    st.caption(t("overview.affiliated_caption"))
    district_table(affiliated, "overview-affiliated", t("col.affiliated"))

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
    ["group_label", "type_label", "activities", "participants", "share"]
]
type_table = type_table.assign(share=type_table["share"].map(lambda v: format_percent(v, 1))).rename(
    columns={
        "group_label": t("col.group"),
        "type_label": t("col.type"),
        "activities": t("col.activities"),
        "participants": t("col.participants"),
        "share": t("col.share"),
    }
)
charts.show(
    charts.count_bars(names, counts, title, t("chart.activities_axis"), t("col.activities")),
    type_table,
    "hoat-dong-theo-loai",
    filters,
    "overview-types",
    t("chart.data"),
)

# -- timeline -----------------------------------------------------------------------------------------
st.subheader(t("overview.timeline_heading"))
grain = (
    st.segmented_control(
        t("overview.grain"),
        list(views.GRAINS),
        default="week",
        key="overview-grain",
        format_func=lambda g: t(f"grain.{g}"),
    )
    or "week"
)
frame = timeline(view, grain)
chart_labels = {
    "per_period": t(f"timeline.per_{grain}"),
    "cumulative": t("timeline.cumulative"),
    "pace": t("timeline.pace"),
    "deadline": t("timeline.deadline", deadline=format_date(plan.deadline)),
    "axis_period": t(f"timeline.per_{grain}"),
    "axis_cumulative": t("timeline.cumulative"),
    "period": t(f"grain.{grain}"),
}
timeline_table = frame.assign(
    period=frame["period"].map(format_date),
    period_end=frame["period_end"].map(format_date),
    pace=frame["pace"].round().astype("int64"),
)[["period", "period_end", "activities", "participants", "cumulative", "pace"]].rename(
    columns={
        "period": t("col.period_start"),
        "period_end": t("col.period_end"),
        "activities": t("col.activities"),
        "participants": t("col.participants"),
        "cumulative": t("timeline.cumulative"),
        "pace": t("timeline.pace"),
    }
)
st.caption(t("overview.timeline_caption", deadline=format_date(plan.deadline)))
charts.show(
    charts.timeline(frame, plan.deadline, t("overview.timeline_title"), chart_labels),
    timeline_table,
    "dien-bien-hoat-dong",
    filters,
    "overview-timeline",
    t("chart.data"),
)
