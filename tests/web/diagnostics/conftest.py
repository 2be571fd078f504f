import pytest

from aldea.diagnostics.instrument import ensure_default_instrument, load_instrument_file


def all_answers(value_of=lambda dimension_index, question_index: 2) -> dict[str, str]:
    """POST data answering every question of the shipped instrument."""
    data = {"assessed_on": "2024-05-01"}
    for d_index, dimension in enumerate(load_instrument_file()["dimensions"]):
        for q_index, question in enumerate(dimension["questions"]):
            data[f"q_{question['code']}"] = str(value_of(d_index, q_index))
    return data


@pytest.fixture
def instrument(db):
    return ensure_default_instrument()
