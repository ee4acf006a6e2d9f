"""District outlines for the map: a GeoJSON file named in settings (`geojson`, env ANTQ_GEOJSON).

The file is not shipped (the known source is GPL-licensed); without one configured there is no map.
Each feature needs a `code` property equal to the district's unit code (e.g. "710").
"""

from __future__ import annotations

import json
from pathlib import Path

from analytics.core.i18n import t


class GeoError(ValueError):
    """The configured file cannot be drawn; the message says why, in Vietnamese."""


def load_districts(path: Path | None) -> dict | None:
    """The FeatureCollection at `path`, or None when no file is configured."""
    if path is None:
        return None
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GeoError(t("geo.error.missing", path=path)) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GeoError(t("geo.error.unreadable", path=path, detail=exc)) from None
    features = data.get("features") if isinstance(data, dict) else None
    if not features or not all(isinstance(f, dict) and "code" in (f.get("properties") or {}) for f in features):
        raise GeoError(t("geo.error.no_codes", path=path))
    for feature in features:
        feature["properties"]["code"] = str(feature["properties"]["code"])
    return data


def _points(geometry: dict) -> list[tuple[float, float]]:
    coords = geometry.get("coordinates", [])
    rings = coords if geometry.get("type") == "Polygon" else [ring for poly in coords for ring in poly]
    return [(float(p[0]), float(p[1])) for ring in rings[:1] or rings for p in ring]


def centres(geojson: dict) -> dict[str, tuple[float, float]]:
    """A label point per district: the middle of its outer ring's bounding box."""
    out = {}
    for feature in geojson["features"]:
        points = _points(feature.get("geometry") or {})
        if points:
            xs, ys = zip(*points)
            out[feature["properties"]["code"]] = ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
    return out
