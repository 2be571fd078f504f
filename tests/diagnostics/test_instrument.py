import datetime

import pytest

from aldea.diagnostics.instrument import (
    ensure_default_instrument,
    instrument_definition,
    load_instrument_file,
)
from aldea.diagnostics.models import Answer, Assessment, Question
from aldea.diagnostics.scoring import ScoringError
from aldea.diagnostics.services import record_assessment

pytestmark = pytest.mark.django_db


def test_default_instrument_has_six_dimensions_of_four_questions_and_is_idempotent():
    first = ensure_default_instrument()
    second = ensure_default_instrument()
    assert first.pk == second.pk
    definition = instrument_definition(first)
    assert [d.code for d in definition.dimensions] == [
        "estrategia", "preparacion", "personas", "datos", "automatizacion", "verde",
    ]
    assert all(len(d.questions) == 4 and all(q.max_value == 4 for q in d.questions) for d in definition.dimensions)
    assert Question.objects.filter(dimension__instrument=first).count() == 24


def test_every_question_is_labelled_in_spanish_portuguese_and_english():
    spec = load_instrument_file()
    for dimension in spec["dimensions"]:
        assert set(dimension["name"]) == {"es", "pt", "en"}
        for question in dimension["questions"]:
            assert set(question["text"]) == {"es", "pt", "en"} and all(question["text"].values())


def test_record_assessment_scores_and_stores_answers(enterprise):
    instrument = ensure_default_instrument()
    codes = list(Question.objects.filter(dimension__instrument=instrument).values_list("code", flat=True))
    answers = {code: 2 for code in codes}
    assessment = record_assessment(
        enterprise=enterprise, instrument=instrument, answers=answers, assessed_on=datetime.date(2025, 3, 1)
    )
    assessment.refresh_from_db()
    assert float(assessment.score) == 50.0
    assert assessment.level == "competente"
    assert assessment.dimension_scores["datos"] == 50.0
    assert Answer.objects.filter(assessment=assessment).count() == 24


def test_record_assessment_with_a_bad_answer_writes_nothing(enterprise):
    instrument = ensure_default_instrument()
    with pytest.raises(ScoringError):
        record_assessment(
            enterprise=enterprise, instrument=instrument, answers={"canales": 9}, assessed_on=datetime.date(2025, 3, 1)
        )
    assert Assessment.objects.count() == 0
