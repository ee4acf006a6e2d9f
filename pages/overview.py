"""Tổng quan: KPI cards and attainment by district."""
import streamlit as st

from analytics.text import format_number, format_percent
from ui import charts
from ui.state import district_rollup, kpis, sidebar_view, t

view = sidebar_view()
plan = view.ctx.plan
st.title(t("overview.title"))

figures = kpis(view)
if view.as_of < plan.start:
    st.info(t("overview.before_period", as_of=view.as_of.strftime("%d/%m/%Y"), start=plan.start.strftime("%d/%m/%Y")))
    st.stop()

days_left = (plan.deadline - view.as_of).days
cards = st.columns(5)
cards[0].metric(t("kpi.activities"), format_number(figures["activities"]), border=True)
cards[1].metric(t("kpi.participants"), format_number(figures["participants"]), border=True)
cards[2].metric(t("kpi.targets_met"), f"{figures['pairs_met']}/{figures['pairs']}",
                delta=format_percent(figures["share_met"]), delta_color="off", help=t("kpi.targets_met_help"),
                border=True)
cards[3].metric(t("kpi.lagging_units"), f"{figures['lagging_units']}/{figures['units']}", border=True)
cards[4].metric(t("kpi.days_left"), t("kpi.days_left_value", days=days_left) if days_left >= 0 else t("kpi.deadline_passed"),
                border=True)

if figures["activities"] == 0:
    st.info(t("overview.empty_store"))
    st.stop()

rollup = district_rollup(view)
elapsed = plan.elapsed_share(view.as_of)
tolerance = view.ctx.settings.lagging.pace_tolerance
rollup["status"] = [
    "met" if r.pairs_met == r.pairs else "lagging" if r.attainment < elapsed - tolerance
    else "on_track" for r in rollup.itertuples()
]
rollup["hover"] = [
    f"{t('col.pairs_met')}: {r.pairs_met}/{r.pairs} · {t('col.lagging_units')}: {r.lagging_units}/{r.units}"
    for r in rollup.itertuples()
]
labels = {status: t(f"status.{status}") for status in ("met", "on_track", "lagging")}
st.plotly_chart(charts.attainment_bars(rollup, t("overview.by_district"), t("chart.attainment_axis"), labels),
                width="stretch")
with st.expander(t("overview.table_caption")):
    st.dataframe(
        rollup.assign(share_met=rollup["share_met"].map(format_percent),
                      attainment=rollup["attainment"].map(format_percent),
                      status=rollup["status"].map(labels))
        [["code", "name", "units", "lagging_units", "pairs", "pairs_met", "share_met", "attainment", "status"]]
        .rename(columns={"code": t("col.code"), "name": t("col.district"), "units": t("col.units"),
                         "lagging_units": t("col.lagging_units"), "pairs": t("col.pairs"),
                         "pairs_met": t("col.pairs_met"), "share_met": t("col.share_met"),
                         "attainment": t("col.attainment"), "status": t("col.status")}),
        hide_index=True, width="stretch",
    )
