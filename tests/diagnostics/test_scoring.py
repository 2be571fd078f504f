import pytest
from hypothesis import given
from hypothesis import strategies as st

from aldea.diagnostics.scoring import (
    DimensionDefinition,
    InstrumentDefinition,
    QuestionDefinition,
    ScoringError,
    level_for,
    score_answers,
)

TWO_DIMENSIONS = InstrumentDefinition(
    dimensions=(
        DimensionDefinition("estrategia", 1, (QuestionDefinition("a", 1, 4), QuestionDefinition("b", 3, 4))),
        DimensionDefinition("datos", 2, (QuestionDefinition("c", 1, 4),)),
    )
)


def test_dimension_score_is_the_weighted_mean_of_answers_rescaled_to_100():
    scores = score_answers(TWO_DIMENSIONS, {"a": 4, "b": 0, "c": 2})
    # estrategia: (1*4/4 + 3*0/4) / 4 = 0.25; datos: 2/4 = 0.5
    assert scores.dimension_scores == {"estrategia": 25.0, "datos": 50.0}
    # overall: (1*25 + 2*50) / 3
    assert scores.score == pytest.approx(41.67)
    assert scores.level == "competente"


def test_all_zero_answers_are_inicial_and_all_top_answers_are_experto():
    assert score_answers(TWO_DIMENSIONS, {"a": 0, "b": 0, "c": 0}).level == "inicial"
    top = score_answers(TWO_DIMENSIONS, {"a": 4, "b": 4, "c": 4})
    assert (top.score, top.level) == (100.0, "experto")


@pytest.mark.parametrize(
    ("score", "level"),
    [(0, "inicial"), (19.99, "inicial"), (20, "novato"), (39.99, "novato"), (40, "competente"),
     (59.99, "competente"), (60, "avanzado"), (79.99, "avanzado"), (80, "experto"), (100, "experto")],
)
def test_levels_change_exactly_at_the_band_bounds(score, level):
    assert level_for(score) == level


def test_missing_unknown_and_out_of_range_answers_are_each_named():
    with pytest.raises(ScoringError) as error:
        score_answers(TWO_DIMENSIONS, {"a": 5, "b": "3", "zz": 1})
    assert error.value.problems == {
        "a": "answer 5 is outside 0–4",
        "b": "answer must be a whole number, not '3'",
        "c": "missing answer",
        "zz": "not a question of this instrument",
    }


@given(st.lists(st.integers(min_value=0, max_value=4), min_size=3, max_size=3))
def test_scores_stay_between_0_and_100_and_rise_with_any_answer(values):
    answers = dict(zip("abc", values))
    scores = score_answers(TWO_DIMENSIONS, answers)
    assert 0 <= scores.score <= 100
    for code in "abc":
        if answers[code] < 4:
            better = score_answers(TWO_DIMENSIONS, {**answers, code: answers[code] + 1})
            assert better.score > scores.score


@pytest.mark.parametrize(("definition", "answers", "problems"), [
    (InstrumentDefinition(dimensions=()), {}, {"instrument": "no dimensions"}),
    (
        InstrumentDefinition(dimensions=(
            DimensionDefinition("estrategia", 1, (QuestionDefinition("a", 1, 4),)),
            DimensionDefinition("datos", 1, ()),
        )),
        {"a": 3},
        {"dimension datos": "has no questions"},
    ),
    (
        InstrumentDefinition(dimensions=(DimensionDefinition("datos", 1, (QuestionDefinition("a", 1, 0),)),)),
        {"a": 0},
        {"a": "no value above 0"},
    ),
    (
        InstrumentDefinition(dimensions=(DimensionDefinition("datos", 0, (QuestionDefinition("a", 1, 4),)),)),
        {"a": 1},
        {"dimension datos": "weight must be above 0"},
    ),
    (
        InstrumentDefinition(dimensions=(DimensionDefinition("datos", 1, (QuestionDefinition("a", 0, 4),)),)),
        {"a": 1},
        {"a": "weight must be above 0"},
    ),
], ids=["no-dimension", "dimension-without-questions", "scale-max-0", "dimension-weight-0", "question-weight-0"])
def test_an_instrument_that_cannot_be_scored_is_named_instead_of_dividing_by_zero(definition, answers, problems):
    with pytest.raises(ScoringError) as error:
        score_answers(definition, answers)
    assert error.value.problems.keys() == problems.keys()
    for key, words in problems.items():
        assert words in error.value.problems[key]
