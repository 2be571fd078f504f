"""The window (its default end, its warnings), turnover per year, and duplicate lines."""

from __future__ import annotations

import datetime as dt

import ibis
import pandas as pd
import pytest
from analytics_builders import Inputs, by_code, run

from aldea.analytics import detect
from aldea.analytics.cli import main_detect
from aldea.analytics.window import choose_window


def _monthly_inputs(months: list[tuple[str, int]]):
    """One seller in locality v1 selling ``n`` lines of 100 CNY on the 10th of each month."""
    sales = [{"seller_id": f"s{i % 7}", "date": f"{month}-10", "amount": "100", "currency": "CNY"}
             for month, n in months for i in range(n)]
    sellers = pd.DataFrame({"seller_id": [f"s{i}" for i in range(7)], "locality_code": "v1"})
    locs = pd.DataFrame({"code": ["v1"], "name": ["Uno"], "households": [100.0]})
    return ibis.memtable(pd.DataFrame(sales)), ibis.memtable(locs), ibis.memtable(sellers)


def test_default_window_ends_at_the_last_substantial_month_not_at_a_stray_late_date(duck):
    months = [(f"2018-{m:02d}", 100) for m in range(1, 9)] + [("2018-09", 10), ("2020-04", 2)]
    res = detect(*_monthly_inputs(months), profile="aliresearch-2014", con=duck)
    assert res.window_end == dt.date(2018, 8, 10)
    s = res.summary()
    assert s["used_in_window"] == 800
    assert any("2018-08-10" in n and "nearly empty" in n for n in s["notes"])
    assert any("12 row(s) are dated after the window's end" in w for w in s["warnings"])


def test_a_month_at_a_quarter_of_the_median_counts_as_substantial():
    days = [{"date": dt.date(2024, m, 1), "n": 100} for m in range(1, 7)]
    at = choose_window(days + [{"date": dt.date(2024, 7, 3), "n": 25}], None, 12)
    below = choose_window(days + [{"date": dt.date(2024, 7, 3), "n": 24}], None, 12)
    assert at.end == dt.date(2024, 7, 3)
    assert below.end == dt.date(2024, 6, 1)


def test_an_explicit_end_that_leaves_the_window_thin_is_warned_about(duck):
    months = [(f"2018-{m:02d}", 100) for m in range(1, 13)]
    res = detect(*_monthly_inputs(months), profile="aliresearch-2014", window_end="2018-03-31", con=duck)
    warnings = res.summary()["warnings"]
    assert any("900 row(s) are dated after" in w for w in warnings)
    # three months of data before the end: the window holds what three typical months hold
    assert not any("holds" in w for w in warnings)
    res = detect(*_monthly_inputs(months), profile="aliresearch-2014", window_end="2017-01-31", con=duck)
    assert res.summary()["used_in_window"] == 0
    assert any("1,200 row(s) are dated after" in w for w in res.summary()["warnings"])


def test_the_command_prints_the_window_and_the_warnings(tmp_path, capsys):
    rows = ["seller_id,date,amount,currency"] + [f"s{i % 3},2018-{m:02d}-05,10,CNY"
                                                 for m in range(1, 9) for i in range(50)]
    rows += ["s1,2020-04-09,10,CNY"]
    (tmp_path / "s.csv").write_text("\n".join(rows) + "\n")
    (tmp_path / "sel.csv").write_text("seller_id,locality_code\ns0,v\ns1,v\ns2,v\n")
    (tmp_path / "l.csv").write_text("code,name,households\nv,V,10\n")
    code = main_detect(["--sales", str(tmp_path / "s.csv"), "--localities", str(tmp_path / "l.csv"),
                        "--sellers", str(tmp_path / "sel.csv"), "--out", str(tmp_path / "o.csv"), "--quiet"])
    out = capsys.readouterr().out
    assert code == 0
    assert "window: (2017-08-05, 2018-08-05]" in out
    assert "warning: 1 row(s) are dated after the window's end (2018-08-05)" in out


@pytest.mark.parametrize("months", [12, 24])
def test_turnover_is_per_year_of_window(duck, months):
    inp = Inputs(date="2024-06-30")
    inp.village("a", shops=100, turnover=12_000_000, households=500)
    inp.date = "2023-06-30"
    inp.village("b", shops=100, turnover=12_000_000, households=500)
    rows = by_code(run(inp, duck, profile="aliresearch-2014", window_end="2024-06-30", window_months=months))
    # 12 months hold a's sales; 24 months hold both, and the sum is halved to a year
    assert rows["a"]["turnover_cny"] == pytest.approx(12_000_000 * 12 / months)
    assert rows["a"]["turnover"] == pytest.approx(12_000_000 * 12 / months)
    assert rows["b"]["turnover_cny"] == pytest.approx(0 if months == 12 else 6_000_000)
    assert rows["a"]["qualifies"] == (months == 12)


SALES = """seller_id,date,amount,currency,order_id{line}
s1,2024-01-05,100,CNY,o1{l1}
s1,2024-01-05,100,CNY,o1{l2}
s1,2024-01-05,100,CNY,o1{l3}
s1,2024-01-06,50,CNY,o2{l1}
"""


def _files(tmp_path, with_line: bool, third_line: int = 3):
    cols = {"line": ",line_id", "l1": ",1", "l2": ",2", "l3": f",{third_line}"} if with_line else \
        {"line": "", "l1": "", "l2": "", "l3": ""}
    (tmp_path / "s.csv").write_text(SALES.format(**cols))
    (tmp_path / "sel.csv").write_text("seller_id,locality_code\ns1,v\n")
    (tmp_path / "l.csv").write_text("code,name,households\nv,V,10\n")
    return [tmp_path / "s.csv", tmp_path / "l.csv", tmp_path / "sel.csv"]


def test_without_line_id_identical_lines_are_kept_and_counted_in_a_warning(tmp_path, duck):
    res = detect(*_files(tmp_path, with_line=False), profile="aliresearch-2014", con=duck)
    s = res.summary()
    assert s["used"] == 4 and s["rejected"] == 0
    assert by_code(res)["v"]["turnover_cny"] == 350
    assert s["repeated_identical_lines"] == 2
    assert any("2 used line(s) repeat every field" in w and "line_id" in w for w in s["warnings"])


def test_with_line_id_distinct_lines_of_one_order_are_all_used(tmp_path, duck):
    res = detect(*_files(tmp_path, with_line=True), profile="aliresearch-2014", con=duck)
    s = res.summary()
    assert s["used"] == 4 and s["rejected"] == 0 and s["warnings"] == []
    assert by_code(res)["v"]["turnover_cny"] == 350


def test_with_line_id_a_repeated_order_and_line_is_rejected_and_the_first_is_kept(tmp_path, duck):
    res = detect(*_files(tmp_path, with_line=True, third_line=1), profile="aliresearch-2014", con=duck)
    s = res.summary()
    assert s["used"] == 3 and s["rejected_by_reason"] == {"duplicate_line": 1}
    assert res.rejects.to_pandas()[["line", "reason"]].values.tolist() == [[4, "duplicate_line"]]
    assert by_code(res)["v"]["turnover_cny"] == 250


def test_the_kept_line_of_a_repeated_key_is_the_earliest_even_when_the_repeat_differs(tmp_path, duck):
    files = _files(tmp_path, with_line=True)  # sellers and localities; the sales are replaced
    (tmp_path / "s.csv").write_text("seller_id,date,amount,currency,order_id,line_id\n"
                                    "s1,2024-01-05,100,CNY,o1,1\ns1,2024-01-05,999,CNY,o1,1\n"
                                    "s1,2024-01-05,7,CNY,,1\ns1,2024-01-05,7,CNY,,1\n")
    res = detect(*files, profile="aliresearch-2014", con=duck)
    # lines without an order id are never repeats of each other
    assert by_code(res)["v"]["turnover_cny"] == 114
    assert res.rejects.to_pandas()[["line", "reason"]].values.tolist() == [[3, "duplicate_line"]]


def test_line_id_needs_order_id(tmp_path, duck):
    files = _files(tmp_path, with_line=False)
    (tmp_path / "s.csv").write_text("seller_id,date,amount,currency,line_id\ns1,2024-01-05,1,CNY,1\n")
    from aldea.analytics import MissingColumnsError

    with pytest.raises(MissingColumnsError, match="order_id"):
        detect(*files, con=duck)
