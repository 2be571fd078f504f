"""Numbers typed in the user's language."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aldea.core.numbers import parse_number


@pytest.mark.parametrize(("text", "mark", "value"), [
    ("1.500", ",", Decimal(1500)), ("12,5", ",", Decimal("12.5")), ("1.234.567,89", ",", Decimal("1234567.89")),
    ("1,500", ".", Decimal(1500)), ("12.5", ".", Decimal("12.5")), ("-7", ".", Decimal(-7)), (" 2 500 ", ".", Decimal(2500)),
    (",5", ",", Decimal("0.5")),
])
def test_numbers_are_read_in_the_languages_convention(text, mark, value):
    assert parse_number(text, mark) == value


@pytest.mark.parametrize(("text", "mark"), [("12,5", "."), ("1.50", ","), ("1,2,3", "."), ("abc", "."), ("", "."),
                                           ("1.5.", ","), ("--1", "."), ("1e5", ".")])
def test_text_that_is_not_a_number_in_that_convention_is_refused(text, mark):
    with pytest.raises(ValueError):
        parse_number(text, mark)


@given(st.decimals(min_value=-10**12, max_value=10**12, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from([",", "."]))
def test_a_number_written_with_grouping_reads_back_unchanged(value, mark):
    group = "." if mark == "," else ","
    text = f"{value:,.2f}".replace(",", "\0").replace(".", mark).replace("\0", group)
    assert parse_number(text, mark) == value
