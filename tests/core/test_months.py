import datetime

import pytest

from aldea.core.months import add_months


@pytest.mark.parametrize(
    ("month", "count", "expected"),
    [
        (datetime.date(2025, 12, 1), -11, datetime.date(2025, 1, 1)),
        (datetime.date(2025, 3, 1), -11, datetime.date(2024, 4, 1)),
        (datetime.date(2024, 1, 1), 3, datetime.date(2024, 4, 1)),
        (datetime.date(2024, 11, 15), 2, datetime.date(2025, 1, 1)),
        (datetime.date(2024, 1, 31), 0, datetime.date(2024, 1, 1)),
    ],
)
def test_add_months_lands_on_the_first_day_across_year_boundaries(month, count, expected):
    assert add_months(month, count) == expected
