"""Every rule at its exact thresholds, on DuckDB."""

from __future__ import annotations

import pytest
from analytics_builders import Inputs, by_code, run


def test_99_shops_do_not_make_a_village_but_100_do(duck):
    inp = Inputs()
    inp.village("a", shops=99, turnover=20_000_000, households=10_000)
    inp.village("b", shops=100, turnover=20_000_000, households=10_000)
    rows = by_code(run(inp, duck, profile="aliresearch-2014"))
    assert rows["a"]["active_shops"] == 99 and not rows["a"]["qualifies"]
    assert rows["b"]["qualifies"]
    assert rows["b"]["rule"] == "turnover at least RMB 10 million and at least 100 active shops"
    assert rows["b"]["rank"] == 1


def test_shop_share_of_9_99_percent_fails_and_10_percent_passes(duck):
    inp = Inputs()
    inp.village("a", shops=99, turnover=10_000_000, households=991)  # 9.99%
    inp.village("b", shops=99, turnover=10_000_000, households=990)  # 10%
    rows = by_code(run(inp, duck, profile="aliresearch-2014"))
    assert rows["a"]["shop_share"] == pytest.approx(0.0998991, rel=1e-6)
    assert not rows["a"]["qualifies"]
    assert rows["b"]["qualifies"]
    assert "10% of households" in rows["b"]["rule"]


def test_rmb_9_999_999_fails_and_10_000_000_passes(duck):
    inp = Inputs()
    inp.village("a", shops=100, turnover=9_999_999, households=500)
    inp.village("b", shops=100, turnover=10_000_000, households=500)
    rows = by_code(run(inp, duck, profile="aliresearch-2014"))
    assert rows["a"]["turnover_cny"] == 9_999_999 and not rows["a"]["qualifies"]
    assert rows["b"]["qualifies"]
    # both branches fire for b (100 shops and 20% of households): both are named
    assert rows["b"]["rule"].count(";") == 1


def test_2013_rule_needs_50_shops(duck):
    inp = Inputs()
    inp.village("a", shops=49, turnover=10_000_000, households=100_000)
    inp.village("b", shops=50, turnover=10_000_000, households=100_000)
    rows = by_code(run(inp, duck, profile="aliresearch-2013"))
    assert not rows["a"]["qualifies"] and rows["b"]["qualifies"]


def _town_inputs(villages: int, extra_shops: int = 0, extra_turnover: float = 0):
    inp = Inputs()
    for i in range(villages):
        inp.village(f"v{i}", shops=100, turnover=10_000_000, households=5000, parent="T")
    if extra_shops:
        inp.village("x", shops=extra_shops, turnover=extra_turnover, households=10**6, parent="T")
    return inp


def test_two_villages_do_not_make_a_town_but_three_do(duck):
    two = run(_town_inputs(2), duck, profile="aliresearch-2014").parents.to_pandas()
    three = run(_town_inputs(3), duck, profile="aliresearch-2014").parents.to_pandas()
    assert two.qualifying_villages.tolist() == [2] and not two.qualifies[0]
    assert three.qualifying_villages.tolist() == [3] and three.qualifies[0]
    assert three.rule[0] == "3 or more qualifying villages"


def test_2019_town_branch_needs_more_than_rmb_30_million_and_more_than_300_shops(duck):
    # one village (100 shops, RMB 10M) plus non-qualifying sellers in the same township
    def parent(shops, turnover, profile):
        inp = _town_inputs(1, extra_shops=shops, extra_turnover=turnover)
        return run(inp, duck, profile=profile).parents.to_pandas().iloc[0]

    exactly = parent(200, 20_000_000, "aliresearch-2019")  # 300 shops, RMB 30M
    assert exactly.active_shops == 300 and not exactly.qualifies
    above = parent(201, 20_000_001, "aliresearch-2019")  # 301 shops, RMB 30,000,001
    assert above.qualifies
    assert above.rule == "turnover above RMB 30 million and more than 300 active shops"
    shops_only = parent(201, 20_000_000, "aliresearch-2019")
    assert not shops_only.qualifies
    assert not parent(201, 20_000_001, "aliresearch-2014").qualifies


def test_missing_households_are_estimated_from_population(duck):
    inp = Inputs()
    # 99 shops, population 2620 / 2.62 = 1000 households -> 9.9%; 2594 -> 990.08 -> 9.99%
    inp.village("a", shops=99, turnover=10_000_000, population=2620)
    inp.village("b", shops=99, turnover=10_000_000, population=2593.8)  # 990 households
    inp.village("c", shops=99, turnover=10_000_000)  # nothing known
    res = run(inp, duck, profile="aliresearch-2014")
    rows = by_code(res)
    assert rows["a"]["households"] == pytest.approx(1000)
    assert rows["a"]["households_estimated"] and not rows["a"]["qualifies"]
    assert rows["b"]["qualifies"]
    assert rows["c"]["households"] is None or rows["c"]["households"] != rows["c"]["households"]
    assert not rows["c"]["qualifies"]
    assert any("2.62" in n for n in res.summary()["notes"])


def test_rates_override_the_shipped_table(duck):
    inp = Inputs()
    inp.village("a", shops=100, turnover=1_000_000, currency="XYZ", households=500)
    res = run(inp, duck, profile="aliresearch-2014", rates={"XYZ": 10})
    assert by_code(res)["a"]["turnover_cny"] == 10_000_000 and by_code(res)["a"]["qualifies"]


def test_one_seller(duck):
    inp = Inputs()
    inp.village("a", shops=1, turnover=500, households=10)
    res = run(inp, duck, profile="aliresearch-2014")
    row = by_code(res)["a"]
    assert row["active_shops"] == 1 and row["shop_share"] == pytest.approx(0.1)
    assert row["top_category"] == "crafts" and row["top_category_share"] == 1
    assert not row["qualifies"] and row["rank"] == 1
    assert res.summary()["used"] == 1


def test_empty_sales_give_empty_outputs(duck):
    inp = Inputs()
    inp.locality("a", households=10)
    res = run(inp, duck, profile="aliresearch-2014")
    assert res.localities.count().execute() == 0
    assert res.parents.count().execute() == 0
    s = res.summary()
    assert s["read"] == 0 and s["rejected"] == 0


def test_sales_outside_the_window_do_not_make_active_shops(duck):
    inp = Inputs(date="2023-06-30")
    inp.village("old", shops=100, turnover=10_000_000, households=500)
    inp.date = "2024-06-30"
    inp.village("new", shops=1, turnover=10, households=500)
    rows = by_code(run(inp, duck, profile="aliresearch-2014", window_end="2024-06-30"))
    # window: (2023-06-30, 2024-06-30]: the old sales are just outside
    assert rows["old"]["active_shops"] == 0 and rows["old"]["turnover_cny"] == 0
    rows = by_code(run(inp, duck, profile="aliresearch-2014", window_end="2024-06-30", window_months=13))
    assert rows["old"]["active_shops"] == 100


def test_ranks_put_the_strongest_first_and_clusters_link_near_villages(duck):
    inp = Inputs()
    for i, shops in enumerate([300, 200, 150]):
        inp.village(f"v{i}", shops=shops, turnover=12_000_000, households=5000, lat=20.0 + i * 0.01, lon=-100.0)
    inp.village("far", shops=120, turnover=12_000_000, households=5000, lat=25.0, lon=-100.0)
    import dataclasses

    from aldea.analytics import load_profile

    prof = dataclasses.replace(load_profile("aliresearch-2014"), cluster_min_size=3)
    rows = by_code(run(inp, duck, profile=prof))
    assert [rows[c]["rank"] for c in ("v0", "v1", "v2", "far")] == [1, 2, 3, 4]
    assert rows["v0"]["cluster_id"] == rows["v1"]["cluster_id"] == rows["v2"]["cluster_id"] == 1
    assert rows["far"]["cluster_id"] is None or rows["far"]["cluster_id"] != rows["far"]["cluster_id"]
