"""What the consultancy board shows: its columns of cards, by stage."""

from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, Exists, F, OuterRef, Value, Window
from django.db.models.functions import RowNumber

from aldea.consulting.models import Stage

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

