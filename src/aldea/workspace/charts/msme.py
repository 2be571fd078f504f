"""Charts of an MSME's profile: its digital maturity over time and its monthly results."""

from __future__ import annotations

from django.utils.translation import gettext as _

from aldea.core.charts import figure, styled, trace, update_layout


def maturity_figure(history: list[dict]) -> dict:
    fig = figure(
        trace(
            "scatter",
            hovertemplate="%{x}: %{y:.1f} (%{text})<extra></extra>",
            marker={"size": 9},
            mode="lines+markers",
            name=_("Maturity score"),
            text=[row["level_label"] for row in history],
            x=[row["assessed_on"].isoformat() for row in history],
            y=[float(row["score"]) for row in history],
        )
    )
    update_layout(fig, yaxis={"range": [0, 100], "title": {"text": _("Score (0–100)")}},
                  xaxis={"type": "date"})
    styled(fig, height=260)
    update_layout(fig, showlegend=False, margin={"l": 50, "r": 20, "t": 20, "b": 40})
    return fig


def outcomes_figure(outcomes, currency: str) -> dict:
    rows = sorted(outcomes, key=lambda o: o.month)
    months = [o.month.isoformat() for o in rows]
    fig = figure(
        trace("scatter", mode="lines", name=_("Total sales"), x=months,
              y=[float(o.total_sales) for o in rows]),
        trace("bar", name=_("Online sales"), x=months, y=[float(o.online_sales) for o in rows]),
    )
    update_layout(fig, yaxis={"title": {"text": currency}, "rangemode": "tozero"}, xaxis={"type": "date"})
    return styled(fig, height=300)
