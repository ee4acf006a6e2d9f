"""Nộp báo cáo năm: a unit hands in its year-end report (Word file + signed scan); an admin may do it on its behalf."""

import datetime as dt

import pandas as pd
import streamlit as st

from analytics import unit_reports as reports
from analytics.access import audit, auth
from analytics.core.text import format_date
from analytics.unit_reports.files import download_name
from ui.auth import actor_name, require_page, upload_scope
from ui.downloads import DOCX_MIME
from ui.markup import plain
from ui.state import context, t
from ui.unit_reports import moment, settings, state_label, uploader_words

account = require_page(__file__)
ctx = context()
config = settings()
day = reports.deadline(ctx, config)
st.title(t("reports.handin.title"))
st.caption(t("reports.handin.intro", deadline=format_date(day), limit=f"{config.max_file_mb:g}"))

done = st.session_state.pop("report_handin_done", None)
if done:
    st.success(plain(done), icon=":material/check_circle:")

scope = upload_scope(ctx)
choices = [u for u in reports.expected_units(ctx, config) if scope is None or u.code in scope]
if not choices:
    st.info(t("reports.handin.no_unit"), icon=":material/info:")
    st.stop()
code = st.selectbox(
    t("reports.handin.unit"),
    [u.code for u in choices],
    key="report-handin-unit",
    format_func={u.code: u.name for u in choices}.get,
)
report = next(r for r in reports.unit_reports(ctx, config) if r.unit.code == code)

# -- where this unit stands ----------------------------------------------------------------------------------
st.subheader(t("reports.handin.state_header"))
line = t("reports.handin.state", state=state_label(report))
if report.handed_in_at:
    line += " " + t("reports.unit_state.when", at=moment(report.handed_in_at), version=report.version)
st.markdown(line)
if report.state == "returned" and report.review:
    st.warning(
        t(
            "reports.handin.returned",
            reason=plain(report.review.get("reason") or ""),
            by=plain(report.review.get("by") or ""),
            at=moment(report.review.get("at")),
        ),
        icon=":material/undo:",
    )
missing = report.missing_kinds()
if missing:
    st.info(
        t("reports.handin.missing", what=", ".join(t(f"reports.kind.{k}") for k in missing)),
        icon=":material/pending_actions:",
    )

# -- the draft to fill in and sign -------------------------------------------------------------------------
st.subheader(t("reports.handin.draft_header"))
st.caption(t("reports.handin.draft_help"))


actor = actor_name()


def _draft() -> bytes:  # made on the click, outside the script run: everything it needs is read now
    name, data = reports.draft_report(ctx, code)
    audit.record(ctx.db, actor, "export", {"file": name, "unit": code})
    return data


st.download_button(
    t("reports.handin.draft_button"),
    _draft,
    file_name=f"du-thao-bao-cao-nam-{code}.docx",
    mime=DOCX_MIME,
    icon=":material/description:",
    on_click="ignore",
    key=f"report-draft-{code}",
)

# -- hand in ----------------------------------------------------------------------------------------------------
st.subheader(t("reports.handin.form_header"))
nonce = st.session_state.setdefault("report_handin_nonce", 0)
st.html(uploader_words(config.max_file_mb, ["docx", "pdf", "jpg", "png"]))  # one style rule for both uploaders
word = st.file_uploader(
    t("reports.handin.word"), ["docx"], key=f"report-word-{code}-{nonce}", help=t("reports.handin.word_help")
)
scans = st.file_uploader(
    t("reports.handin.scan"),
    ["pdf", "jpg", "jpeg", "png"],
    key=f"report-scan-{code}-{nonce}",
    accept_multiple_files=True,
    help=t("reports.handin.scan_help"),
)
received = None
if auth.is_admin(account):
    if st.checkbox(
        t("reports.handin.received"), key=f"report-received-{nonce}", help=t("reports.handin.received_help")
    ):
        when = st.container(horizontal=True)
        received_day = when.date_input(
            t("reports.handin.received_day"),
            value=min(dt.date.today(), day),
            format="DD/MM/YYYY",
            key=f"report-received-day-{nonce}",
        )
        received_time = when.time_input(
            t("reports.handin.received_time"), value=dt.time(8, 0), key=f"report-received-time-{nonce}"
        )
        received = dt.datetime.combine(received_day, received_time)

if st.button(
    t("reports.handin.submit"),
    type="primary",
    icon=":material/send:",
    key="report-handin-submit",
    disabled=word is None and not scans,
):
    checked, errors = [], []
    for kind, upload in [("word", word)] * (word is not None) + [("scan", s) for s in scans or []]:
        try:
            checked.append(reports.check_file(kind, upload.getvalue(), upload.name, config.max_bytes))
        except reports.ReportFileError as exc:
            errors.append(str(exc))
    if errors:
        for error in errors:
            st.error(plain(error), icon=":material/block:")
        st.stop()
    try:
        outcome = reports.hand_in(ctx, config, code, checked, actor_name(), scope, received_at=received)
    except reports.ReportError as exc:
        st.error(plain(exc), icon=":material/block:")
        st.stop()
    st.cache_data.clear()
    st.session_state["report_handin_nonce"] = nonce + 1
    st.session_state["report_handin_done"] = outcome.message
    st.rerun()

# -- earlier versions -------------------------------------------------------------------------------------------
versions = reports.history(ctx, code)
if versions:
    st.subheader(t("reports.handin.history_header"))
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("reports.col.version"): v["version"],
                    t("reports.col.handed_in_at"): moment(v["handed_in_at"]),
                    t("reports.col.by"): v["by"] or "",
                    t("reports.col.word"): ", ".join(f["name"] for f in v["files"] if f["kind"] == "word"),
                    t("reports.col.scan"): ", ".join(f["name"] for f in v["files"] if f["kind"] == "scan"),
                    t("reports.col.review"): t(f"reports.review.{v['review']['state']}") if v["review"] else "",
                    t("reports.col.reason"): (v["review"] or {}).get("reason") or "",
                }
                for v in versions
            ]
        ),
        hide_index=True,
        width="stretch",
        key="report-history",
    )
    latest = versions[0]
    buttons = st.container(horizontal=True)
    for index, item in enumerate(latest["files"]):

        def _file(kind=item["kind"], position=int(item["position"])) -> bytes:
            return reports.download(ctx, code, kind, actor, latest["report_id"])[position - 1][1]

        label = t(f"reports.download.{item['kind']}")
        if item["kind"] == "scan" and len(latest["files"]) > 2:
            label += f" ({item['position']})"
        buttons.download_button(
            label,
            _file,
            file_name=download_name(code, item["kind"], item["media_type"], int(item["position"]), latest["version"]),
            mime="application/octet-stream",
            on_click="ignore",
            icon=":material/download:",
            key=f"report-own-{index}",
        )
