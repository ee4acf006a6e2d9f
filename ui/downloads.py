"""Download buttons: a shown table as CSV and Excel, and the Word report.

Files are made only when the user clicks (deferred downloads), so drawing a page costs nothing extra.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import streamlit as st

from analytics.access import audit
from analytics.core.text import format_number
from analytics.outputs import exports
from analytics.outputs.report_docx import report_bytes, report_file_name
from ui.auth import actor_name
from ui.state import View, context, language, t

CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# A browser download is held whole in the server's memory (Streamlit keeps the bytes for the session): above
# this many records the page points to the streaming command line instead (issue 4 keeps the server < 600 MiB).
WEB_MAX_ROWS = 300_000


def activity_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Activities as the explorer and the unit page show them: the columns, order and headings of
    exports.SCREEN_COLUMNS (so their downloads equal the screen), sums of money in the Vietnamese style."""
    source = {"activity_id": "id"}
    shown = {t(col.header_key): frame[source.get(col.name, col.name)] for col in exports.SCREEN_COLUMNS}
    budget = t("col.budget")
    shown[budget] = shown[budget].map(lambda v: "" if pd.isna(v) else format_number(v))
    return pd.DataFrame(shown)


def table_downloads(
    frame: pd.DataFrame,
    name: str,
    filters: dict[str, str],
    key: str,
    activities=None,
    total: int | None = None,
    as_of: dt.date | None = None,
    title: str | None = None,
) -> None:
    """CSV and XLSX of `frame` (already filtered, Vietnamese headers) as files named `name`.csv/.xlsx.

    `filters` maps a Vietnamese filter label to its value, stated in the workbook's second sheet.
    `activities`: a page's activity filter (an object with `params()` as analytics.measures.views.ActivityFilter); when
    given, the files hold every matching activity record from the store, not only the rows shown, streamed, with
    the columns and order of the page's table (exports.SCREEN_COLUMNS, newest first).
    `total`: the number of those records when the page knows it (saves a count query).
    """
    as_of = as_of or st.session_state.get("view.as_of") or st.session_state.get("as_of")  # the sidebar's date
    lang = language()
    about = exports.About(
        title=title or t("export.title.table", name=name),
        filters={str(k): str(v) for k, v in filters.items()},
        as_of=as_of if isinstance(as_of, dt.date) else None,
    )
    rows = len(frame)
    if activities is not None:
        db = context().db
        rows = total if total is not None else exports.count_activities(db, activities)

        def make_csv() -> bytes:
            buffer = io.BytesIO()
            exports.write_activities_csv(db, activities, buffer, lang, exports.SCREEN_COLUMNS, newest_first=True)
            return buffer.getvalue()

        def make_xlsx() -> bytes:
            buffer = io.BytesIO()
            exports.write_activities_xlsx(
                db, activities, buffer, _stamped(about), lang, exports.SCREEN_COLUMNS, newest_first=True
            )
            return buffer.getvalue()
    else:

        def make_csv() -> bytes:
            return exports.frame_to_csv(frame, lang)

        def make_xlsx() -> bytes:
            return exports.frame_to_xlsx(frame, _stamped(about), lang)

    too_many = rows > exports.EXCEL_MAX_ROWS - 1
    too_big = rows > WEB_MAX_ROWS
    too_big_text = t("downloads.too_big", rows=format_number(rows), limit=format_number(WEB_MAX_ROWS))
    with st.container(horizontal=True, key=f"{key}-downloads"):
        st.download_button(
            t("downloads.csv"),
            _audited(make_csv, f"{name}.csv", rows, about.filters),
            file_name=f"{name}.csv",
            mime=CSV_MIME,
            disabled=too_big,
            key=f"{key}-csv",
            help=too_big_text if too_big else t("downloads.csv_help"),
            icon=":material/download:",
            on_click="ignore",
        )
        st.download_button(
            t("downloads.xlsx"),
            _audited(make_xlsx, f"{name}.xlsx", rows, about.filters),
            file_name=f"{name}.xlsx",
            mime=XLSX_MIME,
            key=f"{key}-xlsx",
            icon=":material/table_view:",
            on_click="ignore",
            disabled=too_many or too_big,
            help=exports.TooManyRowsForExcel(rows, lang).args[0]
            if too_many
            else too_big_text
            if too_big
            else t("downloads.xlsx_help"),
        )
    if too_big:
        st.caption(too_big_text)
    elif too_many:
        st.caption(exports.TooManyRowsForExcel(rows, lang).args[0])
    elif activities is not None and rows > len(frame):
        st.caption(t("downloads.all_rows", rows=format_number(rows)))


def _audited(make, file_name: str, rows: int | None = None, filters: dict | None = None):
    """`make`, writing an "export" entry (who, which file) in the audit log when the file is made (the click)."""
    db, actor = context().db, actor_name()  # read now: the file is made outside the script run

    def made() -> bytes:
        data = make()
        audit.record(db, actor, "export", {"file": file_name, "rows": rows, "filters": filters or None})
        return data

    return made


def _stamped(about: exports.About) -> exports.About:
    """The about-sheet with the time the file is made (the click, not the page draw)."""
    return exports.About(about.title, about.filters, about.as_of, dt.datetime.now())


def report_download(view: View, unit_code: str | None = None) -> None:
    """The Word report: the province's (no unit; also the sidebar's district when one is chosen), or a unit's;
    a district-level unit also gets its district's."""
    ctx = view.ctx
    as_of = view.as_of
    if as_of < ctx.plan.start:  # nothing to report yet; the page says why
        return
    choices: list[tuple[str, str | None, str | None]] = []
    if unit_code is None:  # the overview: the province, and the district the sidebar narrows to
        if view.district and any(u.code == view.district and u.level == "district" for u in ctx.units):
            choices.append((t("downloads.report_district"), None, view.district))
        choices.append((t("downloads.report_province"), None, None))
    else:
        unit = next((u for u in ctx.units if u.code == unit_code), None)
        if unit is None:
            return
        choices.append((t("downloads.report_unit"), unit_code, None))
        if unit.level == "district":
            choices.append((t("downloads.report_district"), None, unit_code))
    with st.container(horizontal=True, key=f"report-{unit_code or 'province'}"):
        for label, unit, district in choices:
            st.download_button(
                label,
                _audited(_report_maker(view, unit, district), report_file_name(ctx, as_of, unit, district)),
                file_name=report_file_name(ctx, as_of, unit, district),
                mime=DOCX_MIME,
                key=f"report-{unit or ''}-{district or ''}",
                icon=":material/description:",
                on_click="ignore",
                help=t("downloads.report_help", as_of=as_of.strftime("%d/%m/%Y")),
            )


def _report_maker(view: View, unit_code: str | None, district_code: str | None):
    def make() -> bytes:
        return report_bytes(view.ctx, view.as_of, unit_code, district_code)

    return make
