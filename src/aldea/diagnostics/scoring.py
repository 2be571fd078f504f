"""Scoring of a digital-maturity diagnostic: a pure function, no database.

Method (Aldea instrument v1, see docs/decisions.md):

* each answer is a value on the question's scale, 0 … ``max_value``;
* a dimension's score is the weighted mean of its answers rescaled to 0–100:
  ``100 * Σ(w_q · a_q / max_q) / Σ w_q``;
* the overall score is the weighted mean of the dimension scores;
* the level is the highest level whose lower bound the overall score reaches, with the
  Chequeo Digital bands inicial [0, 20), novato [20, 40), competente [40, 60),
  avanzado [60, 80), experto [80, 100].

Example::

    >>> definition = InstrumentDefinition(
    ...     dimensions=(DimensionDefinition("datos", 1, (QuestionDefinition("registro", 1, 4),)),),
    ... )
    >>> score_answers(definition, {"registro": 3})
    Scores(dimension_scores={'datos': 75.0}, score=75.0, level='avanzado')
"""

from dataclasses import dataclass, field

DEFAULT_LEVELS = (("inicial", 0.0), ("novato", 20.0), ("competente", 40.0), ("avanzado", 60.0), ("experto", 80.0))


class ScoringError(ValueError):
    """The answers do not fit the instrument; ``problems`` maps question codes to reasons."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__("; ".join(f"{code}: {reason}" for code, reason in sorted(problems.items())))


@dataclass(frozen=True)
class QuestionDefinition:
    code: str
    weight: float
    max_value: int


@dataclass(frozen=True)
class DimensionDefinition:
    code: str
    weight: float
    questions: tuple[QuestionDefinition, ...]


@dataclass(frozen=True)
class InstrumentDefinition:
    dimensions: tuple[DimensionDefinition, ...]
    levels: tuple[tuple[str, float], ...] = DEFAULT_LEVELS


@dataclass(frozen=True)
class Scores:
    dimension_scores: dict[str, float] = field(default_factory=dict)
    score: float = 0.0
    level: str = "inicial"


def level_for(score: float, levels=DEFAULT_LEVELS) -> str:
    """The level whose band holds ``score`` (0–100)."""
    chosen = levels[0][0]
    for name, lower_bound in levels:
        if score >= lower_bound:
            chosen = name
    return chosen


def definition_problems(definition: InstrumentDefinition) -> dict[str, str]:
    """What keeps an instrument from being scored at all (each would divide by zero): no
    dimension, a dimension without questions, a weight that is not positive, or a question whose
    scale has no value above 0. Keys are question codes, or ``dimension <code>`` / ``instrument``."""
    problems = {}
    if not definition.dimensions:
        problems["instrument"] = "the instrument has no dimensions to score; add dimensions with questions"
    for dimension in definition.dimensions:
        key = f"dimension {dimension.code}"
        if not dimension.questions:
            problems[key] = "has no questions, so it cannot be scored; add questions or remove the dimension"
        elif not dimension.weight > 0:
            problems[key] = f"weight must be above 0, not {dimension.weight}"
        for question in dimension.questions:
            if not question.max_value > 0:
                problems[question.code] = "its answer scale has no value above 0, so no answer can be scored"
            elif not question.weight > 0:
                problems[question.code] = f"the question's weight must be above 0, not {question.weight}"
    return problems


def score_answers(definition: InstrumentDefinition, answers: dict[str, int]) -> Scores:
    """Score a complete set of answers. Raises ScoringError naming each bad or missing answer,
    and each part of the instrument that cannot be scored (see ``definition_problems``)."""
    questions = {q.code: q for d in definition.dimensions for q in d.questions}
    problems = definition_problems(definition)
    for code in answers.keys() - questions.keys():
        problems[code] = "not a question of this instrument"
    for code, question in questions.items():
        if code in problems:
            continue
        if code not in answers or answers[code] is None:
            problems[code] = "missing answer"
            continue
        value = answers[code]
        if isinstance(value, bool) or not isinstance(value, int):
            problems[code] = f"answer must be a whole number, not {value!r}"
        elif not 0 <= value <= question.max_value:
            problems[code] = f"answer {value} is outside 0–{question.max_value}"
    if problems:
        raise ScoringError(problems)

    dimension_scores = {}
    for dimension in definition.dimensions:
        total_weight = sum(q.weight for q in dimension.questions)
        achieved = sum(q.weight * answers[q.code] / q.max_value for q in dimension.questions)
        dimension_scores[dimension.code] = round(100 * achieved / total_weight, 2)
    total_weight = sum(d.weight for d in definition.dimensions)
    score = round(sum(d.weight * dimension_scores[d.code] for d in definition.dimensions) / total_weight, 2)
    return Scores(dimension_scores=dimension_scores, score=score, level=level_for(score, definition.levels))
