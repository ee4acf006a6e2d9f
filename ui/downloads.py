"""Download buttons under a shown table. Issue 5 (exports) owns this module: CSV + XLSX of exactly what is shown."""
from __future__ import annotations

import pandas as pd
import streamlit as st


def table_downloads(frame: pd.DataFrame, name: str, filters: dict[str, str], key: str) -> None:
    """Offer `frame` (already filtered, Vietnamese headers) as files named `name`.csv/.xlsx.

    `filters` maps a Vietnamese filter label to its value, stated in the workbook's second sheet.
    """
    data = frame.to_csv(index=False).encode("utf-8-sig")
    st.download_button("CSV", data, file_name=f"{name}.csv", mime="text/csv", key=f"{key}-csv")
