"""Entry point: page config, the shared sidebar and navigation. Run: streamlit run dashboard.py"""

from __future__ import annotations

import streamlit as st

from analytics.reference.plan import PlanError
from analytics.store.database import StoreError, StoreLockedError
from ui import errors
from ui.auth import gate, route_through_entry_point
from ui.markup import plain
from ui.navigation import DEFAULT_URL_PATH, pages_for
from ui.routing import default_page_by_name
from ui.state import context, language_picker, t
from ui.table_toolbar import hide_csv_download


def main() -> None:
    route_through_entry_point(entry=True)
    errors.install()  # an uncaught error shows a Vietnamese sentence, never a traceback
    st.set_page_config(page_title=t("app.title"), page_icon=":material/shield:", layout="wide")
    hide_csv_download()  # the table toolbar's raw CSV would carry formulas from uploaded files
    try:
        ctx = context()
    except (PlanError, StoreError, StoreLockedError) as exc:
        st.error(t("app.error.store", detail=plain(exc)))
        st.stop()
    with st.sidebar:
        st.markdown(f"**{t('app.title')}**")
        st.caption(t("app.subtitle"))
        language_picker()
    errors.guarded(lambda: signed_in_pages(ctx))


def signed_in_pages(ctx) -> None:
    account = gate(ctx)  # stops here unless signed in (or no account yet and this machine asks)
    if ctx.is_demo():
        st.info(t("app.demo_banner"), icon=":material/science:")
    default_page_by_name(DEFAULT_URL_PATH)
    st.navigation(pages_for(account.role if account else None)).run()


main()
