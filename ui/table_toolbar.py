"""The table toolbar's own "Download as CSV" is hidden on every page.

Streamlit's st.dataframe writes its CSV in the browser from the values shown, raw: a cell such as `=1+1` or
`@SUM(1+1)*cmd|' /C calc'!A0` from an uploaded file (the upload page's error and preview tables) would reach a
spreadsheet as a live formula, around the product's neutralising (analytics/outputs/exports.py). Streamlit 1.67 has no
parameter to turn that button off, so a style rule removes it; every table a user may take away has the product's
own CSV/Excel buttons beside it, which neutralise formulas.
"""

from __future__ import annotations

import streamlit as st

CSV_BUTTON = (
    '[data-testid="stElementToolbarButton"]:has(button[aria-label="Download as CSV"]), '
    '[data-testid="stElementToolbar"] button[aria-label="Download as CSV"]'
)


def hide_csv_download() -> None:
    st.html(f"<style>{CSV_BUTTON} {{display: none !important}}</style>")
