"""Cached store access and the shared view (plan, as-of date, district, type group, date range).

The view lives in session_state (so it survives page changes) and is mirrored in the URL query string
(so a link opens the same view): ?plan=antq-2022&as_of=2022-06-30&district=710&group=reintegration
&from=2022-03-01&to=2022-06-30. Every cached frame is keyed on the View, which carries data_version.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import streamlit as st

from analytics.context import Context, available_plans, open_context
from analytics.core.i18n import LANGUAGE_NAMES, LANGUAGES
from analytics.core.i18n import t as translate
from analytics.core.settings import load_settings
from analytics.core.text import format_date, format_percent
from analytics.measures import attainment, views
from ui.markup import plain
from ui.routing import route_through_entry_point


def language() -> str:
    """The reader's language: the sidebar's choice, else the settings' (ANTQ_LANG, data/settings.toml)."""
    chosen = st.session_state.get("language")
    if chosen in LANGUAGES:
        return chosen
    configured = load_settings().language  # kept in memory until the file changes
    return configured if configured in LANGUAGES else "vi"


def language_picker() -> None:
    """Sidebar choice of the catalogue; its label reads in both languages so either reader finds it.
    The choice lives in session_state["language"] (not the widget's own key, which a sign-out clears mid-run)."""
    st.selectbox(
        "Ngôn ngữ · Language",
        LANGUAGES,
        index=LANGUAGES.index(language()),
        key="language-picker",
        format_func=LANGUAGE_NAMES.get,
        on_change=_choose_language,
    )


def _choose_language() -> None:
    st.session_state["language"] = st.session_state["language-picker"]


def t(key: str, **values: object) -> str:
    route_through_entry_point()  # a page opened without dashboard.py (and its sign-in gate) starts over
    return translate(key, language(), **values)


# Seconds the server keeps the store file open after its last query: leaders clicking through pages keep DuckDB's
# cache warm; an idle server lets the file go. A command waiting for the file is let in at once whatever this is
# (its `.wait` sign, analytics/store/database.py); see README "Store".
STORE_LINGER = 10.0


@st.cache_resource(show_spinner=False)
def _context(db_path: str, plan_path: str) -> Context:
    return open_context(db_path, Path(plan_path), linger=STORE_LINGER)


def _plan_path() -> str:
    """The plan chosen in this session (sidebar), else the one named in settings."""
    chosen = st.session_state.get("view.plan")
    settings = load_settings()
    if chosen is None:
        return str(settings.plan_path)
    plans = {p.stem: p for p in available_plans(settings)}
    return str(plans[chosen]) if chosen in plans else str(settings.plan_path)


def context() -> Context:
    route_through_entry_point()
    settings = load_settings()
    return _context(str(settings.db_path), _plan_path())


@dataclass(frozen=True)
class View:
    db_path: str
    plan_path: str
    data_version: int
    as_of: dt.date
    district: str | None = None
    group: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @property
    def ctx(self) -> Context:
        return _context(self.db_path, self.plan_path)

    @property
    def base(self) -> "View":
        """The view without filters: the key of the attainment frames, which do not depend on them."""
        return replace(self, district=None, group=None, date_from=None, date_to=None)

    def window(self) -> tuple[dt.date, dt.date]:
        return views.activity_window(self.ctx.plan, self.as_of, self.date_from, self.date_to)

    def activity_filter(self, **narrower) -> views.ActivityFilter:
        lo, hi = self.window()
        return views.ActivityFilter(lo, hi, district=self.district, group=self.group, **narrower)

    def filter_labels(self) -> dict[str, str]:
        """The view in words, {Vietnamese label: value}, stated beside every download."""
        ctx = self.ctx
        lo, hi = self.window()
        names = {u.code: u.name for u in ctx.units}
        groups = {g.code: g.label for g in ctx.plan.groups}
        return {
            t("sidebar.plan"): ctx.plan.name,
            t("sidebar.as_of"): format_date(self.as_of),
            t("sidebar.district"): names.get(self.district, t("filter.all")) if self.district else t("filter.all"),
            t("sidebar.group"): groups.get(self.group, t("filter.all")) if self.group else t("filter.all"),
            t("sidebar.dates"): f"{format_date(lo)} – {format_date(hi)}",
        }


# -- the sidebar and the query string --------------------------------------------------------------
VIEW_PARAMS = ("plan", "as_of", "district", "group", "from", "to")


def _query_date(name: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(st.query_params.get(name, ""))
    except ValueError:
        return None


def _clamp(day: dt.date | None, lo: dt.date, hi: dt.date) -> dt.date | None:
    return None if day is None else min(max(day, lo), hi)


def _as_of_bounds(plan) -> tuple[dt.date, dt.date]:
    """The as-of dates the sidebar offers: a month before the plan to a year after its deadline."""
    return plan.start - dt.timedelta(days=31), plan.deadline + dt.timedelta(days=366)


def _seed_from_url(ctx: Context) -> None:
    """Once per session: take the view from the link that opened it (an as-of date out of range: the nearest)."""
    if st.session_state.get("view.seeded"):
        return
    st.session_state["view.seeded"] = True
    plans = [p.stem for p in available_plans(ctx.settings)]
    if st.query_params.get("plan") in plans:
        st.session_state["view.plan"] = st.query_params["plan"]
    for name in ("as_of", "from", "to"):
        if _query_date(name):
            st.session_state[f"view.{name}"] = _query_date(name)
    if _query_date("as_of"):
        st.session_state["view.as_of"] = _clamp(_query_date("as_of"), *_as_of_bounds(ctx.plan))
    for name in ("district", "group"):
        if st.query_params.get(name):
            st.session_state[f"view.{name}"] = st.query_params[name]


def _widget(name: str, stored, default, valid=lambda value: True, keep=lambda value: False) -> str:
    """Widget key `sb.NAME`, set from the view (`view.NAME`) before every run.

    Streamlit drops or restores widget state unreliably when pages change (a page reached by st.switch_page
    came back with the district reset), so the view, not the widget, is the truth: the user's changes
    reach it through `_remember` (on_change). `keep`: a transient widget value to leave alone.
    """
    key = f"sb.{name}"
    if not keep(st.session_state.get(key)):
        st.session_state[key] = stored if valid(stored) else default
    return key


def _remember(name: str) -> None:
    """on_change of a sidebar widget: its new value becomes the view."""
    value = st.session_state[f"sb.{name}"]
    if name == "dates":
        if isinstance(value, (tuple, list)) and len(value) == 2:
            st.session_state["view.from"], st.session_state["view.to"] = value
        return
    st.session_state[f"view.{name}"] = value
    if name == "plan":  # another plan has another period: its own dates
        for other in ("as_of", "from", "to"):
            st.session_state.pop(f"view.{other}", None)


def _mirror(params: dict[str, str | None], keep: tuple[str, ...]) -> None:
    """Write the view into the query string; drop parameters that belong to no one on this page."""
    for name in list(st.query_params):
        if name not in VIEW_PARAMS and name not in keep:
            del st.query_params[name]
    for name, value in params.items():
        if value is None:
            if name in st.query_params:
                del st.query_params[name]
        elif st.query_params.get(name) != value:
            st.query_params[name] = value


BROWSER_LOCALES = {"vi": "vi-VN", "en": "en-GB"}
MULTISELECT = '[data-testid="stMultiSelectDropdown"]'


def _css_text(text: str) -> str:
    """A CSS string literal (quotes, backslashes and "<" escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ") + '"'


def streamlit_words() -> None:
    """Streamlit's own words in the dashboard's language, where it has no parameter for them.

    - multiselect "Select all" / "Select N matches" / "No results": a style rule writes the catalogue's words
      over them (as ui/uploader.py does for the file uploader);
    - date pickers: Streamlit formats its calendar (month names, weekdays, first day of the week) in the browser's
      language (navigator.language), so a fixed script reports the dashboard's language instead.
    """
    locale = BROWSER_LOCALES.get(language(), "vi-VN")
    bulk = f'{MULTISELECT} [data-key^="__select"] [data-item-hl]'
    empty = f'{MULTISELECT} [data-empty="true"] [role="option"] span'
    st.html(
        f"<style>{bulk}, {empty} {{font-size: 0 !important}}"
        f"{bulk}::after {{content: {_css_text(t('streamlit.select_all'))}; font-size: 0.875rem}}"
        f"{empty}::after {{content: {_css_text(t('streamlit.no_results'))}; font-size: 0.875rem}}</style>"
        "<script>(function(){var l=" + json.dumps(locale) + ";try{"
        "Object.defineProperty(navigator,'language',{get:function(){return l},configurable:true});"
        "Object.defineProperty(navigator,'languages',{get:function(){return [l]},configurable:true});"
        # a resize makes Streamlit draw again, now with this language (its first drawing used the browser's)
        "var r=function(){window.dispatchEvent(new Event('resize'))};r();setTimeout(r,400);setTimeout(r,2000);"
        "}catch(e){}})();</script>",
        unsafe_allow_javascript=True,
    )


def _choice(name: str, label: str, options: dict[str, str], everything: str) -> str:
    """A sidebar filter over options (code -> name); "" stands for all of them."""
    key = _widget(name, st.session_state.get(f"view.{name}") or "", "", lambda v: v == "" or v in options)
    return st.selectbox(
        label,
        ["", *options],
        key=key,
        on_change=_remember,
        args=(name,),
        format_func=lambda c: options.get(c) or everything if c else everything,
    )


def sidebar_view(page_params: tuple[str, ...] = ()) -> View:
    """Draws the shared sidebar and returns the view every page draws from.

    page_params: query-string parameters the calling page owns (e.g. "unit"); others are dropped.
    """
    ctx = context()
    _seed_from_url(ctx)
    ctx = context()
    plan = ctx.plan
    plans = [p.stem for p in available_plans(ctx.settings)]
    in_period = [u for u in ctx.units if u.active_between(plan.start, plan.deadline)]
    districts = {u.code: u.name for u in in_period if u.level == "district"}
    groups = {g.code: g.label for g in plan.groups}
    earliest, latest = _as_of_bounds(plan)
    with st.sidebar:
        streamlit_words()
        if len(plans) > 1:
            current = Path(_plan_path()).stem
            key = _widget("plan", current, current, lambda v: v in plans)
            st.selectbox(t("sidebar.plan"), plans, key=key, on_change=_remember, args=("plan",))
        st.caption(t("sidebar.period", start=format_date(plan.start), deadline=format_date(plan.deadline)))
        key = _widget(
            "as_of",
            st.session_state.get("view.as_of"),
            _clamp(ctx.default_as_of(), earliest, latest),
            lambda v: isinstance(v, dt.date) and earliest <= v <= latest,
        )
        as_of = st.date_input(
            t("sidebar.as_of"),
            key=key,
            format="DD/MM/YYYY",
            min_value=earliest,
            max_value=latest,
            help=t("sidebar.as_of_help"),
            on_change=_remember,
            args=("as_of",),
        )
        district = _choice("district", t("sidebar.district"), districts, t("filter.all_districts"))
        group = _choice("group", t("sidebar.group"), groups, t("filter.all_groups"))
        start = _clamp(st.session_state.get("view.from"), plan.start, plan.deadline) or plan.start
        end = _clamp(st.session_state.get("view.to"), plan.start, plan.deadline) or plan.deadline
        key = _widget(
            "dates",
            (min(start, end), max(start, end)),
            (plan.start, plan.deadline),
            lambda v: isinstance(v, tuple) and all(plan.start <= d <= plan.deadline for d in v),
            keep=lambda v: isinstance(v, tuple) and len(v) == 1,
        )  # while picking the second end
        dates = st.date_input(
            t("sidebar.dates"),
            key=key,
            format="DD/MM/YYYY",
            min_value=plan.start,
            max_value=plan.deadline,
            help=t("sidebar.dates_help"),
            on_change=_remember,
            args=("dates",),
        )
    if isinstance(dates, (tuple, list)) and len(dates) == 2:  # while picking, only one end is chosen
        date_from, date_to = dates
    else:
        date_from, date_to = start, end
    date_from = None if date_from <= plan.start else date_from
    date_to = None if date_to >= plan.deadline else date_to
    state = {"as_of": as_of, "district": district or None, "group": group or None, "from": date_from, "to": date_to}
    for name, value in state.items():
        st.session_state[f"view.{name}"] = value
    _mirror(
        {
            "plan": Path(_plan_path()).stem if len(plans) > 1 else None,
            "as_of": as_of.isoformat(),
            "district": district or None,
            "group": group or None,
            "from": date_from.isoformat() if date_from else None,
            "to": date_to.isoformat() if date_to else None,
        },
        page_params,
    )
    return View(
        str(ctx.db.path),
        _plan_path(),
        ctx.db.data_version(),
        as_of,
        district or None,
        group or None,
        date_from,
        date_to,
    )


def narrow_to_district(code: str) -> None:
    """A district chosen on a page (a bar or a row): the whole view narrows to it (sidebar and link follow)."""
    if st.session_state.get("view.district") != code:
        st.session_state["view.district"] = code
        st.session_state["view.picks"] = pick_count() + 1  # fresh tables and charts: no selection carried back
        st.rerun()


def pick_count() -> int:
    """Part of the keys of selectable tables and charts, so a choice made once is not made again on return."""
    return int(st.session_state.get("view.picks", 0))


def share_query(view: View, **page: str) -> str:
    """The query string of a link that opens this view (and the given page parameters)."""
    from urllib.parse import urlencode

    params = {k: v for k, v in st.query_params.to_dict().items() if k in VIEW_PARAMS}
    return urlencode({**params, **page})


# -- cached frames ------------------------------------------------------------------------------------
@st.cache_resource(show_spinner=False, max_entries=4)
def _target_ledger(db_path: str, plan_path: str, data_version: int):
    """This store version's activities per unit, target and day (immutable Arrow, shared by every session)."""
    ctx = _context(db_path, plan_path)
    return attainment.target_ledger(ctx.db, ctx.plan)


@st.cache_data(show_spinner=False, max_entries=64)
def _unit_targets(view: View) -> pd.DataFrame:
    ctx = view.ctx
    ledger = _target_ledger(view.db_path, view.plan_path, view.data_version)
    return attainment.unit_targets(ctx.db, ctx.plan, view.as_of, ctx.settings.lagging, ledger)


@st.cache_data(show_spinner=False, max_entries=128)
def _unit_status(view: View, codes: tuple[str, ...] | None, language: str) -> pd.DataFrame:  # reasons are worded
    ctx = view.ctx
    targets = _unit_targets(view)
    if codes is not None:
        targets = targets[targets["unit_code"].isin(codes)]
    return attainment.unit_status(targets, ctx.plan, ctx.settings.lagging, view.as_of, language)


def unit_targets(view: View) -> pd.DataFrame:
    """Every (unit, target) pair as of the view's date (the filters do not change attainment)."""
    return _unit_targets(view.base)


def unit_status(view: View, codes: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Per unit with severity and Vietnamese reasons; only the units `codes` when given (the reasons are
    built unit by unit in Python: ask for the units a page shows, and use unit_summary for the rest)."""
    return _unit_status(view.base, tuple(codes) if codes is not None else None, language())


@st.cache_data(show_spinner=False, max_entries=64)
def _unit_summary(view: View) -> pd.DataFrame:
    return views.unit_summary(_unit_targets(view))


def unit_summary(view: View) -> pd.DataFrame:
    """unit_status without reasons and severity: cheap, for charts and counts."""
    return _unit_summary(view.base)


@st.cache_data(show_spinner=False, max_entries=64)
def _district_rollup(view: View) -> pd.DataFrame:
    return attainment.district_rollup(_unit_targets(view), _unit_summary(view))


def district_rollup(view: View) -> pd.DataFrame:
    return _district_rollup(view.base)


@st.cache_data(show_spinner=False, max_entries=64)
def kpis(view: View) -> dict:
    """Headline figures: activities of the filtered view, attainment of the units in the chosen district."""
    figures = activity_kpis(view)
    targets, units = unit_targets(view), unit_summary(view)
    if view.district:
        targets, units = views.in_district(targets, view.district), views.in_district(units, view.district)
    return {**figures, **attainment.province_summary(targets, units)}


@st.cache_data(show_spinner=False, max_entries=64)
def month_change(view: View, days: int = 30) -> dict | None:
    """Change of the headline figures over the `days` days before the as-of date (None before the plan has run
    that long): activities and participants from the view's own digest, targets met and lagging units from the
    attainment as of `days` earlier."""
    earlier = view.as_of - dt.timedelta(days=days)
    if earlier < view.ctx.plan.start:
        return None
    daily = activity_digest(view).daily
    recent = daily[pd.to_datetime(daily["activity_date"]) > pd.Timestamp(earlier)] if len(daily) else daily
    then_met, then_lagging = attainment.met_and_lagging(
        views.in_district(_unit_targets(replace(view, as_of=earlier).base), view.district)
    )
    now_met, now_lagging = attainment.met_and_lagging(views.in_district(unit_targets(view), view.district))
    return {
        "activities": int(recent["activities"].sum()) if len(recent) else 0,
        "participants": int(recent["participants"].sum()) if len(recent) else 0,
        "pairs_met": now_met - then_met,
        "lagging_units": now_lagging - then_lagging,
    }


@st.cache_resource(show_spinner=False, max_entries=32)  # shared, not copied: callers only read it; ~4 MB at 1M
def _period_digest(view: View, unit: str | None) -> views.ActivityDigest:
    return views.activity_digest(view.ctx.db, view.activity_filter(unit=unit))


@st.cache_data(show_spinner=False, max_entries=256)
def activity_digest(view: View, unit: str | None = None) -> views.ActivityDigest:
    """The view's activities (of one unit when given) boiled down: figures, types and timeline derive from it.
    One scan per filter for the whole period, cut at the view's date, so moving the as-of date costs no scan."""
    whole = _period_digest(replace(view, as_of=view.ctx.plan.deadline), unit)
    return whole.until(view.window()[1])


def activity_kpis(view: View, unit: str | None = None) -> dict:
    return activity_digest(view, unit).kpis()


@st.cache_data(show_spinner=False, max_entries=256)
def activities_by_type(view: View) -> pd.DataFrame:
    return activity_digest(view).by_type(view.ctx.plan)


@st.cache_data(show_spinner=False, max_entries=256)
def timeline(view: View, grain: str, unit: str | None = None) -> pd.DataFrame:
    return activity_digest(view, unit).timeline(grain, view.ctx.plan.deadline)


@st.cache_data(show_spinner=False, max_entries=256)
def activity_page(
    view: View,
    page: int,
    page_size: int,
    unit: str | None = None,
    level: str | None = None,
    types: tuple[str, ...] = (),
    text: str | None = None,
) -> tuple[pd.DataFrame, int]:
    flt = view.activity_filter(unit=unit, level=level, types=types, text=text or None)
    return views.activity_page(view.ctx.db, flt, page, page_size)


@st.cache_data(show_spinner=False, max_entries=4)
def _geojson(path: str, modified: float) -> tuple[dict | None, str | None]:
    from analytics.reference.geo import GeoError, load_districts

    try:
        return load_districts(Path(path)), None
    except GeoError as exc:
        return None, str(exc)


def district_geojson() -> tuple[dict | None, str | None]:
    """(outlines, None), (None, why it cannot be drawn), or (None, None) when no file is configured."""
    path = load_settings().geojson_path
    if path is None:
        return None, None
    return _geojson(str(path), path.stat().st_mtime if path.exists() else 0.0)


@st.cache_data(show_spinner=False, max_entries=64)
def _district_statuses(view: View, language: str) -> pd.DataFrame:
    return attainment.district_statuses(_unit_targets(view), view.ctx.settings.district, language)


def district_statuses(view: View) -> pd.DataFrame:
    """Every district-level union with its communes judged (met / on_track / behind) with reasons, worst first."""
    return _district_statuses(view.base, language())


@st.cache_data(show_spinner=False, max_entries=64)
def _province_status(view: View, language: str) -> dict:
    return attainment.province_status(_unit_targets(view), view.ctx.settings.district, language)


def province_status(view: View) -> dict:
    return _province_status(view.base, language())


def headed(frame: pd.DataFrame, *columns: str | tuple[str, str]) -> pd.DataFrame:
    """A table as the page shows it: `frame`'s columns in the order given, under the catalogue's headings
    (headed(f, "code", ("name", "unit")) shows f["code"] under t("col.code") and f["name"] under t("col.unit"))."""
    pairs = [(column, column) if isinstance(column, str) else column for column in columns]
    return frame[[column for column, _ in pairs]].rename(columns={column: t(f"col.{key}") for column, key in pairs})


def worded(rows: pd.DataFrame, status_labels: dict[str, str]) -> pd.DataFrame:
    """Unit rows in a table's words, for whichever of these columns they have: attainment in per cent; status,
    level and severity in words; reasons joined."""
    words = {
        "attainment": format_percent,
        "status": status_labels,
        "level": lambda level: t(f"level.{level}"),
        "severity": lambda severity: t(f"severity.{severity}") if severity else "",
        "reasons": "; ".join,
    }
    return rows.assign(**{column: rows[column].map(word) for column, word in words.items() if column in rows})


def target_table(rows: pd.DataFrame, plan, labels: dict[str, str], progress: bool = False) -> pd.DataFrame:
    """One unit's targets as the targets and unit pages show them (labels: the status words); `progress` adds
    the share of the minimum reached, in percent."""
    shown = rows.assign(
        description=[plan.target(i).description for i in rows["target_id"]],
        progress=rows["progress"] * 100,
        status=rows["status"].map(labels),
    )
    columns = [("target_id", "target"), "description", "count", "minimum", *(["progress"] if progress else [])]
    return headed(shown, *columns, "projected", "status")


def dashboard_page(title_key: str, page_params: tuple[str, ...] = ()) -> View:
    """How every dashboard page starts: the shared sidebar, the page's title, and the view in one line under it."""
    view = sidebar_view(page_params)
    st.title(t(title_key))
    context_line(view)
    return view


def context_line(view: View, **extra: str) -> None:
    """The view in one line at the top of the main area, so a shared link says what it shows (also on a phone)."""
    lo, hi = view.window()
    ctx = view.ctx
    names = {u.code: u.name for u in ctx.units}
    groups = {g.code: g.label for g in ctx.plan.groups}
    parts = [
        t("context.as_of", date=format_date(view.as_of)),
        names.get(view.district, view.district) if view.district else t("filter.all_districts"),
        groups.get(view.group, view.group) if view.group else t("filter.all_groups"),
        t("context.dates", lo=format_date(lo), hi=format_date(hi)),
        *extra.values(),
    ]
    st.caption(" · ".join(plain(p) for p in parts), help=t("context.help"))


def stop_before_period(view: View) -> None:
    """A page of figures as of a date before the plan's start has nothing to show: it says so and stops."""
    plan = view.ctx.plan
    if view.as_of < plan.start:
        st.info(t("overview.before_period", as_of=format_date(view.as_of), start=format_date(plan.start)))
        st.stop()


NARROW_SCREEN_PX = 640


def wide_and_narrow(key: str):
    """Two containers: the first shown on screens wider than NARROW_SCREEN_PX, the second on narrower ones (a phone),
    for a table or chart that cannot fit 390 px and a list that can. Both are drawn; a style rule hides one."""
    st.html(
        f"<style>@media (max-width: {NARROW_SCREEN_PX}px) {{ .st-key-{key}-wide {{display: none !important}} }}"
        f"@media (min-width: {NARROW_SCREEN_PX + 1}px) {{ .st-key-{key}-narrow {{display: none !important}} }}"
        "</style>"
    )
    return st.container(key=f"{key}-wide"), st.container(key=f"{key}-narrow")
