"""Nhật ký hệ thống: the audit log for administrators, filtered and exported."""

import datetime as dt

import pandas as pd
import streamlit as st

from analytics.access import audit
from analytics.core.text import format_number
from ui.auth import require_page
from ui.downloads import table_downloads
from ui.state import context, language, t

LIMIT = 5000

require_page(__file__)
db = context().db
st.title(t("audit.title"))
st.caption(t("audit.caption"))

today = dt.date.today()
first, last, who, what = st.columns([1, 1, 1, 2])
start = first.date_input(t("audit.filter.from"), today - dt.timedelta(days=30), format="DD/MM/YYYY", key="audit-from")
end = last.date_input(t("audit.filter.to"), today, format="DD/MM/YYYY", key="audit-to")
everyone = t("audit.filter.actor_all")
actor = who.selectbox(t("audit.filter.actor"), [everyone, *audit.actors(db)], key="audit-actor")
actions = what.multiselect(
    t("audit.filter.actions"),
    audit.ACTIONS,
    key="audit-actions",
    placeholder=t("audit.filter.actions_all"),
    format_func=lambda code: audit.action_label(code, language()),
)

frame = audit.entries(db, start, end, None if actor == everyone else actor, actions, limit=LIMIT)
st.caption(t("audit.count", count=format_number(len(frame)), limit=format_number(LIMIT)))
if frame.empty:
    st.info(t("audit.empty"))
    st.stop()

shown = pd.DataFrame(
    {
        t("audit.col.at"): frame["occurred_at"].map(lambda v: v.strftime("%d/%m/%Y %H:%M:%S")),
        t("audit.col.actor"): frame["actor"].map(lambda v: v if isinstance(v, str) else t("audit.actor.none")),
        t("audit.col.action"): frame["action"].map(lambda code: audit.action_label(code, language())),
        t("audit.col.detail"): frame["detail"].map(lambda detail: audit.describe(detail, language())),
    }
)
st.dataframe(
    shown,
    hide_index=True,
    width="stretch",
    column_config={t("audit.col.detail"): st.column_config.TextColumn(width="large")},
)
table_downloads(
    shown,
    "nhat-ky-he-thong",
    {
        t("audit.filter.from"): start.strftime("%d/%m/%Y"),
        t("audit.filter.to"): end.strftime("%d/%m/%Y"),
        t("audit.filter.actor"): actor,
        t("audit.filter.actions"): ", ".join(audit.action_label(a, language()) for a in actions)
        or t("audit.filter.actions_all"),
    },
    key="audit",
)
