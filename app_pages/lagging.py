"""Đơn vị chậm tiến độ: every lagging unit with severity, reasons, last activity and projection; opens the unit."""

import pandas as pd
import streamlit as st

from analytics.core.text import format_date, format_percent
from analytics.measures import views
from analytics.measures.status import DISTRICT_STATUSES, SEVERITIES, status_words
from ui.downloads import table_downloads
from ui.markup import plain
from ui.state import (
    activity_kpis,
    dashboard_page,
    district_statuses,
    share_query,
    stop_before_period,
    t,
    unit_status,
    unit_summary,
    unit_targets,
    wide_and_narrow,
)
from ui.unit_reports import draw_overdue_reports

view = dashboard_page("lagging.title")
filters = view.filter_labels()
draw_overdue_reports(view.ctx, view.as_of)

stop_before_period(view)

if activity_kpis(view.base)["activities"] == 0:
    st.info(t("overview.empty_store"))
summary = views.in_district(unit_summary(view), view.district)
status = unit_status(view, tuple(summary.loc[summary["lagging"], "code"]))  # reasons for the lagging units only
targets = views.in_district(unit_targets(view), view.district)
lagging = views.lagging_units(status, targets)
if lagging.empty:
    st.success(t("lagging.none", as_of=format_date(view.as_of)))
    st.stop()

# The district judgement, in the same words as the overview.
judged = district_statuses(view)
district_words = status_words(DISTRICT_STATUSES)
if view.district:
    own = judged[judged["code"] == view.district]
    if len(own):
        d = own.iloc[0]
        box = {"behind": st.warning, "on_track": st.info, "met": st.success}[d["status"]]
        box(
            t("overview.scope_status", who=plain(d["name"]), status=district_words[d["status"]])
            + " — "
            + plain("; ".join(d["reasons"]))
        )
elif len(judged):
    with st.expander(t("lagging.districts", behind=int((judged["status"] == "behind").sum()), total=len(judged))):
        st.dataframe(
            pd.DataFrame(
                {
                    t("col.district_unit"): judged["name"],
                    t("col.status"): judged["status"].map(district_words),
                    t("col.lagging_units"): [f"{lg}/{n}" for lg, n in zip(judged["lagging_units"], judged["units"])],
                    t("col.why"): judged["reasons"].map("; ".join),
                }
            ),
            hide_index=True,
            width="stretch",
            key="lagging-districts",
            column_config={t("col.why"): st.column_config.TextColumn(width="large")},
        )

severities = list(SEVERITIES)
controls = st.columns([2, 2, 1])
chosen = controls[0].multiselect(
    t("lagging.severity_filter"),
    severities,
    default=severities,
    key="lagging-severity",
    format_func=lambda s: t(f"severity.{s}"),
)
order = controls[1].selectbox(
    t("lagging.sort"),
    ["severity", "attainment", "last_activity", "name"],
    key="lagging-sort",
    format_func=lambda s: t(f"lagging.sort.{s}"),
)
lagging = lagging[lagging["severity"].isin(chosen)]
if order != "severity":
    lagging = lagging.sort_values(order, ascending=True, na_position="first", kind="stable")
counts = {s: int((lagging["severity"] == s).sum()) for s in severities}
st.markdown(
    t(
        "lagging.summary",
        total=len(lagging),
        units=len(summary),
        high=counts["high"],
        medium=counts["medium"],
        low=counts["low"],
        as_of=format_date(view.as_of),
    )
)
if lagging.empty:
    st.info(t("lagging.none_chosen"))
    st.stop()

district_names = dict(zip(unit_summary(view)["code"], unit_summary(view)["name"]))
shown = lagging.assign(
    severity=lagging["severity"].map(lambda s: t(f"severity.{s}")),
    district=lagging["district_code"].map(district_names).fillna(""),
    targets=[t("lagging.targets_of", met=m, total=n) for m, n in zip(lagging["targets_met"], lagging["targets_total"])],
    attainment=(lagging["attainment"] * 100).round(),
    reasons=lagging["reasons"].map(lambda rs: "; ".join(rs)),
    last_activity=lagging["last_activity"],
    link=["don-vi?" + share_query(view, unit=code) for code in lagging["code"]],
)[
    ["name", "district", "reasons", "severity", "link", "attainment", "targets", "last_activity", "projection", "code"]
].rename(
    columns={
        "severity": t("col.severity"),
        "code": t("col.code"),
        "name": t("col.unit"),
        "district": t("col.district_unit"),
        "targets": t("col.targets_met"),
        "attainment": t("col.attainment"),
        "last_activity": t("col.last_activity"),
        "projection": t("col.projected_unmet"),
        "reasons": t("col.reasons"),
        "link": t("col.open"),
    }
)
st.caption(t("lagging.caption"))
wide, narrow = wide_and_narrow("lagging-list")
with narrow:  # a phone: the unit, its district and the whole reason, no sideways scroll
    for r in lagging.itertuples():
        st.markdown(
            f"**{plain(r.name)}** · {plain(district_names.get(r.district_code, ''))}  \n"
            f"{plain(t(f'severity.{r.severity}'))} — {plain('; '.join(r.reasons))} "
            f"[{t('lagging.open_link')}](don-vi?{share_query(view, unit=r.code)})"
        )
event = wide.dataframe(
    shown,
    hide_index=True,
    width="stretch",
    key="lagging-table",
    on_select="rerun",
    selection_mode="single-row",
    height=38 + 35 * min(len(shown), 15),
    column_config={
        t("col.attainment"): st.column_config.ProgressColumn(
            format="%.0f%%", min_value=0, max_value=100, width="small"
        ),
        t("col.last_activity"): st.column_config.DateColumn(format="DD/MM/YYYY"),
        t("col.unit"): st.column_config.TextColumn(pinned=True),
        t("col.district_unit"): st.column_config.TextColumn(width="medium"),
        t("col.reasons"): st.column_config.TextColumn(width=900, help=t("lagging.reasons_help")),
        t("col.open"): st.column_config.LinkColumn(display_text=t("lagging.open_link"), width=100),
    },
)
# The files hold the table as shown: same rows, order and columns, the percentage as the screen rounds it.
table_downloads(
    shown.drop(columns=[t("col.open")]).assign(
        **{t("col.attainment"): lagging["attainment"].map(format_percent).values}
    ),
    "don-vi-cham-tien-do",
    filters,
    "lagging-table",
)

rows = event.selection.rows if event is not None else []
if rows:
    st.session_state["view.unit"] = str(lagging["code"].iloc[rows[0]])
    st.switch_page("app_pages/unit.py", query_params={"unit": str(lagging["code"].iloc[rows[0]])})

# Keyboard- and test-friendly way to the same place.
pick = st.columns([3, 1], vertical_alignment="bottom")
code = pick[0].selectbox(
    t("lagging.open_unit"),
    list(lagging["code"]),
    key="lagging-open",
    format_func=lambda c: f"{lagging.set_index('code').loc[c, 'name']} ({c})",
)
if pick[1].button(t("lagging.open_button"), key="lagging-open-button", width="stretch"):
    st.session_state["view.unit"] = code
    st.switch_page("app_pages/unit.py", query_params={"unit": code})
