"""A diagnostic's result: dimension scores against the previous diagnostic, and their radar."""

import textwrap

from django.utils.translation import gettext as _

from aldea.core.charts import NO_TEMPLATE, figure, styled, trace, update_layout


def dimension_comparison(labels: dict[str, str], current: dict, previous: dict | None) -> list[dict]:
    """Rows of dimension, current score, previous score and change (points), in ``labels`` order."""
    rows = []
    for code, label in labels.items():
        now = current.get(code)
        before = previous.get(code) if previous else None
        rows.append({
            "code": code,
            "label": label,
            "score": now,
            "previous": before,
            "change": round(now - before, 2) if now is not None and before is not None else None,
        })
    return rows


def maturity_radar(labels: dict[str, str], current: dict, previous: dict | None = None,
                   *, current_name: str = "", previous_name: str = "") -> dict:
    """A radar (Scatterpolar) of dimension scores 0–100; the previous assessment underneath when
    given. The polygon is closed by repeating the first dimension."""
    codes = list(labels)
    # Long dimension names wrap onto short lines so they fit around the circle on a phone.
    names = {code: "<br>".join(textwrap.wrap(labels[code], 13, break_long_words=False)) or code for code in codes}
    theta = [names[code] for code in codes] + [names[codes[0]]] if codes else []
    traces = []
    if previous:
        traces.append(trace(
            "scatterpolar", fill="toself", line={"color": "#5b6b70", "dash": "dot"},
            name=previous_name or _("Previous"), opacity=0.45,
            r=[previous.get(code, 0) for code in codes] + [previous.get(codes[0], 0)], theta=theta,
        ))
    traces.append(trace(
        "scatterpolar", fill="toself", line={"color": "#0f6e5a"}, name=current_name or _("This assessment"),
        r=[current.get(code, 0) for code in codes] + ([current.get(codes[0], 0)] if codes else []),
        theta=theta,
    ))
    # The bare "none" template: Plotly's default one adds ~10 kB of JSON to every page.
    fig = figure(*traces, template=NO_TEMPLATE)
    update_layout(
        fig,
        showlegend=True,
        polar={
            # Rings every 20 points without numbers (the table beside gives them): numbers
            # would collide with the top dimension's name.
            "radialaxis": {
                "range": [0, 100], "tickvals": [20, 40, 60, 80, 100], "showticklabels": False,
                "showline": False, "ticks": "",
            },
            # First dimension at the top, clockwise: with six, no name sits at the sides
            # where a phone screen would cut it.
            "angularaxis": {"rotation": 90, "direction": "clockwise", "tickfont": {"size": 11}},
        },
    )
    styled(fig, height=380)
    # Room for the dimension names drawn outside the circle.
    return update_layout(fig, margin={"l": 85, "r": 85, "t": 60, "b": 30})
