"""What the consultancy pages show: the board's columns and the maturity radar.

The radar lives here rather than in diagnostics because the diagnostic is part of the
consultancy work (issue 4, point 5); the diagnostics pages import it.
"""

import textwrap
from dataclasses import dataclass, field

import plotly.graph_objects as go
from django.db.models import BooleanField, Count, Exists, F, OuterRef, Value, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from aldea.consulting.models import Stage
from aldea.core.charts import styled

# Cards drawn per column on the board; a column with more shows a "show more" link.
CARDS_PER_COLUMN = 12


@dataclass
class Column:
    stage: str
    label: str
    count: int
    cards: list = field(default_factory=list)

    @property
    def has_more(self) -> bool:
        return self.count > len(self.cards)


def stage_counts(engagements) -> dict[str, int]:
    """Engagements per stage, every stage present (zero when empty). One query."""
    counts = dict.fromkeys(Stage.values, 0)
    for stage, count in engagements.order_by().values_list("stage").annotate(n=Count("pk")):
        counts[stage] = count
    return counts


def _cards(engagements, writable_enterprises):
    cards = engagements.select_related("enterprise__village", "consultant")
    if writable_enterprises is None:
        return cards.annotate(is_writable=Value(False, output_field=BooleanField()))
    return cards.annotate(is_writable=Exists(writable_enterprises.filter(pk=OuterRef("enterprise_id"))))


def board_columns(engagements, *, writable_enterprises=None, per_column: int = CARDS_PER_COLUMN) -> list[Column]:
    """One column per stage with its count and its first ``per_column`` cards (most recently
    started first), each card annotated ``is_writable`` when its MSME is in
    ``writable_enterprises``. Two queries whatever the number of engagements."""
    counts = stage_counts(engagements)
    ranked = (
        _cards(engagements, writable_enterprises)
        .annotate(
            position=Window(RowNumber(), partition_by=F("stage"), order_by=[F("started_on").desc(), F("pk").desc()])
        )
        .filter(position__lte=per_column)
        .order_by("stage", "position")
    )
    columns = {stage: Column(stage=stage, label=label, count=counts[stage]) for stage, label in Stage.choices}
    for engagement in ranked:
        columns[engagement.stage].cards.append(engagement)
    return list(columns.values())


def column_cards(engagements, stage: str, *, writable_enterprises=None):
    """All cards of one stage, for paginating a long column."""
    return _cards(engagements.filter(stage=stage), writable_enterprises).order_by("-started_on", "-pk")


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
                   *, current_name: str = "", previous_name: str = "") -> go.Figure:
    """A radar (Scatterpolar) of dimension scores 0–100; the previous assessment underneath when
    given. The polygon is closed by repeating the first dimension."""
    codes = list(labels)
    # Long dimension names wrap onto short lines so they fit around the circle on a phone.
    names = {code: "<br>".join(textwrap.wrap(labels[code], 13, break_long_words=False)) or code for code in codes}
    theta = [names[code] for code in codes] + [names[codes[0]]] if codes else []
    figure = go.Figure()
    if previous:
        figure.add_trace(go.Scatterpolar(
            r=[previous.get(code, 0) for code in codes] + [previous.get(codes[0], 0)],
            theta=theta, name=previous_name or _("Previous"), fill="toself", opacity=0.45,
            line={"color": "#5b6b70", "dash": "dot"},
        ))
    figure.add_trace(go.Scatterpolar(
        r=[current.get(code, 0) for code in codes] + ([current.get(codes[0], 0)] if codes else []),
        theta=theta, name=current_name or _("This assessment"), fill="toself", line={"color": "#0f6e5a"},
    ))
    # The bare "none" template: Plotly's default one adds ~10 kB of JSON to every page.
    figure.update_layout(
        template="none", showlegend=True,
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
    styled(figure, height=380)
    # Room for the dimension names drawn outside the circle.
    figure.update_layout(margin={"l": 85, "r": 85, "t": 60, "b": 30})
    return figure
