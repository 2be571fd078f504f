"""One test body on every engine (DuckDB, Spark in local mode), as Ibis's own suite does.

Each test asserts the answer itself (known by construction, or DuckDB's answer for the
real Olist data, which the DuckDB run checks against hand-computed figures), so a wrong
engine fails on its own. Known gaps: none today. Spark's ``strip()`` under Ibis 12.0
removed the letters f and v (ibis-project/ibis#11894); the ids below catch it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from analytics_builders import Inputs, run
from real_data import olist_inputs

from aldea.analytics import detect, inequality_summary

# Ids that start or end with f and v, with spaces, tabs and accents: text CSV trims the
# blanks, the letters and accents must survive.
ADVERSARIAL_IDS = ["fvf", "vvv", "ff", "f1v", "v2f", "açaí-f", "São Paulo v", "ñandú", "ção", "fé"]


def _adversarial_files(folder):
    raw = {sid: sid for sid in ADVERSARIAL_IDS}
    padded = {"fvf": " fvf ", "vvv": "\tvvv\t", "ff": "ff ", "f1v": "\t f1v", "fé": " fé\t"}
    sales = ["seller_id,date,amount,currency,order_id,line_id"]
    for i, sid in enumerate(ADVERSARIAL_IDS):
        shown = padded.get(sid, raw[sid])
        sales += [f'"{shown}",2024-05-0{1 + k},{10 + i},brl,o{i},{k + 1}' for k in range(3)]
    sales.append('"fvf",2024-05-01,10,BRL,o0,1')  # a repeated (order, line): rejected
    (folder / "sales.csv").write_text("\n".join(sales) + "\n", encoding="utf-8")
    sellers = ["seller_id,locality_code,category"]
    sellers += [f'"{sid}",{"vf" if i % 2 else "fv"},{"têxtil" if i % 2 else "fava"}'
                for i, sid in enumerate(ADVERSARIAL_IDS)]
    (folder / "sellers.csv").write_text("\n".join(sellers) + "\n", encoding="utf-8")
    (folder / "localities.csv").write_text("code,name,parent_code,population\nfv, Fava ,v,1000\n"
                                           "vf,Vila Fé,v,2000\n", encoding="utf-8")


def test_adversarial_ids_survive_every_engine(engine, tmp_path):
    _adversarial_files(tmp_path)
    res = detect(tmp_path / "sales.csv", tmp_path / "localities.csv", tmp_path / "sellers.csv",
                 profile="aliresearch-2014", con=engine)
    s = res.summary()
    assert s["read"] == 31 and s["used"] == 30
    assert s["rejected_by_reason"] == {"duplicate_line": 1}
    loc = res.localities.to_pandas().set_index("locality_code").sort_index()
    assert loc.loc["fv", "active_shops"] == 5 and loc.loc["vf", "active_shops"] == 5
    assert loc.loc["fv", "name"] == "Fava" and loc.loc["vf", "name"] == "Vila Fé"
    assert set(loc.top_category) == {"fava", "têxtil"}
    expected_brl = {"fv": sum(3 * (10 + i) for i in range(0, 10, 2)),
                    "vf": sum(3 * (10 + i) for i in range(1, 10, 2))}
    assert loc.turnover.to_dict() == pytest.approx(expected_brl)
    assert res.rejects.to_pandas()[["line", "reason"]].values.tolist() == [[32, "duplicate_line"]]


def test_parquet_ids_are_used_as_they_are(engine, tmp_path):
    ids = ["fvf", " vv ", "\tf", "açaí"]
    pd.DataFrame({"seller_id": ids, "date": pd.to_datetime(["2024-01-01"] * 4),
                  "amount": [1.0, 2.0, 3.0, 4.0], "currency": "CNY",
                  "locality_code": ["v"] * 4}).to_parquet(tmp_path / "s.parquet")
    pd.DataFrame({"code": ["v"], "name": ["V"], "households": [10.0]}).to_parquet(tmp_path / "l.parquet")
    res = detect(tmp_path / "s.parquet", tmp_path / "l.parquet", con=engine, profile="aliresearch-2014")
    row = res.localities.to_pandas().iloc[0]
    assert row.active_shops == 4 and row.turnover_cny == 10


def _synthetic_inputs():
    inp = Inputs()
    inp.village("a", shops=100, turnover=10_000_000, households=900, parent="T")
    inp.village("b", shops=99, turnover=10_000_000, households=991, parent="T")
    inp.village("c", shops=30, turnover=5_000_000, currency="MXN", population=5000, parent="T",
                category="food")
    inp.village("d", shops=3, turnover=9_999_999, households=10, parent="U")
    for i in range(40):
        inp.village(f"bg{i:02d}", shops=1 + i % 3, turnover=1000, households=1000, population=3600,
                    parent="U", lat=-20 + (i // 8) * 0.2, lon=-47 + (i % 8) * 0.2)
    inp.sales.append({"seller_id": "ghost", "date": "2024-01-01", "amount": "5", "currency": "CNY", "order_id": "g"})
    inp.sales.append({"seller_id": "a-s1", "date": "nope", "amount": "5", "currency": "CNY", "order_id": "h"})
    inp.sales.append(dict(inp.sales[0]))  # a repeat of every field, kept and counted
    return inp


@pytest.mark.parametrize("profile", ["aliresearch-2019", "latam-relative"])
def test_detection_matches_the_duckdb_answer(engine, duck, profile):
    got = run(_synthetic_inputs(), engine, profile=profile)
    want = run(_synthetic_inputs(), duck, profile=profile)
    _same(got, want)
    s = got.summary()
    assert s["repeated_identical_lines"] == 1 and s["rejected_by_reason"] == {
        "date_unparsable": 1, "unknown_seller": 1}


def _same(got, want):
    a = got.localities.to_pandas().sort_values("locality_code").reset_index(drop=True)
    b = want.localities.to_pandas().sort_values("locality_code").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, check_dtype=False, rtol=1e-12)
    pd.testing.assert_frame_equal(got.parents.to_pandas().sort_values("parent_code").reset_index(drop=True),
                                  want.parents.to_pandas().sort_values("parent_code").reset_index(drop=True),
                                  check_dtype=False, rtol=1e-12)
    assert got.summary() == want.summary()


@pytest.mark.slow
def test_olist_gives_the_same_answer_on_every_engine(engine, duck, shared_data):
    frames = olist_inputs(shared_data)
    args = (frames["sales"], frames["localities"], frames["sellers"])
    got = detect(*args, profile="latam-relative", con=engine)
    want = detect(*args, profile="latam-relative", con=duck)
    s = got.summary()
    # every order item is read; only sellers whose city did not match a municipality are left out
    assert s["read"] == 112_650 and s["rejected"] == s["rejected_by_reason"]["unknown_locality"]
    assert s["used_in_window"] > 60_000
    _same(got, want)
    ra = got.rejects.to_pandas().sort_values("line")[["line", "reason"]].values.tolist()
    rb = want.rejects.to_pandas().sort_values("line")[["line", "reason"]].values.tolist()
    assert ra == rb


def test_inequality_matches_pysal_on_every_engine(engine):
    from inequality.gini import Gini
    from inequality.theil import Theil, TheilD

    rng = np.random.default_rng(11)
    df = pd.DataFrame({"x": rng.lognormal(2, 1, 300), "g": rng.choice(["f", "m"], 300),
                       "r": rng.normal(size=300)})
    t = engine.create_table("ineq", df, overwrite=True) if engine.name == "duckdb" else \
        engine.create_view("ineq", __import__("ibis").memtable(df), overwrite=True)
    s = inequality_summary(t, "x", group="g", rank_by="r")
    assert s["n"] == 300
    assert s["gini"] == pytest.approx(Gini(df.x.values).g, abs=1e-9)
    assert s["theil_t"] == pytest.approx(Theil(df.x.values).T, abs=1e-9)
    d = TheilD(df.x.values, df.g.values)
    assert s["decomposition"]["theil_t"]["between"] == pytest.approx(float(d.bg[0]), abs=1e-9)
    xs = df.sort_values("r").x.to_numpy()
    n = len(xs)
    ci = 2 * np.sum(xs * (np.arange(1, n + 1) - 0.5) / n) / (n * xs.mean()) - 1
    assert s["concentration_index"] == pytest.approx(ci, abs=1e-9)
