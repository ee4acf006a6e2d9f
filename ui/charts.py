"""Plotly figures with Vietnamese labels, vi-VN number format and colour-blind-safe status colours.

One meaning per colour everywhere: met / on track / lagging (Okabe-Ito), and lagging is also hatched and
every status is written out in the legend and hover text, so colour is never the only cue.
Callers pass already-translated titles and labels; this module holds no user-visible words.
Figures are plain plotly dicts (what st.plotly_chart sends anyway): building go.Figure objects costs
40-100 ms of validation per chart, which a page rerun cannot afford.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from analytics.core.text import format_number
from ui.markup import chart_text

# Okabe-Ito: distinguishable for the common kinds of colour blindness; status is also written out.
STATUS_COLOURS = {"met": "#009E73", "on_track": "#56B4E9", "lagging": "#E69F00", "behind": "#E69F00", "high": "#D55E00"}
STATUS_PATTERNS = {"met": "", "on_track": ".", "lagging": "/", "behind": "/"}
STATUS_ORDER = ("met", "on_track", "lagging")
BAR_STATUSES = ("behind", "lagging", "on_track", "met")  # a district's "behind" is drawn as a unit's "lagging"
NEUTRAL = "#0072B2"
PACE = "#CC79A7"
DATE_FORMAT = "%d/%m/%Y"
# plotly.js's own words (chart toolbar and hints), translated through the catalogue keys "plotly.<text>".
PLOTLY_TEXTS = (
    "Download plot as a PNG",
    "Download plot",
    "Zoom",
    "Pan",
    "Box Select",
    "Lasso Select",
    "Zoom in",
    "Zoom out",
    "Autoscale",
    "Reset axes",
    "Reset view",
    "Toggle Spike Lines",
    "Show closest data on hover",
    "Compare data on hover",
    "Double-click to zoom back out",
    "Snapshot succeeded",
    "Taking snapshot - this may take a few seconds",
)


def chart_config(language: str) -> dict:
    """st.plotly_chart's config: no plotly logo, the toolbar in the reader's language."""
    from analytics.core.i18n import t

    dictionary = {text: t(f"plotly.{text}", language) for text in PLOTLY_TEXTS}
    return {"displaylogo": False, "locale": language, "locales": {language: {"dictionary": dictionary}}}


TITLE_LINE = 44  # characters of a title line that still fit a 390 px phone


def wrap_title(title: str, width: int = TITLE_LINE) -> str:
    """A long chart title broken into lines at spaces (plotly cuts a title wider than the chart)."""
    head, sep, rest = title.partition("<br>")
    lines, line = [], ""
    for word in head.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "<br>".join(lines) + sep + rest


def figure(data: list[dict], title: str, height: int = 420, **layout) -> dict:
    """A figure dict with the shared layout: title top left, legend under it, vi-VN separators."""
    title = wrap_title("<br>".join(chart_text(part) for part in title.split("<br>")))  # a unit's name is data
    extra_lines = title.count("<br>")
    base = {
        "title": {
            "text": title,
            "x": 0,
            "xanchor": "left",
            "font": {"size": 16},
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": 10},
        },
        "separators": ",.",
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 90, "b": 10},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "yref": "paper", "xanchor": "left", "x": 0},
        "font": {"family": "Inter, Arial, sans-serif"},
        "hoverlabel": {"namelength": -1},
    }
    for key, value in layout.items():
        base[key] = {**base[key], **value} if isinstance(base.get(key), dict) and isinstance(value, dict) else value
    base["margin"] = {**base["margin"], "t": base["margin"]["t"] + 18 * extra_lines}
    return {"data": data, "layout": base}


def count_axis(largest: float, **axis) -> dict:
    """An axis of counts: whole-number ticks only (plotly alone labels 0, 0.5, 1, ... as "0, 1, 1, 2, 2")."""
    raw = max(float(largest or 0), 1.0) / 5
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return {"tickformat": ",d", "rangemode": "tozero", "tick0": 0, "dtick": max(int(step), 1), **axis}


def _percent(value: float) -> str:
    return f"{value:.0f}%".replace(".", ",")


def _list(values) -> list:
    return [None if pd.isna(v) else v for v in (values.tolist() if hasattr(values, "tolist") else list(values))]


def _names(values) -> list:
    """Names (registry or user text) as plotly shows them literally: no tag in them is drawn as markup."""
    return [None if v is None else chart_text(v) for v in _list(values)]


def _iso(values) -> list[str]:
    return [pd.Timestamp(v).strftime("%Y-%m-%d") for v in values]


def _status_bars(frame: pd.DataFrame, status_labels: dict[str, str], values) -> list[dict]:
    """One horizontal bar trace per status present (colour, hatching, legend name); `values(rows, label)` gives
    the trace's axes, text and hover."""
    traces = []
    for status in BAR_STATUSES:
        rows = frame[frame["status"] == status]
        if not rows.empty:
            traces.append(
                {
                    "type": "bar",
                    "orientation": "h",
                    "name": status_labels[status],
                    "marker": {"color": STATUS_COLOURS[status], "pattern": {"shape": STATUS_PATTERNS[status]}},
                    **values(rows, status_labels[status]),
                }
            )
    return traces


def _top_down(data: list[dict], title: str, names: list, height: int, **layout) -> dict:
    """A figure of horizontal bars whose rows stand in the order of `names`, the first on top."""
    yaxis = {"categoryorder": "array", "categoryarray": list(names)[::-1], "automargin": True}
    return figure(data, title, height=height, yaxis=yaxis, **layout)


def attainment_bars(frame: pd.DataFrame, title: str, axis_title: str, status_labels: dict[str, str]) -> dict:
    """Horizontal bars of attainment (0-1) per row of `frame` (columns: code, name, attainment, status, hover;
    optional label: words after the percentage, e.g. the lagging-unit count). A point's customdata[2] is its code,
    for clicks."""

    def text(rows: pd.DataFrame) -> list[str]:
        percents = [_percent(v) for v in rows["attainment"] * 100]
        return [f"{p} · {x}" for p, x in zip(percents, rows["label"])] if "label" in rows else percents

    data = _status_bars(
        frame,
        status_labels,
        lambda rows, label: {
            "y": _names(rows["name"]),
            "x": _list(rows["attainment"] * 100),
            "text": text(rows),
            "textposition": "outside",
            "cliponaxis": False,
            "customdata": [[h, label, c] for h, c in zip(rows["hover"], rows["code"])],
            "hovertemplate": "%{y}<br>%{customdata[1]} · %{x:.0f}%<br>%{customdata[0]}<extra></extra>",
        },
    )
    return _top_down(
        data,
        title,
        _names(frame["name"]),
        height=max(300, 28 * len(frame) + 110),
        showlegend=True,
        xaxis={
            "range": [0, 170 if "label" in frame else 112],
            "title": {"text": axis_title},
            "ticksuffix": "%",
            "tickvals": [0, 25, 50, 75, 100],
        },
        margin={"r": 40},
    )  # room for "100%" beside a full bar on a narrow screen


def count_bars(labels: list[str], counts: list[int], title: str, axis_title: str, hover_name: str) -> dict:
    """Horizontal bars of counts, in the given order (first on top)."""
    labels = _names(labels)
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "y": labels,
            "x": [int(c) for c in counts],
            "marker": {"color": NEUTRAL},
            "texttemplate": "%{x:,d}",
            "textposition": "auto",
            "hovertemplate": "%{y}<br>" + hover_name + ": %{x:,d}<extra></extra>",
        }
    ]
    largest = max([int(c) for c in counts], default=0)
    axis = count_axis(largest, title={"text": axis_title})
    height = max(240, 30 * len(labels) + 90)
    return _top_down(data, title, labels, height, showlegend=False, margin={"t": 50}, xaxis=axis)


def timeline(frame: pd.DataFrame, deadline: dt.date, title: str, labels: dict[str, str]) -> dict:
    """Bars per period, the running total and the pace line to the deadline (right-hand axis).

    labels: per_period, cumulative, pace, deadline, axis_period, axis_cumulative, period.
    """
    ends = [pd.Timestamp(e).strftime(DATE_FORMAT) for e in frame["period_end"]]
    data = [
        {
            "type": "bar",
            "x": _iso(frame["period"]),
            "y": _list(frame["activities"]),
            "name": labels["per_period"],
            "marker": {"color": NEUTRAL},
            "opacity": 0.55,
            "customdata": ends,
            "yaxis": "y",
            "hovertemplate": labels["period"]
            + " %{x|%d/%m/%Y} – %{customdata}<br>"
            + labels["per_period"]
            + ": %{y:,d}<extra></extra>",
        },
        {
            "type": "scatter",
            "x": _iso(frame["period_end"]),
            "y": _list(frame["cumulative"]),
            "name": labels["cumulative"],
            "mode": "lines+markers",
            "yaxis": "y2",
            "line": {"color": STATUS_COLOURS["met"], "width": 3},
            "hovertemplate": "%{x|%d/%m/%Y}<br>" + labels["cumulative"] + ": %{y:,d}<extra></extra>",
        },
    ]
    shapes, annotations = [], []
    if len(frame):
        first = pd.Timestamp(frame["period"].iloc[0])
        last_end = pd.Timestamp(frame["period_end"].iloc[-1])
        span = max((pd.Timestamp(deadline) - first).days + 1, 1)
        projected = float(frame["pace"].iloc[-1]) * span / max((last_end - first).days + 1, 1)
        data.append(
            {
                "type": "scatter",
                "x": _iso([first, deadline]),
                "y": [0, projected],
                "name": labels["pace"],
                "mode": "lines",
                "yaxis": "y2",
                "line": {"color": PACE, "dash": "dash", "width": 2},
                "hovertemplate": "%{x|%d/%m/%Y}<br>" + labels["pace"] + ": %{y:,.0f}<extra></extra>",
            }
        )
        day = deadline.isoformat()
        shapes.append(
            {
                "type": "line",
                "x0": day,
                "x1": day,
                "yref": "paper",
                "y0": 0,
                "y1": 1,
                "line": {"color": "#555", "dash": "dot", "width": 1.5},
            }
        )
        # along the deadline's line, inside the plot: above it, it sat on the legend on a phone
        annotations.append(
            {
                "x": day,
                "y": 0.5,
                "yref": "paper",
                "text": labels["deadline"],
                "showarrow": False,
                "textangle": -90,
                "xanchor": "right",
                "yanchor": "middle",
                "font": {"size": 11, "color": "#555"},
            }
        )
    return figure(
        data,
        title,
        height=420,
        shapes=shapes,
        annotations=annotations,
        bargap=0.15,
        xaxis={"type": "date", "tickformat": DATE_FORMAT},
        yaxis=count_axis(frame["activities"].max() if len(frame) else 0, title={"text": labels["axis_period"]}),
        yaxis2=count_axis(
            max([frame["cumulative"].max() if len(frame) else 0, *[d["y"][-1] for d in data[2:3]]]),
            title={"text": labels["axis_cumulative"]},
            overlaying="y",
            side="right",
            showgrid=False,
        ),
    )


def status_heatmap(
    frame: pd.DataFrame, row_label: str, title: str, status_labels: dict[str, str], hover: dict[str, str]
) -> dict:
    """Units (rows, in frame order) × targets (columns) coloured by status, each cell showing done/minimum.

    frame: long, with columns unit_code, `row_label`, target_id, count, minimum, status. hover: target, status.
    """
    keys = list(dict.fromkeys(frame["unit_code"]))  # unit codes are unique, names may repeat
    labels = frame.drop_duplicates("unit_code").set_index("unit_code")[row_label]
    rows = _names([labels[k] for k in keys])
    cols = list(dict.fromkeys(frame["target_id"]))
    code = {status: i for i, status in enumerate(STATUS_ORDER)}

    def grid_of(values: str) -> pd.DataFrame:
        return frame.pivot(index="unit_code", columns="target_id", values=values).reindex(index=keys, columns=cols)

    grid, counts, minimums = grid_of("status"), grid_of("count"), grid_of("minimum")
    z = [[code.get(v) for v in row] for row in grid.to_numpy()]
    text = [
        [count_of_minimum(c, m) for c, m in zip(crow, mrow)]
        for crow, mrow in zip(counts.to_numpy(), minimums.to_numpy())
    ]
    words = [[status_labels.get(v, "") for v in row] for row in grid.to_numpy()]
    scale = []
    for i, status in enumerate(STATUS_ORDER):
        scale += [[i / 3, STATUS_COLOURS[status]], [(i + 1) / 3, STATUS_COLOURS[status]]]
    data = [
        {
            "type": "heatmap",
            "z": z,
            "x": cols,
            "y": rows,
            "text": text,
            "texttemplate": "%{text}",
            "zmin": -0.5,
            "zmax": 2.5,
            "colorscale": scale,
            "customdata": words,
            "xgap": 2,
            "ygap": 2,
            "showscale": False,
            "hovertemplate": "%{y}<br>"
            + hover["target"]
            + " %{x}: %{text}<br>"
            + hover["status"]
            + ": %{customdata}<extra></extra>",
        }
    ]
    # A legend that names each colour (heatmaps have none of their own).
    data += [
        {
            "type": "scatter",
            "x": [None],
            "y": [None],
            "mode": "markers",
            "name": status_labels[status],
            "marker": {"color": STATUS_COLOURS[status], "size": 12, "symbol": "square"},
        }
        for status in STATUS_ORDER
    ]
    height = max(280, 22 * len(rows) + 160)
    # Room for the column labels on top, with the legend above them.
    return figure(
        data,
        title,
        height=height,
        plot_bgcolor="white",
        margin={"t": 120},
        legend={"y": 1 + 34 / (height - 130), "yanchor": "bottom"},
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
        xaxis={"side": "top", "type": "category"},
    )


def count_of_minimum(count, minimum) -> str:
    """'11 (≥1)': a count against its minimum ("11/1" reads as a date, 11 January)."""
    return f"{format_number(int(count))} (≥{format_number(int(minimum))})"


def progress_bars(frame: pd.DataFrame, title: str, axis_title: str, status_labels: dict[str, str]) -> dict:
    """Count against minimum per row (columns: label, count, minimum, status), minimum drawn as a marker."""
    data = _status_bars(
        frame,
        status_labels,
        lambda rows, label: {
            "y": _names(rows["label"]),
            "x": _list(rows["count"]),
            "text": [count_of_minimum(c, m) for c, m in zip(rows["count"], rows["minimum"])],
            "textposition": "auto",
            "customdata": [[int(m), label] for m in rows["minimum"]],
            "hovertemplate": "%{y}<br>%{x:,d}/%{customdata[0]:,d} · %{customdata[1]}<extra></extra>",
        },
    )
    data.append(
        {
            "type": "scatter",
            "y": _names(frame["label"]),
            "x": _list(frame["minimum"]),
            "mode": "markers",
            "name": axis_title,
            "marker": {"symbol": "line-ns-open", "size": 22, "color": "#222", "line": {"width": 3}},
            "hovertemplate": "%{y}<br>" + axis_title + ": %{x:,d}<extra></extra>",
        }
    )
    axis = count_axis(max(frame["count"].max(), frame["minimum"].max()) if len(frame) else 0)
    height = max(260, 34 * len(frame) + 110)
    return _top_down(data, title, _names(frame["label"]), height, showlegend=True, xaxis=axis)


def _rings(geometry: dict) -> list[list[list[float]]]:
    """Outer rings of a Polygon or MultiPolygon (holes are not drawn)."""
    coords = geometry.get("coordinates", [])
    polygons = [coords] if geometry.get("type") == "Polygon" else coords
    return [poly[0] for poly in polygons if poly]


def _short(name: str) -> str:
    """'Huyện Gò Dầu' → 'Gò Dầu' for labels on the map (the full name is in the hover)."""
    for prefix in ("Thành phố ", "Thị xã ", "Huyện "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def district_map(
    geojson: dict,
    frame: pd.DataFrame,
    title: str,
    status_labels: dict[str, str],
    centres: dict[str, tuple[float, float]],
) -> dict:
    """Districts filled by status (frame: code, name, attainment, status, hover), named at their centre.

    Drawn as filled outlines on plain axes, so no map tiles or base layers are fetched from the internet.
    """
    data, shown = [], set()
    by_code = frame.set_index("code")
    order = {status: i for i, status in enumerate(BAR_STATUSES)}
    features = [f for f in geojson["features"] if f["properties"]["code"] in by_code.index]
    for feature in sorted(features, key=lambda f: order[by_code.loc[f["properties"]["code"], "status"]]):
        row = by_code.loc[feature["properties"]["code"]]
        status = row["status"]
        share = _percent(row["attainment"] * 100)
        hover = f"{chart_text(row['name'])}<br>{status_labels[status]} · {share}<br>{row['hover']}"
        for ring in _rings(feature.get("geometry") or {}):
            trace = {
                "type": "scatter",
                "x": [p[0] for p in ring],
                "y": [p[1] for p in ring],
                "mode": "lines",
                "fill": "toself",
                "fillcolor": STATUS_COLOURS[status],
                "line": {"color": "white", "width": 1.5},
                "name": status_labels[status],
                "legendgroup": status,
                "showlegend": status not in shown,
                "hoveron": "fills",
                "text": hover,
                "hoverinfo": "text",
            }
            if STATUS_PATTERNS[status]:
                trace["fillpattern"] = {
                    "shape": STATUS_PATTERNS[status],
                    "fgcolor": "#333",
                    "fgopacity": 0.35,
                    "size": 10,
                    "bgcolor": STATUS_COLOURS[status],
                    "solidity": 0.2,
                }
            data.append(trace)
            shown.add(status)
    labelled = frame[frame["code"].isin(centres)]
    data.append(
        {
            "type": "scatter",
            "mode": "text",
            "hoverinfo": "skip",
            "showlegend": False,
            "x": [centres[c][0] for c in labelled["code"]],
            "y": [centres[c][1] for c in labelled["code"]],
            "text": [
                f"{chart_text(_short(n))}<br><b>{_percent(a * 100)}</b>"
                for n, a in zip(labelled["name"], labelled["attainment"])
            ],
            "textfont": {"size": 10, "color": "#111"},
        }
    )
    return figure(
        data,
        title,
        height=560,
        plot_bgcolor="white",
        xaxis={"visible": False},
        yaxis={"visible": False, "scaleanchor": "x", "scaleratio": 1.02},
    )


def show(
    fig: dict, data: pd.DataFrame, name: str, filters: dict[str, str], key: str, caption: str, selectable: bool = False
):
    """Draws a chart and, below it, the data behind it as a table (in an expander) with its downloads.
    selectable: a click on a point reruns the page; returns the chart's event (its selection.points)."""
    import streamlit as st

    from ui.downloads import table_downloads
    from ui.state import language

    extra = {"on_select": "rerun", "selection_mode": "points"} if selectable else {}
    event = st.plotly_chart(fig, width="stretch", key=f"{key}-chart", config=chart_config(language()), **extra)
    with st.expander(caption):
        st.dataframe(data, hide_index=True, width="stretch", key=f"{key}-table")
        table_downloads(data, name, filters, key)
    return event if selectable else None
