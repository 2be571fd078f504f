"""Charts of an MSME's profile: its digital maturity over time and its monthly results."""

from __future__ import annotations

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from aldea.core.charts import styled


def maturity_figure(history: list[dict]) -> go.Figure:
    figure = go.Figure(
        go.Scatter(
            x=[row["assessed_on"].isoformat() for row in history],
            y=[float(row["score"]) for row in history],
            mode="lines+markers",
            text=[row["level_label"] for row in history],
            marker={"size": 9},
            name=_("Maturity score"),
            hovertemplate="%{x}: %{y:.1f} (%{text})<extra></extra>",
        )
    )
    figure.update_yaxes(range=[0, 100], title_text=_("Score (0–100)"))
    figure.update_xaxes(type="date")
    styled(figure, height=260)
    figure.update_layout(showlegend=False, margin={"l": 50, "r": 20, "t": 20, "b": 40})
    return figure


def outcomes_figure(outcomes, currency: str) -> go.Figure:
    rows = sorted(outcomes, key=lambda o: o.month)
    months = [o.month.isoformat() for o in rows]
    figure = go.Figure()
    figure.add_trace(go.Scatter(
        x=months, y=[float(o.total_sales) for o in rows], mode="lines", name=_("Total sales"),
    ))
    figure.add_trace(go.Bar(
        x=months, y=[float(o.online_sales) for o in rows], name=_("Online sales"),
    ))
    figure.update_yaxes(title_text=currency, rangemode="tozero")
    figure.update_xaxes(type="date")
    return styled(figure, height=300)
