"""What the consultancy board shows: its columns of cards, by stage."""

from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, Exists, F, OuterRef, Value, Window
from django.db.models.functions import RowNumber

from aldea.consulting.models import DropReason, Stage

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
    ``writable_enterprises``. Three queries whatever the number of engagements."""
    counts = stage_counts(engagements)
    # The columns' first cards are ranked over the bare engagements, and only those are joined
    # to their MSMEs and checked for writing: ranking the joined rows read every one of them
    # (1.5 s for a manager at 100,000 MSMEs). The ids are read first: as a subquery, PostgreSQL
    # joined all the engagements before keeping the few (1.1 s).
    first = list(
        engagements.order_by()
        .annotate(
            position=Window(RowNumber(), partition_by=F("stage"), order_by=[F("started_on").desc(), F("pk").desc()])
        )
        .filter(position__lte=per_column)
        .values_list("pk", flat=True)
    )
    ranked = (
        _cards(engagements.model.objects.filter(pk__in=first), writable_enterprises)
        .order_by("stage", "-started_on", "-pk")
    )
    columns = {stage: Column(stage=stage, label=label, count=counts[stage]) for stage, label in Stage.choices}
    for engagement in ranked:
        columns[engagement.stage].cards.append(engagement)
    return list(columns.values())


def column_cards(engagements, stage: str, *, writable_enterprises=None):
    """All cards of one stage, for paginating a long column."""
    return _cards(engagements.filter(stage=stage), writable_enterprises).order_by("-started_on", "-pk")



@dataclass
class DropRow:
    code: str
    label: str
    count: int
    share: float  # of the drops in the same group, 0 to 1


@dataclass
class DropGroup:
    """The drops of one village (or of every village the viewer sees): one row per reason."""

    name: str
    total: int
    rows: list[DropRow]


def _drop_rows(counts: dict[str, int]) -> tuple[int, list[DropRow]]:
    total = sum(counts.values())
    rows = [
        DropRow(code=code, label=str(label), count=counts.get(code, 0),
                share=counts.get(code, 0) / total if total else 0.0)
        for code, label in DropReason.choices
    ]
    # Engagements dropped with no code (none since reasons were coded) stay visible.
    if counts.get(""):
        rows.append(DropRow(code="", label="—", count=counts[""], share=counts[""] / total))
    return total, rows


def drop_reason_report(engagements) -> tuple[DropGroup, list[DropGroup]]:
    """The dropped engagements among ``engagements``, counted per reason with each reason's share:
    first all of them, then village by village (by name). One query."""
    counts = (
        engagements.filter(stage=Stage.DROPPED).order_by()
        .values_list("enterprise__village__name", "drop_reason_code").annotate(n=Count("pk"))
    )
    overall: dict[str, int] = {}
    by_village: dict[str, dict[str, int]] = {}
    for village, code, count in counts:
        overall[code] = overall.get(code, 0) + count
        village_counts = by_village.setdefault(village or "—", {})
        village_counts[code] = village_counts.get(code, 0) + count
    total, rows = _drop_rows(overall)
    villages = []
    for name in sorted(by_village):
        village_total, village_rows = _drop_rows(by_village[name])
        villages.append(DropGroup(name=name, total=village_total, rows=[row for row in village_rows if row.count]))
    return DropGroup(name="", total=total, rows=rows), villages
