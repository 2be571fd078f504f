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

from django.urls import reverse

DATA_DIR = Path(__file__).resolve().parent / "data"


GEOJSON_FILES = {
    "states": "mexico_states.geojson",
    "municipalities": "mexico_municipalities_2436.geojson",
}
#: Countries whose municipalities are shipped as polygons; elsewhere maps draw the states'
#: polygons and each municipality as a point at its seat (AdministrativeArea.latitude/longitude).
MUNICIPAL_POLYGONS = {"MX"}
KINDS = tuple(GEOJSON_FILES)


def geometry_file(kind: str, country: str = "MX") -> Path | None:
    """The GeoJSON of a country's ``kind`` ("states" or "municipalities"), or None.

    Mexico's are packaged; other countries' states are packaged (Brazil) or installed by
    ``aldea load_territories`` (:func:`aldea.territories.services.states_geometry_file`).
    """
    if kind not in GEOJSON_FILES:
        return None
    if country == "MX":
        return DATA_DIR / GEOJSON_FILES[kind]
    if kind != "states":
        return None
    from aldea.territories.services import states_geometry_file

    return states_geometry_file(country)


def has_map(country: str) -> bool:
    """True when a map can be drawn for the country: its states' geometry exists."""
    path = geometry_file("states", country)
    return path is not None and path.exists()


DECIMALS = 3


# The property holding a state's official code: INEGI's files and the loader's copies have
# ``state_code``; IBGE's packaged states have ``codigo_ibg``.
STATE_CODE_PROPERTIES = ("state_code", "codigo_ibg")


def feature_code(properties: dict, kind: str) -> str:
    """Official code of a feature: "20" for a state (INEGI, IBGE), "20068" for a municipality.

    INEGI's codes are numbers in the file and are zero-padded; text codes are kept as written.
    """
    if kind == "states":
        raw = next(properties[k] for k in STATE_CODE_PROPERTIES if properties.get(k) is not None)
        return f"{raw:02d}" if isinstance(raw, int) else str(raw)
    return f"{int(properties['state_code']):02d}{int(properties['mun_code']):03d}"


def feature_name(properties: dict, kind: str) -> str | None:
    if kind == "municipalities":
        return properties.get("mun_name")
    return properties.get("state_name") or properties.get("name")


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


@functools.lru_cache(maxsize=8)
def _source(kind: str, country: str = "MX") -> dict:
    path = geometry_file(kind, country)
    if path is None or not path.exists():
        return {"type": "FeatureCollection", "features": []}
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


@dataclass(frozen=True)
class GeoPayload:
    body: bytes
    gzipped: bytes
    etag: str


@functools.lru_cache(maxsize=64)
def light_geojson(kind: str, state: str = "", country: str = "MX") -> GeoPayload:
    """The map's GeoJSON, light: feature ``id`` = official code, property ``name`` only.

    ``state`` ("20") keeps the municipalities of one state. Computed once per process.
    """
    features = []
    for feature in _source(kind, country)["features"]:
        code = feature_code(feature["properties"], kind)
        if state and not code.startswith(state):
            continue
        name = feature_name(feature["properties"], kind)
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


@functools.lru_cache(maxsize=8)
def centroids(kind: str, country: str = "MX") -> dict[str, tuple[float, float]]:
    """Official code → (longitude, latitude) of the largest polygon's centroid."""
    result = {}
    for feature in _source(kind, country)["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        best = max((_ring_centroid(polygon[0]) for polygon in polygons), key=lambda c: abs(c[0]))
        result[feature_code(feature["properties"], kind)] = (round(best[1], 4), round(best[2], 4))
    return result


def no_basemap_anchor(lon: float, lat: float) -> dict:
    """An invisible point to put first on every map, so that Plotly does not fetch its world
    basemap from cdn.plot.ly (it fetches one when the *first* trace of a geo has a
    ``locationmode``, as a choropleth on our GeoJSON has); Aldea must work with no internet."""
    return {
        "hoverinfo": "skip",
        "lat": [lat],
        "lon": [lon],
        "marker": {"opacity": 0, "size": 1},
        "mode": "markers",
        "showlegend": False,
        "type": "scattergeo",
    }


def geojson_url(kind: str, state: str = "", country: str = "MX") -> str:
    """The versioned URL of a light GeoJSON, safe to cache for a year."""
    payload = light_geojson(kind, state, country)
    if country != "MX":
        return f"{reverse('territories:country_geojson', args=[country, kind])}?v={payload.etag}"
    if state:
        return f"{reverse('territories:state_geojson', args=[kind, state])}?v={payload.etag}"
    return f"{reverse('territories:geojson', args=[kind])}?v={payload.etag}"
