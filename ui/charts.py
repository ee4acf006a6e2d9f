"""Plotly figures with Vietnamese labels, vi-VN number format and colour-blind-safe status colours."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

# Okabe-Ito: distinguishable for the common kinds of colour blindness; status is also written out.
STATUS_COLOURS = {"met": "#009E73", "on_track": "#56B4E9", "lagging": "#E69F00", "high": "#D55E00"}


def base_layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
        separators=",.",
        height=height,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
        font={"family": "Inter, Arial, sans-serif"},
    )
    return fig


def attainment_bars(frame: pd.DataFrame, title: str, axis_title: str, status_labels: dict[str, str]) -> go.Figure:
    """Horizontal bars of attainment (0-1) per row of `frame` (columns: name, attainment, status, hover)."""
    fig = go.Figure()
    for status in ("met", "on_track", "lagging"):
        rows = frame[frame["status"] == status]
        if rows.empty:
            continue
        fig.add_bar(
            y=rows["name"], x=rows["attainment"] * 100, orientation="h", name=status_labels[status],
            marker={"color": STATUS_COLOURS[status], "pattern": {"shape": "/" if status == "lagging" else ""}},
            text=[f"{v:.0f}%".replace(".", ",") for v in rows["attainment"] * 100], textposition="auto",
            customdata=rows[["hover"]], hovertemplate="%{y}<br>%{customdata[0]}<extra></extra>",
        )
    fig.update_yaxes(categoryorder="array", categoryarray=list(frame["name"])[::-1], title=None)
    fig.update_xaxes(range=[0, 105], title=axis_title, ticksuffix="%")
    return base_layout(fig, title, height=max(300, 34 * len(frame) + 90))
