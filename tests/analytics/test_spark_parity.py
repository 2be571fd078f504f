"""The same inputs give the same outputs on DuckDB and on Spark (local mode)."""

from __future__ import annotations

import ibis
import numpy as np
import pandas as pd
import pytest
from analytics_builders import Inputs, run

from aldea.analytics import inequality_summary

pytestmark = pytest.mark.spark


def _inputs():
    inp = Inputs()
    inp.village("a", shops=100, turnover=10_000_000, households=900, parent="T")
    inp.village("b", shops=99, turnover=10_000_000, households=991, parent="T")
    inp.village("c", shops=30, turnover=5_000_000, currency="MXN", population=5000, parent="T",
                category="food")
    inp.village("d", shops=3, turnover=9_999_999, households=10, parent="U")
    inp.sales.append({"seller_id": "ghost", "date": "2024-01-01", "amount": "5", "currency": "CNY", "order_id": "g"})
    inp.sales.append({"seller_id": "a-s1", "date": "nope", "amount": "5", "currency": "CNY", "order_id": "h"})
    inp.sales.append(dict(inp.sales[0]))  # a duplicate line
    return inp


def _frame(t, sort):
    df = t.to_pandas().sort_values(sort).reset_index(drop=True)
    return df


def test_detection_is_the_same_on_duckdb_and_spark(duck, spark_con):
    for profile in ("aliresearch-2019", "latam-relative"):
        a = run(_inputs(), duck, profile=profile)
        b = run(_inputs(), spark_con, profile=profile)
        la, lb = _frame(a.localities, "locality_code"), _frame(b.localities, "locality_code")
        pd.testing.assert_frame_equal(la.drop(columns="cluster_id"), lb.drop(columns="cluster_id"),
                                      check_dtype=False, rtol=1e-12)
        pd.testing.assert_frame_equal(_frame(a.parents, "parent_code"), _frame(b.parents, "parent_code"),
                                      check_dtype=False, rtol=1e-12)
        ra, rb = _frame(a.rejects, "line"), _frame(b.rejects, "line")
        assert ra[["line", "reason"]].values.tolist() == rb[["line", "reason"]].values.tolist()
        assert a.summary() == b.summary()


def test_inequality_is_the_same_on_duckdb_and_spark(duck, spark_con):
    rng = np.random.default_rng(11)
    df = pd.DataFrame({"x": rng.lognormal(2, 1, 300), "w": rng.integers(1, 5, 300).astype(float),
                       "g": rng.choice(["f", "m"], 300), "r": rng.normal(size=300)})
    df.loc[:4, "x"] = 0.0
    sa = inequality_summary(duck.create_table("ineq", df, overwrite=True), "x", weight="w", group="g", rank_by="r")
    sb = inequality_summary(ibis.memtable(df).pipe(lambda t: spark_con.create_view("ineq", t, overwrite=True)),
                            "x", weight="w", group="g", rank_by="r")
    flat_a, flat_b = pd.json_normalize(sa).iloc[0], pd.json_normalize(sb).iloc[0]
    assert list(flat_a.index) == list(flat_b.index)
    for key in flat_a.index:
        va, vb = flat_a[key], flat_b[key]
        if isinstance(va, float):
            assert va == pytest.approx(vb, rel=1e-9, abs=1e-12), key
        elif isinstance(va, list):
            assert np.allclose(np.array(va, dtype=float), np.array(vb, dtype=float), rtol=1e-9), key
        else:
            assert va == vb, key
