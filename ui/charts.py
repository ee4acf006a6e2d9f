"""Plotly figures with Vietnamese labels, vi-VN number format and colour-blind-safe status colours.

One meaning per colour everywhere: met / on track / lagging (Okabe-Ito), and lagging is also hatched and
every status is written out in the legend and hover text, so colour is never the only cue.
Callers pass already-translated titles and labels; this module holds no user-visible words.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

# Okabe-Ito: distinguishable for the common kinds of colour blindness; status is also written out.
STATUS_COLOURS = {"met": "#009E73", "on_track": "#56B4E9", "lagging": "#E69F00", "high": "#D55E00"}
STATUS_PATTERNS = {"met": "", "on_track": ".", "lagging": "/"}
STATUS_ORDER = ("met", "on_track", "lagging")
NEUTRAL = "#0072B2"
PACE = "#CC79A7"
DATE_FORMAT = "%d/%m/%Y"


def base_layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}, "y": 1, "yref": "container",
               "yanchor": "top", "pad": {"t": 10}},
        separators=",.",
        height=height,
        margin={"l": 10, "r": 10, "t": 90, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "yref": "paper", "xanchor": "left", "x": 0},
        font={"family": "Inter, Arial, sans-serif"},
        hoverlabel={"namelength": -1},
    )
    return fig


def _percent(value: float) -> str:
    return f"{value:.0f}%".replace(".", ",")


def attainment_bars(frame: pd.DataFrame, title: str, axis_title: str, status_labels: dict[str, str]) -> go.Figure:
    """Horizontal bars of attainment (0-1) per row of `frame` (columns: name, attainment, status, hover)."""
    fig = go.Figure()
    for status in STATUS_ORDER:
        rows = frame[frame["status"] == status]
        if rows.empty:
            continue
        fig.add_bar(
            y=rows["name"], x=rows["attainment"] * 100, orientation="h", name=status_labels[status],
            marker={"color": STATUS_COLOURS[status], "pattern": {"shape": STATUS_PATTERNS[status]}},
            text=[_percent(v) for v in rows["attainment"] * 100], textposition="outside", cliponaxis=False,
            customdata=rows[["hover"]].assign(status=status_labels[status]),
            hovertemplate="%{y}<br>%{customdata[1]} · %{x:.0f}%<br>%{customdata[0]}<extra></extra>",
        )
    fig.update_yaxes(categoryorder="array", categoryarray=list(frame["name"])[::-1], title=None)
    fig.update_xaxes(range=[0, 112], title=axis_title, ticksuffix="%", tickvals=[0, 25, 50, 75, 100])
    return base_layout(fig, title, height=max(300, 28 * len(frame) + 110))


def count_bars(labels: list[str], counts: list[int], title: str, axis_title: str, hover_name: str) -> go.Figure:
    """Horizontal bars of counts, in the given order (first on top)."""
    fig = go.Figure(go.Bar(
        y=labels, x=counts, orientation="h", marker={"color": NEUTRAL}, text=counts, texttemplate="%{x:,d}",
        textposition="auto", hovertemplate="%{y}<br>" + hover_name + ": %{x:,d}<extra></extra>",
    ))
    fig.update_yaxes(categoryorder="array", categoryarray=labels[::-1], title=None, automargin=True)
    fig.update_xaxes(title=axis_title, tickformat=",d")
    fig = base_layout(fig, title, height=max(240, 30 * len(labels) + 90))
    fig.update_layout(margin={"t": 50}, showlegend=False)
    return fig


def timeline(frame: pd.DataFrame, deadline: dt.date, title: str, labels: dict[str, str]) -> go.Figure:
    """Bars per period, the running total and the pace line to the deadline (second axis).

    labels: per_period, cumulative, pace, deadline, axis_period, axis_cumulative, period.
    """
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    periods = pd.to_datetime(frame["period"])
    ends = pd.to_datetime(frame["period_end"])
    fig.add_bar(x=periods, y=frame["activities"], name=labels["per_period"], marker={"color": NEUTRAL},
                opacity=0.55, customdata=ends.dt.strftime(DATE_FORMAT),
                hovertemplate=labels["period"] + " %{x|%d/%m/%Y} – %{customdata}<br>"
                + labels["per_period"] + ": %{y:,d}<extra></extra>", secondary_y=False)
    fig.add_scatter(x=ends, y=frame["cumulative"], name=labels["cumulative"], mode="lines+markers",
                    line={"color": STATUS_COLOURS["met"], "width": 3},
                    hovertemplate="%{x|%d/%m/%Y}<br>" + labels["cumulative"] + ": %{y:,d}<extra></extra>",
                    secondary_y=True)
    if len(frame):
        first = pd.Timestamp(frame["period"].iloc[0])
        last_end = pd.Timestamp(frame["period_end"].iloc[-1])
        span = max((pd.Timestamp(deadline) - first).days + 1, 1)
        projected = float(frame["pace"].iloc[-1]) * span / max((last_end - first).days + 1, 1)
        fig.add_scatter(x=[first, pd.Timestamp(deadline)], y=[0, projected], name=labels["pace"], mode="lines",
                        line={"color": PACE, "dash": "dash", "width": 2},
                        hovertemplate="%{x|%d/%m/%Y}<br>" + labels["pace"] + ": %{y:,.0f}<extra></extra>",
                        secondary_y=True)
        fig.add_vline(x=pd.Timestamp(deadline).timestamp() * 1000, line={"color": "#555", "dash": "dot"},
                      annotation_text=labels["deadline"], annotation_position="top left")
    fig.update_xaxes(tickformat="%d/%m/%Y", title=None)
    fig.update_yaxes(title=labels["axis_period"], tickformat=",d", secondary_y=False, rangemode="tozero")
    fig.update_yaxes(title=labels["axis_cumulative"], tickformat=",d", secondary_y=True, rangemode="tozero",
                     showgrid=False)
    return base_layout(fig, title, height=420)


def status_heatmap(frame: pd.DataFrame, row_label: str, title: str, status_labels: dict[str, str],
                   hover: dict[str, str]) -> go.Figure:
    """Units (rows, in frame order) × targets (columns) coloured by status, each cell showing its count.

    frame: long, with columns `row_label`, target_id, count, minimum, status. hover: target, count, status.
    """
    rows = list(dict.fromkeys(frame[row_label]))
    cols = list(dict.fromkeys(frame["target_id"]))
    code = {status: i for i, status in enumerate(STATUS_ORDER)}
    grid = frame.pivot(index=row_label, columns="target_id", values="status").reindex(index=rows, columns=cols)
    counts = frame.pivot(index=row_label, columns="target_id", values="count").reindex(index=rows, columns=cols)
    minimums = frame.pivot(index=row_label, columns="target_id", values="minimum").reindex(index=rows, columns=cols)
    z = grid.apply(lambda col: col.map(code)).to_numpy(dtype=float)
    text = [[f"{int(c)}/{int(m)}" for c, m in zip(crow, mrow)] for crow, mrow in zip(counts.to_numpy(), minimums.to_numpy())]
    words = grid.apply(lambda col: col.map(status_labels)).to_numpy()
    scale = []
    for i, status in enumerate(STATUS_ORDER):
        scale += [[i / 3, STATUS_COLOURS[status]], [(i + 1) / 3, STATUS_COLOURS[status]]]
    fig = go.Figure(go.Heatmap(
        z=z, x=cols, y=rows, text=text, texttemplate="%{text}", zmin=-0.5, zmax=2.5, colorscale=scale,
        customdata=words, xgap=2, ygap=2, showscale=False,
        hovertemplate="%{y}<br>" + hover["target"] + " %{x}: %{text}<br>" + hover["status"]
        + ": %{customdata}<extra></extra>",
    ))
    # A legend that names each colour (heatmaps have none of their own).
    for status in STATUS_ORDER:
        fig.add_scatter(x=[None], y=[None], mode="markers", name=status_labels[status],
                        marker={"color": STATUS_COLOURS[status], "size": 12, "symbol": "square"})
    fig.update_yaxes(autorange="reversed", title=None, automargin=True, type="category")
    fig.update_xaxes(side="top", title=None, type="category")
    height = max(280, 22 * len(rows) + 160)
    fig = base_layout(fig, title, height=height)
    # Room for the column labels on top, with the legend above them.
    fig.update_layout(plot_bgcolor="white", margin={"t": 120},
                      legend={"y": 1 + 34 / (height - 130), "yanchor": "bottom"})
    return fig


def progress_bars(frame: pd.DataFrame, title: str, axis_title: str, status_labels: dict[str, str]) -> go.Figure:
    """Count against minimum per row (columns: label, count, minimum, status), minimum drawn as a marker."""
    fig = go.Figure()
    for status in STATUS_ORDER:
        rows = frame[frame["status"] == status]
        if rows.empty:
            continue
        fig.add_bar(y=rows["label"], x=rows["count"], orientation="h", name=status_labels[status],
                    marker={"color": STATUS_COLOURS[status], "pattern": {"shape": STATUS_PATTERNS[status]}},
                    text=[f"{c}/{m}" for c, m in zip(rows["count"], rows["minimum"])], textposition="auto",
                    customdata=rows[["minimum"]].assign(status=status_labels[status]),
                    hovertemplate="%{y}<br>%{x:,d}/%{customdata[0]:,d} · %{customdata[1]}<extra></extra>")
    fig.add_scatter(y=frame["label"], x=frame["minimum"], mode="markers", name=axis_title,
                    marker={"symbol": "line-ns-open", "size": 22, "color": "#222", "line": {"width": 3}},
                    hovertemplate="%{y}<br>" + axis_title + ": %{x:,d}<extra></extra>")
    fig.update_yaxes(categoryorder="array", categoryarray=list(frame["label"])[::-1], title=None, automargin=True)
    fig.update_xaxes(tickformat=",d", rangemode="tozero")
    return base_layout(fig, title, height=max(260, 34 * len(frame) + 110))


def _rings(geometry: dict) -> list[list[list[float]]]:
    """Outer rings of a Polygon or MultiPolygon (holes are not drawn)."""
    coords = geometry.get("coordinates", [])
    polygons = [coords] if geometry.get("type") == "Polygon" else coords
    return [poly[0] for poly in polygons if poly]


def district_map(geojson: dict, frame: pd.DataFrame, title: str, status_labels: dict[str, str],
                 centres: dict[str, tuple[float, float]]) -> go.Figure:
    """Districts filled by status (frame: code, name, attainment, status, hover), named at their centre.

    Drawn as filled outlines on plain axes, so no map tiles or base layers are fetched from the internet.
    """
    fig = go.Figure()
    by_code = frame.set_index("code")
    shown = set()
    order = {status: i for i, status in enumerate(STATUS_ORDER)}
    features = [f for f in geojson["features"] if f["properties"]["code"] in by_code.index]
    for feature in sorted(features, key=lambda f: order[by_code.loc[f["properties"]["code"], "status"]]):
        code = feature["properties"]["code"]
        row = by_code.loc[code]
        status = row["status"]
        hover = f"{row['name']}<br>{status_labels[status]} · {_percent(row['attainment'] * 100)}<br>{row['hover']}"
        for ring in _rings(feature.get("geometry") or {}):
            fig.add_scatter(
                x=[p[0] for p in ring], y=[p[1] for p in ring], mode="lines", fill="toself",
                fillcolor=STATUS_COLOURS[status], line={"color": "white", "width": 1.5},
                fillpattern={"shape": STATUS_PATTERNS[status], "fgcolor": "#555", "bgcolor": STATUS_COLOURS[status],
                             "size": 14, "solidity": 0.15}
                if STATUS_PATTERNS[status] else None,
                name=status_labels[status], legendgroup=status, showlegend=status not in shown,
                hoveron="fills", text=hover, hoverinfo="text",
            )
            shown.add(status)
    labelled = frame[frame["code"].isin(centres)]
    fig.add_scatter(
        x=[centres[c][0] for c in labelled["code"]], y=[centres[c][1] for c in labelled["code"]],
        text=[f"{n}<br>{_percent(a * 100)}" for n, a in zip(labelled["name"], labelled["attainment"])],
        mode="text", textfont={"size": 10, "color": "#111"}, hoverinfo="skip", showlegend=False,
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1.02)
    fig.update_layout(plot_bgcolor="white")
    return base_layout(fig, title, height=560)


def show(fig: go.Figure, data: pd.DataFrame, name: str, filters: dict[str, str], key: str, caption: str) -> None:
    """Draws a chart and, below it, the data behind it as a table (in an expander) with its downloads."""
    import streamlit as st

    from ui.downloads import table_downloads

    st.plotly_chart(fig, width="stretch", key=f"{key}-chart", config={"displaylogo": False})
    with st.expander(caption):
        st.dataframe(data, hide_index=True, width="stretch", key=f"{key}-table")
        table_downloads(data, name, filters, key)
