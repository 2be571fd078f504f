"""The shipped price index: rebased to any month, and a month it does not cover is named."""

import pytest

from aldea.analytics.prices import PriceIndexError, price_index


def test_the_inpc_is_rebased_to_the_base_month():
    inpc = price_index("inpc-mx", base="2024-01")
    assert inpc.factor("2024-01") == 1.0
    # INEGI's published figures: December 2024 137.949 over January 2024 133.555.
    assert inpc.factor("2024-12") == pytest.approx(137.949 / 133.555)
    # Annual inflation to December 2024: 4.21 %.
    assert price_index("inpc-mx", base="2023-12").factor("2024-12") == pytest.approx(1.0421, abs=5e-5)
    assert (inpc.first, inpc.last) == ("2022-01", "2025-12")
    assert "INEGI" in inpc.describe()["publisher"]


def test_a_month_outside_the_index_is_named():
    inpc = price_index("inpc-mx")
    with pytest.raises(PriceIndexError, match="covers 2022-01 to 2025-12; it has no figure for 2026-01"):
        inpc.require(["2025-12", "2026-01", "2026-02"])
    with pytest.raises(PriceIndexError, match="no price index 'ipc-xx'; shipped: inpc-mx"):
        price_index("ipc-xx")
    with pytest.raises(PriceIndexError, match="base month 2019-01"):
        price_index("inpc-mx", base="2019-01")
