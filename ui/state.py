"""Cached store access and the shared view (plan, as-of date), mirrored in the URL query string."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from analytics import attainment
from analytics.context import Context, open_context
from analytics.i18n import t as translate
from analytics.settings import load_settings


def language() -> str:
    return st.session_state.get("language", "vi")


def t(key: str, **values: object) -> str:
    return translate(key, language(), **values)


@st.cache_resource(show_spinner=False)
def _context(db_path: str, plan_path: str) -> Context:
    return open_context(db_path, Path(plan_path))


def context() -> Context:
    settings = load_settings()
    return _context(str(settings.db_path), str(settings.plan_path))


@dataclass(frozen=True)
class View:
    db_path: str
    plan_path: str
    data_version: int
    as_of: dt.date

    @property
    def ctx(self) -> Context:
        return _context(self.db_path, self.plan_path)


def _query_date(name: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(st.query_params.get(name, ""))
    except ValueError:
        return None


def sidebar_view() -> View:
    """Draws the shared sidebar and returns the view every page draws from."""
    ctx = context()
    plan = ctx.plan
    with st.sidebar:
        st.caption(t("sidebar.period", start=plan.start.strftime("%d/%m/%Y"),
                     deadline=plan.deadline.strftime("%d/%m/%Y")))
        if "as_of" not in st.session_state:
            st.session_state["as_of"] = _query_date("as_of") or ctx.default_as_of()
        as_of = st.date_input(t("sidebar.as_of"), key="as_of", format="DD/MM/YYYY",
                              min_value=plan.start - dt.timedelta(days=31),
                              max_value=plan.deadline + dt.timedelta(days=366),
                              help=t("sidebar.as_of_help"))
    st.query_params["as_of"] = as_of.isoformat()
    return View(str(ctx.db.path), str(load_settings().plan_path), ctx.db.data_version(), as_of)


@st.cache_data(show_spinner=False, max_entries=64)
def unit_targets(view: View) -> pd.DataFrame:
    ctx = view.ctx
    return attainment.unit_targets(ctx.db, ctx.plan, view.as_of, ctx.settings.lagging)


@st.cache_data(show_spinner=False, max_entries=64)
def unit_status(view: View) -> pd.DataFrame:
    ctx = view.ctx
    return attainment.unit_status(unit_targets(view), ctx.plan, ctx.settings.lagging, view.as_of)


@st.cache_data(show_spinner=False, max_entries=64)
def district_rollup(view: View) -> pd.DataFrame:
    return attainment.district_rollup(unit_targets(view), unit_status(view))


@st.cache_data(show_spinner=False, max_entries=64)
def kpis(view: View) -> dict:
    ctx = view.ctx
    row = ctx.db.named("kpis", {"start": ctx.plan.start, "deadline": ctx.plan.deadline, "as_of": view.as_of})
    summary = attainment.province_summary(unit_targets(view), unit_status(view))
    return {**row.iloc[0].to_dict(), **summary}
