"""Chỉ tiêu: units meeting each target, heatmaps of units × targets, the province's own targets."""

import streamlit as st

from analytics.core.text import format_date, format_percent
from analytics.measures import views
from analytics.measures.status import UNIT_STATUSES, status_words
from ui import charts
from ui.downloads import table_downloads
from ui.markup import plain
from ui.state import (
    activity_kpis,
    dashboard_page,
    headed,
    stop_before_period,
    t,
    target_table,
    unit_summary,
    unit_targets,
    wide_and_narrow,
)

labels = status_words(UNIT_STATUSES)
hover = {"target": t("col.target"), "status": t("col.status")}
view = dashboard_page("targets.title")
stop_before_period(view)
plan = view.ctx.plan
filters = view.filter_labels()
nothing_yet = activity_kpis(view.base)["activities"] == 0
if nothing_yet:
    st.info(t("targets.empty", as_of=format_date(view.as_of)))

targets = unit_targets(view)
scoped = views.in_district(targets, view.district)
district_names = dict(zip(unit_summary(view)["code"], unit_summary(view)["name"]))
if view.district:
    st.caption(t("targets.scope_district", district=plain(filters[t("sidebar.district")])))

# -- each target: applicable units and how many met it ------------------------------------------------
summary = views.target_summary(scoped, plan)
summary = summary[summary["units"] > 0] if view.district else summary
columns = (("units", "units_applicable"), "units_met", "share_met", ("activities", "activities_counted"))
shown = summary.assign(
    level=summary["level"].map(lambda lv: t(f"level.{lv}")), share_met=summary["share_met"].map(format_percent)
).pipe(headed, ("target_id", "target"), "level", "description", "minimum", *columns)
st.subheader(t("targets.summary_heading"))
st.dataframe(
    shown,
    hide_index=True,
    width="stretch",
    key="targets-summary",
    height=36 + 35 * len(shown),
    column_config={t("col.description"): st.column_config.TextColumn(width="medium")},
)
table_downloads(shown, "chi-tieu", filters, "targets-summary")
if nothing_yet:  # every cell of every chart would read 0
    st.stop()

# -- heatmaps -----------------------------------------------------------------------------------------
for level, heading in (("district", "targets.heatmap_district"), ("commune", "targets.heatmap_commune")):
    matrix = views.target_matrix(scoped, level, district_names)
    st.subheader(t(heading))
    if matrix.empty:
        st.info(t("targets.no_units", level=t(f"level.{level}")))
        continue
    if level == "commune":
        matrix["row"] = [f"{d} · {u}" for d, u in zip(matrix["district_name"], matrix["unit_name"])]
    else:
        matrix["row"] = matrix["unit_name"]
    fig = charts.status_heatmap(matrix, "row", t(f"{heading}_title"), labels, hover)
    data = matrix.assign(status=matrix["status"].map(labels))[
        ["unit_code", "unit_name", "district_name", "target_id", "count", "minimum", "status"]
    ].rename(
        columns={
            "unit_code": t("col.code"),
            "unit_name": t("col.unit"),
            "district_name": t("col.district_unit"),
            "target_id": t("col.target"),
            "count": t("col.count"),
            "minimum": t("col.minimum"),
            "status": t("col.status"),
        }
    )
    wide, narrow = wide_and_narrow(f"targets-heatmap-{level}")
    with wide:
        charts.show(fig, data, f"chi-tieu-{level}", filters, f"targets-heatmap-{level}", t("chart.data"))
    with narrow:  # a phone: the grid cannot fit, so a list, units with an unmet target first
        cells = (
            matrix["target_id"]
            + " "
            + [charts.count_of_minimum(c, m) for c, m in zip(matrix["count"], matrix["minimum"])]
            + " "
            + matrix["status"].map(labels)
        )
        per_unit = (
            matrix.assign(cell=cells)
            .groupby("unit_code", sort=False)
            .agg(row=("row", "first"), cells=("cell", "; ".join), done=("met", "all"))
            .sort_values("done", kind="stable")
        )
        lines = [f"- **{plain(r.row)}**: {plain(r.cells)}" for r in per_unit.itertuples()]
        st.markdown("\n".join(lines))

# -- the province's own targets ---------------------------------------------------------------------
st.subheader(t("targets.province_heading"))
province = targets[targets["level"] == "province"].copy()
if province.empty:
    st.info(t("targets.no_units", level=t("level.province")))
else:
    province["status"] = views.pair_status(province)
    province["label"] = [
        f"{r.target_id} – {plan.target(r.target_id).description[:60]}…"
        if len(plan.target(r.target_id).description) > 60
        else f"{r.target_id} – {plan.target(r.target_id).description}"
        for r in province.itertuples()
    ]
    fig = charts.progress_bars(province, t("targets.province_title"), t("col.minimum"), labels)
    data = target_table(province, plan, labels)
    wide, narrow = wide_and_narrow("targets-province")
    with wide:
        charts.show(fig, data, "chi-tieu-cap-tinh", filters, "targets-province", t("chart.data"))
    with narrow:  # a phone: long target names do not fit beside bars
        st.markdown(
            "\n".join(
                f"- **{r.target_id}** {plain(plan.target(r.target_id).description)}: "
                f"{plain(charts.count_of_minimum(r.count, r.minimum))} {labels[r.status]}"
                for r in province.itertuples()
            )
        )
