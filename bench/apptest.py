"""Server time of each page's rerun after a filter change, in AppTest. Run: python -m bench.apptest DB [--repeat N]

For every page file listed in ui/navigation.py that exists: a first run (opens the store, fills the caches),
then N reruns, each after moving the sidebar's as-of date to a date no earlier run used (so the page's
cached frames must be recomputed, as when a leader moves the date). A page without the as-of date (the admin
pages) gets plain reruns. Then one more rerun after the store was let go (as the server does when idle or when a
command asks for the file): `reopen_s`, the cost of opening the file again with DuckDB's cache cold.
AppTest compiles the scripts afresh on every run; a server compiles each once (one ScriptCache for every
session), so the runs here share one cache too and time what the server does. Prints JSON {page: {...}}."""

from __future__ import annotations

import argparse
import datetime as dt
import os

from bench.common import ROOT, emit, median, timed

CHART_ELEMENTS = ("plotly_chart", "arrow_vega_lite_chart", "deck_gl_json_chart")


def pages() -> list:
    from ui.navigation import PAGES

    return [spec for spec in PAGES if (ROOT / spec.path).exists()]


def as_of_dates(start: dt.date, deadline: dt.date, count: int) -> list[dt.date]:
    """count distinct dates spread over the plan period, none of them the default (the latest activity)."""
    span = (deadline - start).days
    return [start + dt.timedelta(days=span * (k + 1) // (count + 2)) for k in range(count)]


def _let_go() -> None:
    """Lets go of every store the app holds, as the server's lease does after STORE_LINGER or for a waiting command."""
    import gc

    from analytics.store.database import Database

    for obj in gc.get_objects():
        if isinstance(obj, Database):
            obj.release()  # close() is for good since the hardening merge; the lease reopens after release()


def _compile_once() -> None:
    """One ScriptCache for every AppTest run, as the server keeps one (AppTest makes a new one per run)."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test

    shared = ScriptCache()
    app_test.ScriptCache = lambda: shared


def measure_page(path: str, dates: list[dt.date]) -> dict:
    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

    from analytics.core.i18n import t
    from ui.navigation import PAGES

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
    at.switch_page(str(ROOT / path))
    # Before the first run AppTest would name the page by its file; st.navigation knows it by its address
    # (st.Page hashes url_path), so the first run reaches the page through dashboard.py, as a request does.
    at._page_hash = calc_hash(next(spec.url_path for spec in PAGES if spec.path == path))
    first_s = timed(at.run)
    if at.exception:
        return {"error": at.exception[0].message}
    title = at.title[0].value if at.title else None
    charts = sum(len(at.get(kind)) for kind in CHART_ELEMENTS)
    as_of_label = t("sidebar.as_of", "vi")
    as_of_widgets = [widget for widget in at.date_input if widget.label == as_of_label]
    has_as_of = bool(as_of_widgets)
    reruns = []
    for day in dates:
        if has_as_of:
            as_of_widgets[0].set_value(day)
        reruns.append(timed(at.run))
        if at.exception:
            return {"error": at.exception[0].message}
        if has_as_of:
            as_of_widgets = [widget for widget in at.date_input if widget.label == as_of_label]
            shown = as_of_widgets[0].value if as_of_widgets else None
            if shown != day:
                return {"error": f"the as-of date did not move to {day} (shows {shown})"}
        if at.title and at.title[0].value != title:
            return {"error": f"rerun left the page: {at.title[0].value}"}
    _let_go()
    if has_as_of:
        as_of_widgets[0].set_value(dates[0] - dt.timedelta(days=1))
    reopen_s = timed(at.run)
    return {
        "first_s": first_s,
        "rerun_s": median(reruns),
        "reopen_s": reopen_s,
        "rerun_max_s": max(reruns),
        "runs": len(reruns),
        "filter": "as_of" if has_as_of else None,
        "charts": charts,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ["ANTQ_DB"] = args.db

    from analytics.context import open_context

    ctx = open_context(args.db, read_only=True)
    start, deadline = ctx.plan.start, ctx.plan.deadline
    ctx.close()

    _compile_once()
    specs = pages()
    dates = as_of_dates(start, deadline, args.repeat * len(specs))
    results = {}
    for i, spec in enumerate(specs):
        results[spec.path] = measure_page(spec.path, dates[i :: len(specs)])
    emit(results)


if __name__ == "__main__":
    main()
