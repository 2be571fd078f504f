"""The territory explorer's map: a municipal choropleth with one layer per measure.

Where a country has no municipal polygons (Brazil ships state polygons and municipal seats),
the municipalities are coloured points on the states' outline instead of a choropleth.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from aldea.core.charts import PALETTE, figure, styled, trace, update_layout
from aldea.territories.geo import MUNICIPAL_POLYGONS, centroids, no_basemap_anchor
from aldea.territories.models import MarginalisationDegree
from aldea.workspace.figures.territory import MunicipalityRow

DEGREE_COLOURS = ["#e9f2ef", "#bcd9cf", "#f2b705", "#e07b39", "#c8553d"]


UNKNOWN_COLOUR = "#b9c6c9"


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


def explorer_layers(rows: list[MunicipalityRow], *, points: bool = False) -> list[dict]:
    """The colouring of each layer; ``restyle`` is its ``Plotly.restyle`` of the map's trace 1
    (the choropleth, or with ``points`` the municipal seats).

    Only numbers per municipality (the names are on the trace once), so the country-wide
    page stays near 100 kB. With ``points`` the rows are those with a seat.
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
    layers = [
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
    for layer in layers:
        layer["restyle"] = restyle(layer, points=points)
    return layers


# A layer's colouring as Plotly attributes of the municipalities' trace: a choropleth's own,
# or the same under ``marker`` for points.
_POINT_KEYS = {"z": "marker.color", "zmin": "marker.cmin", "zmax": "marker.cmax",
               "colorscale": "marker.colorscale", "colorbar": "marker.colorbar"}


def restyle(layer: dict, *, points: bool) -> dict:
    """The ``Plotly.restyle`` update (each value in a one-trace list) that shows ``layer``."""
    keys = {k: v for k, v in layer.items() if k not in ("key", "restyle")}
    if points:
        keys["hovertemplate"] = keys["hovertemplate"].replace("%{z}", "%{marker.color}")
    return {(_POINT_KEYS.get(k, k) if points else k): [v] for k, v in keys.items()}


def _marker(layer: dict) -> dict:
    return {"size": 7, "showscale": True, "line": {"color": "#ffffff", "width": 0.5},
            **{_POINT_KEYS[k].removeprefix("marker."): v for k, v in layer.items() if k in _POINT_KEYS}}


def explorer_figure(
    rows: list[MunicipalityRow],
    geojson_url: str,
    layer: dict,
    villages: list[tuple[str, float, float]] = (),
    *,
    country: str = "MX",
    state: str = "",
) -> dict:
    """A choropleth of the municipalities coloured by ``layer`` (one of ``explorer_layers``),
    with the programme's villages ((name, longitude, latitude)) as points.

    Trace 0 is always a point trace (the villages, or an invisible anchor) and trace 1 the
    municipalities, which the page restyles to switch layers. For a country without municipal
    polygons ``geojson_url`` is its states': trace 1 is then the municipal seats as points
    (``customdata`` their codes) and trace 2 the states' outline (``state`` alone if given).
    """
    points = country not in MUNICIPAL_POLYGONS
    if villages:
        first = trace(
            "scattergeo",
            hovertemplate="%{text}<extra></extra>",
            lat=[lat for _n, _o, lat in villages],
            lon=[lon for _n, lon, _l in villages],
            marker={
                "color": "#1f2a2e",
                "line": {"color": "#ffffff", "width": 1},
                "size": 9,
                "symbol": "star",
            },
            mode="markers",
            name=_("Villages"),
            showlegend=False,
            text=[name for name, _o, _l in villages],
        )
    else:
        states = centroids("states", country)
        fallback = next(iter(states.values()), (-102.0, 23.0))
        anchor = states.get(rows[0].state_code, fallback) if rows else fallback
        first = no_basemap_anchor(*anchor)
    fig = figure(first)
    colouring = {key: value for key, value in layer.items() if key not in ("key", "restyle")}
    if not points:
        fig["data"].append(
            trace(
                "choropleth",
                featureidkey="id",
                geojson=geojson_url,
                locations=[r.code for r in rows],
                marker={"line": {"color": "#ffffff", "width": 0.2}},
                text=[r.name for r in rows],
                **colouring,
            )
        )
    else:
        codes = [state] if state else sorted(centroids("states", country))
        fig["data"] += [
            trace(
                "scattergeo",
                customdata=[r.code for r in rows],
                hovertemplate=restyle(layer, points=True)["hovertemplate"][0],
                lat=[r.latitude for r in rows],
                lon=[r.longitude for r in rows],
                marker=_marker(colouring),
                mode="markers",
                showlegend=False,
                text=[r.name for r in rows],
            ),
            trace(
                "choropleth",
                colorscale=[[0, "#f4f7f6"], [1, "#f4f7f6"]],
                featureidkey="id",
                geojson=geojson_url,
                hoverinfo="skip",
                locations=codes,
                marker={"line": {"color": "#9aa8ab", "width": 0.6}},
                showscale=False,
                z=[0] * len(codes),
            ),
        ]
    update_layout(fig, geo={"fitbounds": "locations", "visible": False})
    styled(fig)
    # No fixed height: the page sizes the map to the screen (a phone gets a shorter map).
    return update_layout(fig, height=None, margin={"l": 0, "r": 0, "t": 0, "b": 0}, dragmode=False)
