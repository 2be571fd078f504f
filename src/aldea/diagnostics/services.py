"""Writes of maturity assessments: answers are scored and stored in one transaction."""

import datetime

from django.db import transaction

from aldea.diagnostics.instrument import instrument_definition
from aldea.diagnostics.models import Answer, Assessment, Instrument, Question
from aldea.diagnostics.scoring import score_answers


@transaction.atomic
def record_assessment(
    *,
    enterprise,
    instrument: Instrument,
    answers: dict[str, int],
    assessed_on: datetime.date,
    assessor=None,
) -> Assessment:
    """Score ``answers`` (question code → value) and store the assessment with its answers.

    Raises scoring.ScoringError (a ValueError naming each bad question) before writing anything.
    """
    scores = score_answers(instrument_definition(instrument), answers)
    assessment = Assessment.objects.create(
        enterprise=enterprise,
        instrument=instrument,
        assessed_on=assessed_on,
        assessor=assessor,
        dimension_scores=scores.dimension_scores,
        score=scores.score,
        level=scores.level,
    )
    question_ids = dict(
        Question.objects.filter(dimension__instrument=instrument).values_list("code", "id")
    )
    Answer.objects.bulk_create(
        Answer(assessment=assessment, question_id=question_ids[code], value=value)
        for code, value in answers.items()
    )
    return assessment
