"""Maps and figures of the territory explorer, and the light GeoJSON every map draws on.

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
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from aldea.core.charts import PALETTE, styled
from aldea.enterprises.models import Sector
from aldea.territories.clusters import DEFAULT_PROFILE
from aldea.territories.models import (
    AdministrativeArea,
    ClusterClassification,
    MarginalisationDegree,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
GEOJSON_FILES = {
    "states": "mexico_states.geojson",
    "municipalities": "mexico_municipalities_2436.geojson",
}
DECIMALS = 3

# CONAPO's degrees as numbers for a discrete colour scale, lowest need first.
DEGREE_ORDER = [d.value for d in MarginalisationDegree]
DEGREE_COLOURS = ["#e9f2ef", "#bcd9cf", "#f2b705", "#e07b39", "#c8553d"]
UNKNOWN_COLOUR = "#b9c6c9"


# --- GeoJSON ----------------------------------------------------------------------------------


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


# --- the explorer's data ----------------------------------------------------------------------


@dataclass
class MunicipalityRow:
    id: int
    code: str
    name: str
    state_code: str
    state_name: str
    population: int | None
    households: int | None
    marginalisation_index: float | None
    marginalisation_degree: str
    active_shops: int = 0
    turnover_cny: float = 0.0
    qualifies: bool = False
    has_classification: bool = False

    @property
    def shops_per_1000_households(self) -> float | None:
        """E-commerce intensity: active online shops per 1,000 inhabited dwellings."""
        if not self.households:
            return None
        return 1000 * self.active_shops / self.households

    @property
    def degree_label(self) -> str:
        return str(dict(MarginalisationDegree.choices).get(self.marginalisation_degree, ""))

    @property
    def degree_number(self) -> int | None:
        """1 (very low) … 5 (very high marginalisation); None when unknown."""
        if self.marginalisation_degree in DEGREE_ORDER:
            return DEGREE_ORDER.index(self.marginalisation_degree) + 1
        return None


def municipality_rows(
    *, country_id: int, state: str = "", profile: str = DEFAULT_PROFILE
) -> list[MunicipalityRow]:
    """Every municipality of the country (or of one state) with its analytics figures. Two queries."""
    areas = AdministrativeArea.objects.filter(
        level=AdministrativeArea.Level.MUNICIPALITY, country_id=country_id
    )
    if state:
        areas = areas.filter(parent__code=state)
    rows = {
        area_id: MunicipalityRow(
            id=area_id,
            code=code,
            name=name,
            state_code=state_code,
            state_name=state_name or "",
            population=population,
            households=households,
            marginalisation_index=index,
            marginalisation_degree=degree or "",
        )
        for area_id, code, name, state_code, state_name, population, households, index, degree in areas.order_by(
            "code"
        ).values_list(
            "id",
            "code",
            "name",
            "parent__code",
            "parent__name",
            "population",
            "households",
            "marginalisation_index",
            "marginalisation_degree",
        )
    }
    classified = ClusterClassification.objects.filter(profile=profile, area__in=areas)
    for area_id, shops, turnover, qualifies in classified.values_list(
        "area_id", "active_shops", "turnover_cny", "qualifies"
    ):
        row = rows.get(area_id)
        if row is not None:
            row.active_shops, row.turnover_cny, row.qualifies = shops, float(turnover), qualifies
            row.has_classification = True
    return list(rows.values())


def states_of(country_id: int) -> list[tuple[str, str]]:
    """(code, name) of the country's states, for the filter."""
    return list(
        AdministrativeArea.objects.filter(
            level=AdministrativeArea.Level.STATE, country_id=country_id
        )
        .order_by("name")
        .values_list("code", "name")
    )


# The explorer's three layers; the page switches between them without a reload.
LAYERS = ("marginalisation", "ecommerce", "classification")


# Under the map, so that the map keeps the whole width of a phone.
COLORBAR = {
    "orientation": "h",
    "x": 0.5,
    "xanchor": "center",
    "y": 0,
    "yanchor": "top",
    "len": 0.9,
    "thickness": 12,
}


def explorer_layers(rows: list[MunicipalityRow]) -> list[dict]:
    """The colouring of each layer, for ``Plotly.restyle`` of the map's choropleth trace.

    Only numbers per municipality (the names are on the trace once), so the country-wide
    page stays near 100 kB.
    """
    degree_labels = [str(label) for label in dict(MarginalisationDegree.choices).values()]
    colours = list(DEGREE_COLOURS)
    # A municipality with no degree still has to be drawn (and clickable): a grey band 0.
    has_unknown = any(r.degree_number is None for r in rows)
    if has_unknown:
        colours.insert(0, UNKNOWN_COLOUR)
        degree_labels.insert(0, _("unknown"))
    first = 0 if has_unknown else 1
    bands = len(colours)
    return [
        {
            "key": "marginalisation",
            "z": [r.degree_number or 0 for r in rows],
            # One flat band per degree rather than a gradient between them.
            "zmin": first - 0.5,
            "zmax": 5.5,
            "colorscale": [
                [bound, colour]
                for i, colour in enumerate(colours)
                for bound in (i / bands, (i + 1) / bands)
            ],
            "colorbar": {
                **COLORBAR,
                "title": {"text": _("Marginalisation"), "side": "top"},
                "tickvals": list(range(first, 6)),
                "ticktext": degree_labels,
            },
            "hovertemplate": "%{text}<extra></extra>",
        },
        {
            "key": "ecommerce",
            "z": [round(r.shops_per_1000_households or 0, 1) for r in rows],
            "zmin": 0,
            "zmax": max([round(r.shops_per_1000_households or 0, 1) for r in rows] + [1]),
            "colorscale": [[0, "#f4f7f6"], [0.001, "#d9ecf5"], [1, "#3d7ea6"]],
            "colorbar": {
                **COLORBAR,
                "title": {"text": _("Shops / 1,000 households"), "side": "top"},
            },
            "hovertemplate": "%{text}<br>"
            + _("Active shops per 1,000 households")
            + ": %{z}<extra></extra>",
        },
        {
            "key": "classification",
            "z": [1 if r.qualifies else 0 for r in rows],
            "zmin": 0,
            "zmax": 1,
            "colorscale": [[0, "#e9eef0"], [0.5, "#e9eef0"], [0.5, PALETTE[0]], [1, PALETTE[0]]],
            "colorbar": {
                **COLORBAR,
                "title": {"text": _("Digital village"), "side": "top"},
                "tickvals": [0.25, 0.75],
                "ticktext": [_("no"), _("yes")],
            },
            "hovertemplate": "%{text}<extra></extra>",
        },
    ]


def explorer_figure(
    rows: list[MunicipalityRow],
    geojson_url: str,
    layer: dict,
    villages: list[tuple[str, float, float]] = (),
) -> go.Figure:
    """A choropleth of the municipalities coloured by ``layer`` (one of ``explorer_layers``),
    with the programme's villages ((name, longitude, latitude)) as points.

    Trace 0 is always a point trace (the villages, or an invisible anchor) and trace 1 the
    choropleth, which the page restyles to switch layers.
    """
    if villages:
        first = go.Scattergeo(
            lon=[lon for _n, lon, _l in villages],
            lat=[lat for _n, _o, lat in villages],
            text=[name for name, _o, _l in villages],
            mode="markers",
            name=_("Villages"),
            showlegend=False,
            hovertemplate="%{text}<extra></extra>",
            marker={
                "size": 9,
                "color": "#1f2a2e",
                "symbol": "star",
                "line": {"color": "#ffffff", "width": 1},
            },
        )
    else:
        anchor = (
            centroids("states").get(rows[0].state_code, (-102.0, 23.0)) if rows else (-102.0, 23.0)
        )
        first = no_basemap_anchor(*anchor)
    figure = go.Figure(first)
    figure.add_trace(
        go.Choropleth(
            geojson=geojson_url,
            featureidkey="id",
            locations=[r.code for r in rows],
            text=[r.name for r in rows],
            marker={"line": {"width": 0.2, "color": "#ffffff"}},
            **{key: value for key, value in layer.items() if key != "key"},
        )
    )
    figure.update_geos(fitbounds="locations", visible=False)
    styled(figure)
    # No fixed height: the page sizes the map to the screen (a phone gets a shorter map).
    figure.update_layout(height=None, margin={"l": 0, "r": 0, "t": 0, "b": 0}, dragmode=False)
    return figure


def geojson_url(kind: str, state: str = "") -> str:
    """The versioned URL of a light GeoJSON, safe to cache for a year."""
    payload = light_geojson(kind, state)
    if state:
        return f"{reverse('territories:state_geojson', args=[kind, state])}?v={payload.etag}"
    return f"{reverse('territories:geojson', args=[kind])}?v={payload.etag}"


# --- candidate communities --------------------------------------------------------------------


@dataclass
class Candidate:
    row: MunicipalityRow
    speciality: str
    msmes: int
    partners_here: int
    partners_in_state: int
    need: float
    ecommerce: float
    presence: float
    score: float


# Weights of the candidate score; need first, as the programme's mandate is to reach the
# municipalities that markets leave behind.
WEIGHTS = {"need": 0.4, "ecommerce": 0.35, "presence": 0.25}


def candidate_communities(
    rows: list[MunicipalityRow],
    *,
    village_area_ids: set[int],
    specialities: dict[int, tuple[str, int]],
    organisations_by_area: dict[int, int],
    organisations_by_state: dict[str, int],
    limit: int = 25,
) -> list[Candidate]:
    """Municipalities without a village of the programme, ranked for a new digital village.

    A municipality is a candidate when it shows any signal (an online shop, an MSME known to the
    platform, or a partner organisation there). Each part of the score is scaled to 0–1 over the
    candidates: *need* = the CONAPO marginalisation index reversed (lower index, more need),
    *e-commerce* = active shops per 1,000 households, *presence* = partner organisations in the
    municipality (counted twice) and in its state. Score = 0.4 need + 0.35 e-commerce + 0.25
    presence. Ties go to the larger population.
    """
    pool = []
    for row in rows:
        if row.id in village_area_ids:
            continue
        speciality, msmes = specialities.get(row.id, ("", 0))
        here = organisations_by_area.get(row.id, 0)
        if not (row.active_shops or msmes or here):
            continue
        pool.append((row, speciality, msmes, here, organisations_by_state.get(row.state_code, 0)))
    if not pool:
        return []
    indices = [r.marginalisation_index for r, *_ in pool if r.marginalisation_index is not None]
    low, high = (min(indices), max(indices)) if indices else (0.0, 0.0)
    max_intensity = max((r.shops_per_1000_households or 0) for r, *_ in pool)
    max_presence = max(2 * here + state for _r, _s, _m, here, state in pool)
    candidates = []
    for row, speciality, msmes, here, in_state in pool:
        if row.marginalisation_index is None or high == low:
            need = 0.0 if row.marginalisation_index is None else 1.0
        else:
            need = (high - row.marginalisation_index) / (high - low)
        ecommerce = (row.shops_per_1000_households or 0) / max_intensity if max_intensity else 0.0
        presence = (2 * here + in_state) / max_presence if max_presence else 0.0
        score = (
            WEIGHTS["need"] * need
            + WEIGHTS["ecommerce"] * ecommerce
            + WEIGHTS["presence"] * presence
        )
        candidates.append(
            Candidate(row, speciality, msmes, here, in_state, need, ecommerce, presence, score)
        )
    candidates.sort(key=lambda c: (-c.score, -(c.row.population or 0), c.row.code))
    return candidates[:limit]


def specialities_by_area(enterprises) -> dict[int, tuple[str, int]]:
    """Municipality id → (most common MSME speciality or sector, number of MSMEs). One query."""
    sectors = dict(Sector.choices)
    best: dict[int, tuple[str, int]] = {}
    totals: dict[int, int] = {}
    grouped = (
        enterprises.values_list("municipality_id", "speciality", "sector")
        .annotate(n=Count("id"))
        .order_by()
    )
    for area_id, speciality, sector, n in grouped:
        totals[area_id] = totals.get(area_id, 0) + n
        label = speciality or str(sectors.get(sector, sector))
        if (
            area_id not in best
            or n > best[area_id][1]
            or (n == best[area_id][1] and label < best[area_id][0])
        ):
            best[area_id] = (label, n)
    return {area_id: (label, totals[area_id]) for area_id, (label, _n) in best.items()}


def organisations_by_place(organisations) -> tuple[dict[int, int], dict[str, int]]:
    """Organisations per municipality id and per state code. One query."""
    by_area: dict[int, int] = {}
    by_state: dict[str, int] = {}
    for area_id, state_code in organisations.filter(municipality__isnull=False).values_list(
        "municipality_id", "municipality__parent__code"
    ):
        by_area[area_id] = by_area.get(area_id, 0) + 1
        if state_code:
            by_state[state_code] = by_state.get(state_code, 0) + 1
    return by_area, by_state
