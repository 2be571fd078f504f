"""Charts of the programme overview and the village page: numbers in, Plotly figures out."""

from __future__ import annotations

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from aldea.core.charts import PALETTE, styled
from aldea.enterprises.models import Enterprise
from aldea.programmes.models import Village, VillageStatus
from aldea.territories.geo import centroids, no_basemap_anchor
from aldea.workspace.figures.overview import MonthlySales


def cascade_figure(stages: list[tuple[str, int]]) -> go.Figure:
    figure = go.Figure(
        go.Funnel(
            y=[label for label, _n in stages],
            x=[n for _label, n in stages],
            textinfo="value",
            marker={"color": PALETTE[: len(stages)]},
            connector={"line": {"color": "#d7dfe1"}},
        )
    )
    styled(figure, height=300)
    figure.update_layout(margin={"l": 150, "r": 10, "t": 10, "b": 10})
    return figure


def sales_figure(sales: MonthlySales, currency: str) -> go.Figure:
    """Mean online sales per reporting MSME and month: participants against the comparison group."""
    figure = go.Figure()
    names = {
        Enterprise.Group.PARTICIPANT: _("Participants"),
        Enterprise.Group.COMPARISON: _("Comparison group"),
    }
    for group, name in names.items():
        if any(sales.reporting.get(group, [])):
            figure.add_trace(
                go.Scatter(
                    x=[m.isoformat() for m in sales.months],
                    y=sales.mean(group),
                    name=name,
                    mode="lines",
                    hovertemplate="%{x|%Y-%m}: %{y:,.0f} "
                    + currency
                    + "<extra>"
                    + name
                    + "</extra>",
                )
            )
    styled(figure)
    figure.update_layout(
        yaxis={
            "title": {"text": _("%(currency)s per MSME") % {"currency": currency}},
            "rangemode": "tozero",
        }
    )
    return figure


def village_point(village: Village) -> tuple[float, float] | None:
    """(longitude, latitude) of a village: its locality, else its municipality's seat (Brazil's
    IBGE file has them), else the centroid of its municipal polygon (Mexico's INEGI file)."""
    if village.locality_id and village.locality.latitude is not None:
        return float(village.locality.longitude), float(village.locality.latitude)
    area = village.municipality
    if area.latitude is not None and area.longitude is not None:
        return float(area.longitude), float(area.latitude)
    return centroids("municipalities").get(area.code)


STATUS_COLOURS = {
    VillageStatus.CANDIDATE: "#5b6b70",
    VillageStatus.SELECTED: "#f2b705",
    VillageStatus.ACTIVE: PALETTE[0],
    VillageStatus.GRADUATED: "#3d7ea6",
}


def village_map_figure(villages: list[Village], states_geojson_url: str, country: str = "MX") -> go.Figure:
    """Villages as points on the state outlines, coloured by status, sized by participants."""
    states = centroids("states", country)
    state_codes = sorted(states)
    figure = go.Figure(no_basemap_anchor(*next(iter(states.values()), (-102.0, 23.0))))
    figure.add_trace(
        go.Choropleth(
            geojson=states_geojson_url,
            featureidkey="id",
            locations=state_codes,
            z=[0] * len(state_codes),
            colorscale=[[0, "#eef3f1"], [1, "#eef3f1"]],
            showscale=False,
            hoverinfo="skip",
            marker={"line": {"color": "#b9c6c9", "width": 0.6}},
        )
    )
    labels = dict(VillageStatus.choices)
    for status, colour in STATUS_COLOURS.items():
        points = [(v, village_point(v)) for v in villages if v.status == status]
        points = [(v, p) for v, p in points if p is not None]
        if not points:
            continue
        figure.add_trace(
            go.Scattergeo(
                lon=[p[0] for _v, p in points],
                lat=[p[1] for _v, p in points],
                name=str(labels[status]),
                text=[f"{v.name} · {v.municipality.name}" for v, _p in points],
                customdata=[getattr(v, "msmes", 0) for v, _p in points],
                hovertemplate="%{text}<br>" + _("MSMEs") + ": %{customdata}<extra></extra>",
                marker={
                    "color": colour,
                    "size": [8 + min(16, getattr(v, "msmes", 0) / 5) for v, _p in points],
                    "line": {"color": "#ffffff", "width": 1},
                },
            )
        )
    figure.update_geos(fitbounds="locations", visible=False)
    styled(figure, height=380)
    figure.update_layout(margin={"l": 0, "r": 0, "t": 0, "b": 0}, dragmode=False)
    return figure


def lorenz_figure(lorenz: list) -> go.Figure:
    points = [(p, share) for p, share in lorenz if share is not None]
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=[0, 1],
            y=[0, 1],
            name=_("Equal gains"),
            mode="lines",
            line={"dash": "dot", "color": "#5b6b70"},
            hoverinfo="skip",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=[p for p, _s in points],
            y=[s for _p, s in points],
            name=_("Lorenz curve of net gains"),
            mode="lines+markers",
            hovertemplate=_("The %{x:.0%} of participants with the smallest net gains hold %{y:.0%} of them")
            + "<extra></extra>",
        )
    )
    styled(figure, height=320)
    figure.update_layout(
        xaxis={"title": {"text": _("Share of participants")}, "tickformat": ".0%", "range": [0, 1]},
        yaxis={"title": {"text": _("Share of net gains")}, "tickformat": ".0%"},
    )
    return figure


def event_study_figure(event_study: list[dict], unit: str) -> go.Figure:
    """The effect in each month from the launch (negative: months before), with its interval."""
    rows = [e for e in event_study if e["att"] is not None]
    x = [e["event_time"] for e in rows]
    low = [e["ci_low"] if e["ci_low"] is not None else e["att"] for e in rows]
    high = [e["ci_high"] if e["ci_high"] is not None else e["att"] for e in rows]
    figure = go.Figure()
    figure.add_trace(go.Scatter(x=x + x[::-1], y=high + low[::-1], fill="toself", mode="lines",
                                line={"width": 0}, fillcolor="rgba(15,110,90,0.18)",
                                name=_("Confidence band (95%)"), hoverinfo="skip"))
    figure.add_trace(go.Scatter(
        x=x, y=[e["att"] for e in rows], mode="lines+markers", name=_("Effect"),
        line={"color": PALETTE[0]},
        customdata=[[lo, hi] for lo, hi in zip(low, high, strict=True)],
        hovertemplate=_("Month %{x} from the launch: %{y:,.0f} (%{customdata[0]:,.0f} to %{customdata[1]:,.0f})")
        + " " + unit + "<extra></extra>",
    ))
    figure.add_hline(y=0, line={"color": "#5b6b70", "width": 1})
    figure.add_vline(x=-0.5, line={"color": "#5b6b70", "width": 1, "dash": "dot"})
    styled(figure, height=320)
    figure.update_layout(
        xaxis={"title": {"text": _("Months from the village's launch")}},
        yaxis={"title": {"text": _("Effect a month (%(unit)s)") % {"unit": unit} if unit else _("Effect a month")}},
    )
    return figure


def village_sales_figure(sales: MonthlySales, currency: str) -> go.Figure:
    """The village's participants' online sales per month, in total."""
    group = Enterprise.Group.PARTICIPANT
    figure = go.Figure(
        go.Bar(
            x=[m.isoformat() for m in sales.months],
            y=[float(t) for t in sales.totals.get(group, [])],
            name=_("Online sales"),
            marker={"color": PALETTE[0]},
            hovertemplate="%{x|%Y-%m}: %{y:,.0f} " + currency + "<extra></extra>",
        )
    )
    styled(figure, height=300)
    figure.update_layout(
        yaxis={"title": {"text": currency}, "rangemode": "tozero"}, showlegend=False
    )
    return figure
