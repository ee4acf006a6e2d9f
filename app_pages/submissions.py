"""Lịch sử nộp: every submission, and rolling one back after a confirmation dialog."""

import streamlit as st

from analytics.access import auth
from analytics.intake import display as ingest_display
from analytics.intake.submissions import SubmissionError, list_submissions, rollback
from ui.auth import actor_name, require_page
from ui.markup import plain
from ui.state import context, language, t

account = require_page(__file__)
can_roll_back = auth.is_admin(account)
ctx = context()
st.title(t("submissions.title"))

done = st.session_state.pop("rollback_done", None)
if done:
    st.success(plain(done), icon=":material/undo:")

frame = list_submissions(ctx.db)
if frame.empty:
    st.info(t("submissions.empty"), icon=":material/info:")
    st.page_link("app_pages/upload.py", label=t("nav.upload"), icon=":material/upload_file:")
    st.stop()
st.dataframe(ingest_display.submissions_table(frame, language()), hide_index=True, width="stretch")


def forget_pending() -> None:
    st.session_state.pop("rollback_pending", None)


@st.dialog(t("submissions.dialog.title"), on_dismiss=forget_pending)
def confirm_rollback(row) -> None:
    st.write(
        t("submissions.dialog.body", id=row.id, file=plain(row.file_name), inserted=row.inserted, updated=row.updated)
    )
    yes, no = st.columns(2)
    if yes.button(t("submissions.dialog.confirm"), type="primary", icon=":material/undo:"):
        forget_pending()
        try:
            removed = rollback(ctx.db, int(row.id), actor_name(), account)
        except SubmissionError as exc:
            st.error(plain(exc))
            return
        st.cache_data.clear()  # every chart reads the restored data
        st.session_state["rollback_done"] = t("ingest.rollback.done", id=row.id, rows=removed)
        st.rerun()
    if no.button(t("submissions.dialog.cancel")):
        forget_pending()
        st.rerun()


if can_roll_back:
    st.subheader(t("submissions.rollback.header"))
    active = frame[frame["status"] == "active"]
    if active.empty:
        st.caption(t("submissions.rollback.none"))
    else:
        options = {int(r.id): r for r in active.itertuples()}
        chosen = st.selectbox(
            t("submissions.rollback.select"),
            list(options),
            format_func=lambda i: t(
                "submissions.rollback.option",
                id=i,
                file=options[i].file_name,
                created=options[i].created_at.strftime("%d/%m/%Y %H:%M"),
            ),
        )
        if st.button(t("submissions.rollback.button"), icon=":material/undo:"):
            st.session_state["rollback_pending"] = chosen
        # The dialog stays open across reruns until confirmed, cancelled or dismissed.
        if st.session_state.get("rollback_pending") in options:
            confirm_rollback(options[st.session_state["rollback_pending"]])
