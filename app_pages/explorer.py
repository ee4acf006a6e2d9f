"""Tra cứu hoạt động: filter the activity records (district, unit, level, type or group, dates, free text), paged."""

import streamlit as st

from analytics.core.text import format_date, format_number
from analytics.measures import views
from ui.downloads import activity_table, table_downloads
from ui.state import activity_kpis, activity_page, dashboard_page, t, unit_summary

PAGE_SIZES = (25, 50, 100, 200)

view = dashboard_page("explorer.title", page_params=("q", "types", "level", "unit"))
ctx = view.ctx
plan = ctx.plan
st.caption(t("explorer.caption"))

status = unit_summary(view)
units = views.in_district(status, view.district)
names = dict(zip(status["code"], status["name"]))
types = [ty for ty in plan.activity_types if not view.group or ty.group == view.group]
type_labels = {ty.code: ty.label for ty in plan.activity_types}

# A shared link carries the page's own filters too (q, types, level, unit): taken once, when the session opens it.
if "explorer-text" not in st.session_state and st.query_params.get("q"):
    st.session_state["explorer-text"] = st.query_params["q"]
if "explorer-types" not in st.session_state and st.query_params.get("types"):
    st.session_state["explorer-types"] = [c for c in st.query_params["types"].split(",") if c in type_labels]
if "explorer-level" not in st.session_state and st.query_params.get("level") in ("province", "district", "commune"):
    st.session_state["explorer-level"] = st.query_params["level"]
if "explorer-unit" not in st.session_state and st.query_params.get("unit") in names:
    st.session_state["explorer-unit"] = st.query_params["unit"]
if st.session_state.get("explorer-types"):  # types of another group were chosen before
    st.session_state["explorer-types"] = [
        c for c in st.session_state["explorer-types"] if c in {ty.code for ty in types}
    ]
row = st.columns([3, 2, 2])
text = row[0].text_input(t("explorer.text"), key="explorer-text", placeholder=t("explorer.text_placeholder"))
level = row[1].selectbox(
    t("col.level"),
    ["", "province", "district", "commune"],
    key="explorer-level",
    format_func=lambda lv: t(f"level.{lv}") if lv else t("filter.all_levels"),
)
unit_codes = [c for c in units["code"] if not level or status.set_index("code").loc[c, "level"] == level]
if st.session_state.get("explorer-unit", "") not in ["", *unit_codes]:
    st.session_state["explorer-unit"] = ""
unit = row[2].selectbox(
    t("col.unit"),
    ["", *unit_codes],
    key="explorer-unit",
    format_func=lambda c: f"{names[c]} ({c})" if c else t("filter.all_units"),
)
chosen_types = st.multiselect(
    t("explorer.types"),
    [ty.code for ty in types],
    key="explorer-types",
    format_func=type_labels.get,
    placeholder=t("explorer.types_placeholder"),
)
for name, value in (("q", text.strip()), ("types", ",".join(chosen_types)), ("level", level), ("unit", unit)):
    if value and st.query_params.get(name) != value:
        st.query_params[name] = value
    elif not value and name in st.query_params:
        del st.query_params[name]

lo, hi = view.window()
if hi < lo:
    st.info(t("explorer.empty_window", lo=format_date(lo), hi=format_date(hi)))
    st.stop()

size_col, page_col, info_col = st.columns([1, 1, 3])
page_size = size_col.selectbox(t("explorer.page_size"), PAGE_SIZES, index=1, key="explorer-size")
narrow = {"unit": unit or None, "level": level or None, "types": tuple(chosen_types), "text": text.strip() or None}
# Filters changed: back to the first page.
if st.session_state.get("explorer.filters") != (view, narrow, page_size):
    st.session_state["explorer.filters"] = (view, narrow, page_size)
    st.session_state["explorer-page"] = 1
first, total = activity_page(view, 1, page_size, **narrow)
pages = max((total - 1) // page_size + 1, 1)
page = page_col.number_input(
    t("explorer.page", pages=format_number(pages)), min_value=1, max_value=pages, step=1, key="explorer-page"
)
frame, total = (first, total) if page == 1 else activity_page(view, int(page), page_size, **narrow)

if total == 0:
    st.info(t("overview.empty_store") if activity_kpis(view.base)["activities"] == 0 else t("explorer.none"))
    st.stop()
info_col.markdown(
    t(
        "explorer.showing",
        first=format_number((page - 1) * page_size + 1),
        last=format_number(min(page * page_size, total)),
        total=format_number(total),
    )
)
shown = activity_table(frame)
st.dataframe(
    shown,
    hide_index=True,
    width="stretch",
    key="explorer-table",
    height=min(38 + 35 * len(shown), 640),
    column_config={
        t("col.date"): st.column_config.DateColumn(format="DD/MM/YYYY"),
        t("col.title"): st.column_config.TextColumn(width="large"),
    },
)
labels = {
    **view.filter_labels(),
    t("explorer.text"): text.strip() or t("filter.all"),
    t("col.level"): t(f"level.{level}") if level else t("filter.all"),
    t("col.unit"): names[unit] if unit else t("filter.all"),
    t("explorer.types"): ", ".join(type_labels[c] for c in chosen_types) or t("filter.all"),
}
# The files hold every matching record (streamed from the store), not only this page, in the table's columns and
# order (newest first); their "Thông tin" sheet states the filters and the number of records, not a screen page.
table_downloads(
    shown, "tra-cuu-hoat-dong", labels, "explorer-table", activities=view.activity_filter(**narrow), total=total
)
