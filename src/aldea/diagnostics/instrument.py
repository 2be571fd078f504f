"""The instrument shipped with Aldea, loaded from its JSON file, and its scoring definition."""

import json
from functools import cache
from pathlib import Path

from django.db import transaction
from django.db.models import Max

from aldea.diagnostics.models import AnswerOption, AnswerScale, Dimension, Instrument, Question
from aldea.diagnostics.scoring import (
    DimensionDefinition,
    InstrumentDefinition,
    QuestionDefinition,
    ScoringError,
)

DEFAULT_INSTRUMENT_FILE = Path(__file__).parent / "instruments" / "aldea-madurez-digital-v1.json"


@cache
def load_instrument_file(path: Path = DEFAULT_INSTRUMENT_FILE) -> dict:
    """The instrument as written in its file, with labels in es, pt and en."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


@transaction.atomic
def ensure_default_instrument() -> Instrument:
    """Create Aldea's instrument (idempotent) and return it."""
    spec = load_instrument_file()
    instrument, _ = Instrument.objects.get_or_create(
        code=spec["code"],
        defaults={"name": spec["name"]["es"], "version": spec["version"], "description": spec["description"]},
    )
    scale, _ = AnswerScale.objects.get_or_create(code=spec["scale"]["code"], defaults={"name": spec["scale"]["name"]})
    for option in spec["scale"]["options"]:
        AnswerOption.objects.get_or_create(scale=scale, value=option["value"], defaults={"label": option["label"]["es"]})
    for position, dim in enumerate(spec["dimensions"]):
        dimension, _ = Dimension.objects.get_or_create(
            instrument=instrument, code=dim["code"],
            defaults={"name": dim["name"]["es"], "position": position, "weight": dim["weight"]},
        )
        for q_position, q in enumerate(dim["questions"]):
            Question.objects.get_or_create(
                dimension=dimension, code=q["code"],
                defaults={"text": q["text"]["es"], "position": q_position, "scale": scale, "weight": q["weight"]},
            )
    return instrument


def instrument_definition(instrument: Instrument) -> InstrumentDefinition:
    """The scoring definition of an instrument as stored in the database (3 queries)."""
    max_values = {
        scale_id: max_value
        for scale_id, max_value in AnswerOption.objects.filter(scale__questions__dimension__instrument=instrument)
        .values_list("scale_id")
        .annotate(max_value=Max("value"))
    }
    dimensions = []
    seen_codes = set()
    for dimension in instrument.dimensions.prefetch_related("questions").order_by("position"):
        questions = tuple(
            # A scale without options scores nothing: max 0, which scoring names as a problem.
            QuestionDefinition(code=q.code, weight=float(q.weight), max_value=max_values.get(q.scale_id, 0))
            for q in dimension.questions.all()
        )
        for q in questions:
            if q.code in seen_codes:
                # Answers are keyed by question code, so a code may appear once per instrument.
                raise ScoringError({q.code: f"the question code appears twice in instrument {instrument.code}"})
            seen_codes.add(q.code)
        dimensions.append(DimensionDefinition(code=dimension.code, weight=float(dimension.weight), questions=questions))
    return InstrumentDefinition(dimensions=tuple(dimensions))
