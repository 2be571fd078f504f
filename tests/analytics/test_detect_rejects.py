"""Bad rows go to the rejects with their line and reason; nothing is dropped uncounted."""

from __future__ import annotations

import pytest

from aldea.analytics import MissingColumnsError, detect
from aldea.analytics.detect import DuplicateKeyError

SALES_CSV = """seller_id,date,amount,currency,order_id,line_id
s1,2024-01-05,100,CNY,o1,1
s1,2024-01-06,,CNY,o2,1
s1,2024-01-07,abc,CNY,o3,1
s1,2024-01-08,0,CNY,o4,1
s1,2024-01-09,-5,CNY,o5,1
s1,not a date,10,CNY,o6,1
s1,2024-01-10,10,XXX,o7,1
ghost,2024-01-11,10,CNY,o8,1
s2,2024-01-12,10,CNY,o9,1
s1,2024-01-05,100,CNY,o1,1
s1,2024-02-30,10,CNY,o10,1
s1,2024-03-01 10:30:00,10,mxn,o11,1
"""
SELLERS_CSV = "seller_id,locality_code\ns1,v1\ns2,nowhere\n"
LOCALITIES_CSV = "code,name,households\nv1,Villa Uno,100\n"


@pytest.fixture
def files(tmp_path):
    (tmp_path / "sales.csv").write_text(SALES_CSV)
    (tmp_path / "sellers.csv").write_text(SELLERS_CSV)
    (tmp_path / "localities.csv").write_text(LOCALITIES_CSV)
    return tmp_path


def test_every_reject_reason_is_reported_with_its_line(files, duck):
    res = detect(files / "sales.csv", files / "localities.csv", files / "sellers.csv",
                 profile="aliresearch-2014", window_end="2024-03-01", con=duck)
    rejects = res.rejects.to_pandas()
    assert list(zip(rejects.line, rejects.reason)) == [
        (3, "amount_missing"),
        (4, "amount_not_numeric"),
        (5, "amount_not_positive"),
        (6, "amount_not_positive"),
        (7, "date_unparsable"),
        (8, "currency_no_rate"),
        (9, "unknown_seller"),
        (10, "unknown_locality"),
        (11, "duplicate_line"),
        (12, "date_unparsable"),
    ]
    s = res.summary()
    assert s["read"] == 12 and s["used"] == 2 and s["rejected"] == 10
    assert s["rejected_by_reason"]["amount_not_positive"] == 2
    row = res.localities.to_pandas().iloc[0]
    assert row.active_shops == 1
    assert row.currency == "MIXED" and row.turnover != row.turnover  # CNY and MXN
    assert row.turnover_cny == pytest.approx(100 + 10 * 3.64756438294305 / 10.789653)


def test_parquet_rows_are_numbered_from_one(tmp_path, duck):
    import pandas as pd

    pd.DataFrame({"seller_id": ["s1", "s1"], "date": pd.to_datetime(["2024-01-01", "2024-01-02"]),
                  "amount": [1.0, -1.0], "currency": ["CNY", "CNY"],
                  "locality_code": ["v1", "v1"]}).to_parquet(tmp_path / "s.parquet")
    (tmp_path / "l.csv").write_text(LOCALITIES_CSV)
    res = detect(tmp_path / "s.parquet", tmp_path / "l.csv", con=duck)
    assert res.rejects.to_pandas()[["line", "reason"]].values.tolist() == [[2, "amount_not_positive"]]


def test_missing_required_columns_are_named(files, duck):
    (files / "bad.csv").write_text("seller_id,when,amount\ns1,2024-01-01,1\n")
    with pytest.raises(MissingColumnsError, match="sales is missing required column\\(s\\): date, currency"):
        detect(files / "bad.csv", files / "localities.csv", files / "sellers.csv", con=duck)
    (files / "badloc.csv").write_text("code,households\nv1,1\n")
    with pytest.raises(MissingColumnsError, match="localities .*: name"):
        detect(files / "sales.csv", files / "badloc.csv", files / "sellers.csv", con=duck)


def test_sales_without_locality_need_a_sellers_input(files, duck):
    with pytest.raises(MissingColumnsError, match="locality_code"):
        detect(files / "sales.csv", files / "localities.csv", con=duck)


def test_repeated_locality_codes_stop_the_run(files, duck):
    (files / "dup.csv").write_text("code,name\nv1,A\nv1,B\n")
    with pytest.raises(DuplicateKeyError, match="'v1'"):
        detect(files / "sales.csv", files / "dup.csv", files / "sellers.csv", con=duck)


def test_unknown_profile_lists_the_shipped_ones(files, duck):
    with pytest.raises(ValueError, match="aliresearch-2019"):
        detect(files / "sales.csv", files / "localities.csv", files / "sellers.csv",
               profile="nope", con=duck)
