"""Nộp báo cáo: download the template, upload, see the check result before anything is stored, confirm."""

import streamlit as st

from analytics.core.text import format_number
from analytics.intake import display as ingest_display
from analytics.intake import template as ingest_template
from analytics.intake.check import SEPARATOR_NAMES, IngestReadError, check_file
from analytics.intake.submissions import commit
from ui.auth import actor_name, require_page, upload_scope
from ui.markup import plain
from ui.state import context, language, t
from ui.uploader import file_uploader

require_page(__file__)
ctx = context()
lang = language()
st.title(t("upload.title"))
st.caption(t("upload.intro"))

done = st.session_state.pop("upload_done", None)
if done:
    st.success(plain(done), icon=":material/check_circle:")
    st.page_link("app_pages/submissions.py", label=t("upload.history_link"), icon=":material/history:")

st.subheader(t("upload.template.header"))
templates = st.container(horizontal=True)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
for label, make, file_name, mime, icon in (
    ("upload.template.csv", ingest_template.template_csv, "mau-bao-cao-antq.csv", "text/csv", ":material/download:"),
    ("upload.template.xlsx", ingest_template.template_xlsx, "mau-bao-cao-antq.xlsx", XLSX, ":material/download:"),
    ("upload.template.codes", ingest_template.codes_csv, "danh-muc-ma-antq.csv", "text/csv", ":material/list:"),
):
    templates.download_button(t(label), make(ctx.plan, ctx.units, lang), file_name=file_name, mime=mime, icon=icon)
st.caption(t("upload.template.help"))

st.subheader(t("upload.file.header"))
nonce = st.session_state.setdefault("upload_nonce", 0)
uploaded = file_uploader(
    t("upload.file.label"), ["csv", "txt", "tsv", "xlsx"], help=t("upload.file.help"), key=f"upload_file_{nonce}"
)
if uploaded is None:
    st.stop()

scope = upload_scope(ctx)
key = (uploaded.file_id, uploaded.size, ctx.db.data_version(), tuple(sorted(scope)) if scope is not None else None)
checked = st.session_state.get("upload_check")
if not checked or checked["key"] != key:
    bar = st.progress(0, text=t("intake.progress.checking", percent=0))

    def advance(fraction: float) -> None:  # a large file takes seconds: say how far the check has come
        bar.progress(min(fraction, 1.0), text=t("intake.progress.checking", percent=round(100 * fraction)))

    with st.spinner(t("upload.checking")):
        try:
            result = check_file(
                ctx.db, ctx.plan, ctx.units, uploaded.getvalue(), uploaded.name, allowed_units=scope, progress=advance
            )
        except IngestReadError as exc:
            bar.empty()
            st.error(t("upload.read_error", reason=plain(exc)), icon=":material/error:")
            st.stop()
    bar.empty()
    checked = st.session_state["upload_check"] = {"key": key, "result": result}
result = checked["result"]

separator = SEPARATOR_NAMES.get(result.separator or "")
st.caption(
    t(
        "upload.encoding",
        encoding=result.encoding,
        separator=t("upload.separator", separator=t(f"upload.separator.{separator}")) if separator else "",
    )
)
layout = ([t("intake.layout.sheet", sheet=result.sheet)] if result.sheet is not None else []) + (
    [t("intake.layout.header_row", row=result.header_row)] if result.header_row != 1 else []
)
if layout:  # the sheet's name is text from the file: plain text, never Markdown
    st.text(" ".join(layout))
cards = st.container(horizontal=True)  # wraps onto more rows on a narrow screen
for label, value in (
    ("rows", result.rows),
    ("accepted", result.accepted),
    ("rejected", result.rejected),
    ("duplicates", result.duplicates),
    ("updated", result.updated),
    ("new", result.new),
):
    cards.metric(t(f"upload.metric.{label}"), format_number(value), border=True)
for warning in result.warnings:
    st.warning(plain(warning), icon=":material/info:")

if len(result.errors):
    st.subheader(t("upload.errors.header"))
    st.dataframe(
        ingest_display.errors_table(result, lang),
        hide_index=True,
        width="stretch",
        column_config={
            t("upload.col.line"): st.column_config.NumberColumn(width="small"),
            t("upload.col.column"): st.column_config.TextColumn(width=150),
            t("upload.col.value"): st.column_config.TextColumn(width=150),
            t("upload.col.message"): st.column_config.TextColumn(width=900),
        },
    )  # the rest
    if len(result.errors) > 1000:
        st.caption(t("upload.errors.more", shown=format_number(1000), total=format_number(len(result.errors))))
if len(result.duplicate_rows):
    with st.expander(f"{t('upload.duplicates.header')} ({format_number(len(result.duplicate_rows))})"):
        st.dataframe(ingest_display.duplicates_table(result, lang), hide_index=True, width="stretch")
if len(result.skipped_rows):
    with st.expander(t("intake.skipped.header", count=format_number(len(result.skipped_rows)))):
        st.dataframe(ingest_display.skipped_table(result, lang), hide_index=True, width="stretch")
if result.accepted:
    st.subheader(t("upload.preview.header"))
    st.dataframe(ingest_display.preview_table(result, ctx.plan, ctx.units, lang), hide_index=True, width="stretch")

st.subheader(t("upload.confirm.header"))
if result.new + result.updated == 0:
    st.info(t("upload.confirm.nothing"), icon=":material/info:")
    st.stop()
valid_only = False
if result.rejected:
    valid_only = st.checkbox(t("upload.confirm.valid_only", rejected=format_number(result.rejected)))
    if not valid_only:
        st.warning(t("upload.confirm.blocked", rejected=format_number(result.rejected)), icon=":material/block:")
if st.button(
    t("upload.confirm.button", count=format_number(result.new + result.updated)),
    type="primary",
    disabled=bool(result.rejected and not valid_only),
    icon=":material/save:",
):
    outcome = commit(ctx.db, result, actor_name(), valid_only=valid_only)
    st.cache_data.clear()  # every chart reads the new data
    st.session_state.pop("upload_check", None)
    st.session_state["upload_nonce"] = nonce + 1
    st.session_state["upload_done"] = outcome.message
    st.rerun()
