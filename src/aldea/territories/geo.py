"""The light GeoJSON every map draws on, and the points and anchors maps place on it.

The shipped municipal GeoJSON is 2.9 MB; a phone in a village cannot wait for that on every
page. ``light_geojson`` rounds coordinates to 3 decimals (about 100 m, finer than the map can
show), drops the properties the maps do not use, keys each feature by its official code and
gzips the result, once per process. Figures point Plotly at the GeoJSON's URL instead of
embedding it, so the browser downloads it once and then keeps it in its cache.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import itertools
import json
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go
from django.urls import reverse

DATA_DIR = Path(__file__).resolve().parent / "data"


GEOJSON_FILES = {
    "states": "mexico_states.geojson",
    "municipalities": "mexico_municipalities_2436.geojson",
}


DECIMALS = 3


def feature_code(properties: dict, kind: str) -> str:
    """INEGI's CVE of a feature: "20" for a state, "20068" for a municipality."""
    if kind == "states":
        return f"{int(properties['state_code']):02d}"
    return f"{int(properties['state_code']):02d}{int(properties['mun_code']):03d}"


def _round_ring(ring: list) -> list | None:
    out = []
    for x, y, *_rest in ring:
        point = [round(x, DECIMALS), round(y, DECIMALS)]
        if not out or out[-1] != point:
            out.append(point)
    if len(out) > 1 and out[0] != out[-1]:
        out.append(out[0])
    # A ring that collapsed below a triangle at this precision is smaller than a pixel.
    return out if len(out) >= 4 else None


def _round_polygon(rings: list) -> list | None:
    outer = _round_ring(rings[0])
    if outer is None:
        return None
    return [outer] + [r for r in (_round_ring(ring) for ring in rings[1:]) if r is not None]


def _light_geometry(geometry: dict) -> dict | None:
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    rounded = [p for p in (_round_polygon(polygon) for polygon in polygons) if p is not None]
    if not rounded:
        # Keep tiny municipalities clickable: fall back to the largest original polygon, rounded
        # without dropping points.
        biggest = max(polygons, key=lambda p: len(p[0]))
        rounded = [[[[round(x, DECIMALS), round(y, DECIMALS)] for x, y, *_ in biggest[0]]]]
    if len(rounded) == 1:
        return {"type": "Polygon", "coordinates": rounded[0]}
    return {"type": "MultiPolygon", "coordinates": rounded}


@functools.cache
def _source(kind: str) -> dict:
    with open(DATA_DIR / GEOJSON_FILES[kind], encoding="utf-8") as handle:
        return json.load(handle)


@dataclass(frozen=True)
class GeoPayload:
    body: bytes
    gzipped: bytes
    etag: str


@functools.lru_cache(maxsize=64)
def light_geojson(kind: str, state: str = "") -> GeoPayload:
    """The map's GeoJSON, light: feature ``id`` = official code, property ``name`` only.

    ``state`` ("20") keeps the municipalities of one state. Computed once per process.
    """
    features = []
    for feature in _source(kind)["features"]:
        code = feature_code(feature["properties"], kind)
        if state and not code.startswith(state):
            continue
        props = feature["properties"]
        name = props.get("mun_name") if kind == "municipalities" else props.get("state_name")
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"name": name},
                "geometry": _light_geometry(feature["geometry"]),
            }
        )
    body = json.dumps(
        {"type": "FeatureCollection", "features": features}, separators=(",", ":")
    ).encode()
    return GeoPayload(
        body=body, gzipped=gzip.compress(body, 9), etag=hashlib.sha1(body).hexdigest()[:16]
    )


def _ring_centroid(ring: list) -> tuple[float, float, float]:
    """Signed area and centroid of a ring (shoelace formula)."""
    area = cx = cy = 0.0
    for (x0, y0, *_a), (x1, y1, *_b) in itertools.pairwise(ring):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    if area == 0:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return area, cx / (6 * area), cy / (6 * area)


@functools.cache
def centroids(kind: str) -> dict[str, tuple[float, float]]:
    """Official code → (longitude, latitude) of the largest polygon's centroid."""
    result = {}
    for feature in _source(kind)["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        best = max((_ring_centroid(polygon[0]) for polygon in polygons), key=lambda c: abs(c[0]))
        result[feature_code(feature["properties"], kind)] = (round(best[1], 4), round(best[2], 4))
    return result


def no_basemap_anchor(lon: float, lat: float) -> go.Scattergeo:
    """An invisible point to put first on every map, so that Plotly does not fetch its world
    basemap from cdn.plot.ly (it fetches one when the *first* trace of a geo has a
    ``locationmode``, as a choropleth on our GeoJSON has); Aldea must work with no internet."""
    return go.Scattergeo(
        lon=[lon],
        lat=[lat],
        mode="markers",
        marker={"opacity": 0, "size": 1},
        hoverinfo="skip",
        showlegend=False,
    )


def geojson_url(kind: str, state: str = "") -> str:
    """The versioned URL of a light GeoJSON, safe to cache for a year."""
    payload = light_geojson(kind, state)
    if state:
        return f"{reverse('territories:state_geojson', args=[kind, state])}?v={payload.etag}"
    return f"{reverse('territories:geojson', args=[kind])}?v={payload.etag}"
