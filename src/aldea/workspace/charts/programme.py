"""Charts of the programme overview and the village page: numbers in, plotly.js figures out."""

from __future__ import annotations

from django.utils.translation import gettext as _

from aldea.core.charts import PALETTE, figure, hline, styled, trace, update_layout, vline
from aldea.enterprises.models import Enterprise
from aldea.programmes.models import Village, VillageStatus
from aldea.territories.geo import centroids, no_basemap_anchor
from aldea.workspace.figures.overview import MonthlySales


def cascade_figure(stages: list[tuple[str, int]]) -> dict:
    fig = figure(
        trace(
            "funnel",
            connector={"line": {"color": "#d7dfe1"}},
            marker={"color": PALETTE[: len(stages)]},
            textinfo="value",
            x=[n for _label, n in stages],
            y=[label for label, _n in stages],
        )
    )
    styled(fig, height=300)
    return update_layout(fig, margin={"l": 150, "r": 10, "t": 10, "b": 10})


def sales_figure(sales: MonthlySales, currency: str) -> dict:
    """Mean online sales per reporting MSME and month: participants against the comparison group."""
    names = {
        Enterprise.Group.PARTICIPANT: _("Participants"),
        Enterprise.Group.COMPARISON: _("Comparison group"),
    }
    fig = figure(*(
        trace(
            "scatter",
            hovertemplate="%{x|%Y-%m}: %{y:,.0f} " + currency + "<extra>" + name + "</extra>",
            mode="lines",
            name=name,
            x=[m.isoformat() for m in sales.months],
            y=sales.mean(group),
        )
        for group, name in names.items()
        if any(sales.reporting.get(group, []))
    ))
    styled(fig)
    return update_layout(fig, yaxis={
        "title": {"text": _("%(currency)s per MSME") % {"currency": currency}},
        "rangemode": "tozero",
    })


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


def village_map_figure(villages: list[Village], states_geojson_url: str, country: str = "MX") -> dict:
    """Villages as points on the state outlines, coloured by status, sized by participants."""
    states = centroids("states", country)
    state_codes = sorted(states)
    fig = figure(
        no_basemap_anchor(*next(iter(states.values()), (-102.0, 23.0))),
        trace(
            "choropleth",
            colorscale=[[0, "#eef3f1"], [1, "#eef3f1"]],
            featureidkey="id",
            geojson=states_geojson_url,
            hoverinfo="skip",
            locations=state_codes,
            marker={"line": {"color": "#b9c6c9", "width": 0.6}},
            showscale=False,
            z=[0] * len(state_codes),
        ),
    )
    labels = dict(VillageStatus.choices)
    for status, colour in STATUS_COLOURS.items():
        points = [(v, village_point(v)) for v in villages if v.status == status]
        points = [(v, p) for v, p in points if p is not None]
        if not points:
            continue
        fig["data"].append(
            trace(
                "scattergeo",
                customdata=[getattr(v, "msmes", 0) for v, _p in points],
                hovertemplate="%{text}<br>" + _("MSMEs") + ": %{customdata}<extra></extra>",
                lat=[p[1] for _v, p in points],
                lon=[p[0] for _v, p in points],
                marker={
                    "color": colour,
                    "line": {"color": "#ffffff", "width": 1},
                    "size": [8 + min(16, getattr(v, "msmes", 0) / 5) for v, _p in points],
                },
                name=str(labels[status]),
                text=[f"{v.name} · {v.municipality.name}" for v, _p in points],
            )
        )
    update_layout(fig, geo={"fitbounds": "locations", "visible": False})
    styled(fig, height=380)
    return update_layout(fig, margin={"l": 0, "r": 0, "t": 0, "b": 0}, dragmode=False)


def lorenz_figure(lorenz: list) -> dict:
    points = [(p, share) for p, share in lorenz if share is not None]
    fig = figure(
        trace(
            "scatter",
            hoverinfo="skip",
            line={"color": "#5b6b70", "dash": "dot"},
            mode="lines",
            name=_("Equal gains"),
            x=[0, 1],
            y=[0, 1],
        ),
        trace(
            "scatter",
            hovertemplate=_("The %{x:.0%} of participants with the smallest net gains hold %{y:.0%} of them")
            + "<extra></extra>",
            mode="lines+markers",
            name=_("Lorenz curve of net gains"),
            x=[p for p, _s in points],
            y=[s for _p, s in points],
        ),
    )
    styled(fig, height=320)
    return update_layout(
        fig,
        xaxis={"title": {"text": _("Share of participants")}, "tickformat": ".0%", "range": [0, 1]},
        yaxis={"title": {"text": _("Share of net gains")}, "tickformat": ".0%"},
    )


def event_study_figure(event_study: list[dict], unit: str) -> dict:
    """The effect in each month from the launch (negative: months before), with its interval."""
    rows = [e for e in event_study if e["att"] is not None]
    x = [e["event_time"] for e in rows]
    low = [e["ci_low"] if e["ci_low"] is not None else e["att"] for e in rows]
    high = [e["ci_high"] if e["ci_high"] is not None else e["att"] for e in rows]
    fig = figure(
        trace("scatter", fill="toself", fillcolor="rgba(15,110,90,0.18)", hoverinfo="skip",
              line={"width": 0}, mode="lines", name=_("Confidence band (95%)"),
              x=x + x[::-1], y=high + low[::-1]),
        trace(
            "scatter",
            customdata=[[lo, hi] for lo, hi in zip(low, high, strict=True)],
            hovertemplate=_("Month %{x} from the launch: %{y:,.0f} (%{customdata[0]:,.0f} to %{customdata[1]:,.0f})")
            + " " + unit + "<extra></extra>",
            line={"color": PALETTE[0]},
            mode="lines+markers",
            name=_("Effect"),
            x=x,
            y=[e["att"] for e in rows],
        ),
    )
    hline(fig, 0, {"color": "#5b6b70", "width": 1})
    vline(fig, -0.5, {"color": "#5b6b70", "width": 1, "dash": "dot"})
    styled(fig, height=320)
    return update_layout(
        fig,
        xaxis={"title": {"text": _("Months from the village's launch")}},
        yaxis={"title": {"text": _("Effect a month (%(unit)s)") % {"unit": unit} if unit else _("Effect a month")}},
    )


def village_sales_figure(sales: MonthlySales, currency: str) -> dict:
    """The village's participants' online sales per month, in total."""
    group = Enterprise.Group.PARTICIPANT
    fig = figure(
        trace(
            "bar",
            hovertemplate="%{x|%Y-%m}: %{y:,.0f} " + currency + "<extra></extra>",
            marker={"color": PALETTE[0]},
            name=_("Online sales"),
            x=[m.isoformat() for m in sales.months],
            y=[float(t) for t in sales.totals.get(group, [])],
        )
    )
    styled(fig, height=300)
    return update_layout(fig, yaxis={"title": {"text": currency}, "rangemode": "tozero"}, showlegend=False)
