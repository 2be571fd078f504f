"""The scale-free latam-relative rule: over-representation, shrinkage, scale, rank, clusters.

Reference values come from scipy and from the formulas written out in the test, not from
the code under test.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from analytics_builders import Inputs, by_code, run
from scipy.stats import poisson

from aldea.analytics import load_profile
from aldea.analytics.evidence import benjamini_hochberg

LATAM = load_profile("latam-relative")


def with_rule(**changes):
    return dataclasses.replace(LATAM, evidence=dataclasses.replace(LATAM.evidence, **changes))


def background(inp: Inputs, n: int = 60):
    """``n`` ordinary towns of 1,000 households with one shop each."""
    for i in range(n):
        inp.village(f"bg{i:03d}", shops=1, turnover=10_000, households=1000, population=3600)
    return inp


def marshall(shops: dict, households: dict):
    """Marshall's (1991) moment estimate and the shrunken quotient, written out by hand."""
    rate = sum(shops.values()) / sum(households.values())
    mu = {c: rate * h for c, h in households.items()}
    total_mu = sum(mu.values())
    s2 = sum(mu[c] * (shops[c] / mu[c] - 1) ** 2 for c in mu) / total_mu
    a = max(s2 - 1 / (total_mu / len(mu)), 0.0)
    return mu, {c: (shops[c] + 1 / a) / (mu[c] + 1 / a) for c in mu}


def test_benjamini_hochberg_matches_the_published_procedure():
    p = [0.01, 0.04, 0.03, 0.005, 0.5]
    # sorted 0.005 0.01 0.03 0.04 0.5 -> x5/1 x5/2 x5/3 x5/4 x5/5, then running minimum from the top
    assert benjamini_hochberg(p) == pytest.approx([0.025, 0.05, 0.05, 0.025, 0.5])


def test_expected_shops_p_values_and_shrunken_quotient_are_the_published_formulas(duck):
    inp = background(Inputs())
    inp.village("spec", shops=12, turnover=500_000, households=1000, population=3600)
    rows = by_code(run(inp, duck, profile="latam-relative"))
    shops = {c: r["active_shops"] for c, r in rows.items()}
    households = {c: r["households"] for c, r in rows.items()}
    mu, shrunk = marshall(shops, households)
    spec = rows["spec"]
    assert spec["expected_shops"] == pytest.approx(mu["spec"], rel=1e-12)
    assert spec["p_value"] == pytest.approx(poisson.sf(11, mu["spec"]), rel=1e-9)
    codes = sorted(rows)
    q = benjamini_hochberg([poisson.sf(shops[c] - 1, mu[c]) for c in codes])
    assert spec["q_value"] == pytest.approx(q[codes.index("spec")], rel=1e-9)
    assert spec["shop_lq_shrunk"] == pytest.approx(shrunk["spec"], rel=1e-12)
    assert 1 < spec["shop_lq_shrunk"] < spec["shop_lq"]  # pulled towards the mean
    assert spec["qualifies"] and spec["scale"] == "village" and not spec["is_hub"]
    assert spec["score"] == spec["shop_lq_shrunk"] and spec["rank"] == 1
    assert not rows["bg000"]["qualifies"]


def test_one_shop_in_a_hamlet_is_not_a_cluster(duck):
    inp = Inputs()
    # towns with 0 to 4 shops per 1,000 households: ordinary variation between places
    for i in range(100):
        inp.village(f"bg{i:03d}", shops=i % 5, turnover=10_000, households=1000, population=3600)
    inp.village("hamlet", shops=1, turnover=100_000, households=5, population=18)
    rows = by_code(run(inp, duck, profile=with_rule(min_active_shops=1)))
    hamlet = rows["hamlet"]
    assert hamlet["shop_lq"] > 90  # raw quotient: one shop in five households
    assert hamlet["shop_lq_shrunk"] < 1.5 and not hamlet["qualifies"]
    assert rows["bg004"]["shop_lq_shrunk"] > rows["hamlet"]["shop_lq_shrunk"]


def test_turnover_plays_no_part(duck):
    inp = background(Inputs())
    inp.village("tiny_sales", shops=12, turnover=12, households=1000, population=3600)
    assert by_code(run(inp, duck, profile="latam-relative"))["tiny_sales"]["qualifies"]


def _spec_inputs(shops=12, population=3600):
    inp = background(Inputs())
    inp.village("spec", shops=shops, turnover=500_000, households=1000, population=population)
    return inp


def test_false_discovery_rate_threshold_is_inclusive(duck):
    q = by_code(run(_spec_inputs(), duck, profile="latam-relative"))["spec"]["q_value"]
    assert by_code(run(_spec_inputs(), duck, profile=with_rule(false_discovery_rate=q)))["spec"]["qualifies"]
    assert not by_code(run(_spec_inputs(), duck, profile=with_rule(false_discovery_rate=q * 0.999)))["spec"]["qualifies"]


def test_shrunken_quotient_threshold_is_inclusive(duck):
    lq = by_code(run(_spec_inputs(), duck, profile="latam-relative"))["spec"]["shop_lq_shrunk"]
    assert by_code(run(_spec_inputs(), duck, profile=with_rule(min_shrunk_lq=lq)))["spec"]["qualifies"]
    assert not by_code(run(_spec_inputs(), duck, profile=with_rule(min_shrunk_lq=lq * 1.0001)))["spec"]["qualifies"]


def test_two_shops_are_too_few_and_three_are_enough(duck):
    def inputs(shops):
        inp = background(Inputs())
        inp.village("spec", shops=shops, turnover=1000, households=20, population=72)
        return inp

    loose = with_rule(min_shrunk_lq=1.0, false_discovery_rate=1.0)
    assert not by_code(run(inputs(2), duck, profile=loose))["spec"]["qualifies"]
    assert by_code(run(inputs(3), duck, profile=loose))["spec"]["qualifies"]


def test_population_ceiling_separates_villages_from_hubs(duck):
    at = by_code(run(_spec_inputs(population=100_000), duck, profile="latam-relative"))["spec"]
    assert at["scale"] == "village" and at["qualifies"] and not at["is_hub"]
    res = run(_spec_inputs(population=100_001), duck, profile="latam-relative")
    above = by_code(res)["spec"]
    assert above["scale"] == "hub" and above["is_hub"] and not above["qualifies"]
    assert above["rule"].startswith("hub: ")
    assert res.hubs.to_pandas().locality_code.tolist() == ["spec"]


def test_rural_flag_instead_of_a_ceiling(duck):
    inp = background(Inputs())
    inp.village("spec", shops=12, turnover=12, households=1000, population=3600)
    inp.localities[-1]["rural"] = "no"
    sales, locs, sellers = inp.frames()
    locs["rural"] = ["sí"] * (len(locs) - 1) + ["no"]
    import ibis

    from aldea.analytics import detect

    prof = with_rule(rural=True, population_ceiling=None)
    res = detect(ibis.memtable(sales.astype("string")), ibis.memtable(locs),
                 ibis.memtable(sellers.astype("string")), con=duck, profile=prof)
    spec = by_code(res)["spec"]
    assert spec["scale"] == "hub" and spec["is_hub"] and not spec["qualifies"]
    assert by_code(res)["bg000"]["scale"] == "village"


def test_a_specialised_town_outranks_a_bigger_city_with_more_shops(duck):
    inp = background(Inputs())
    inp.village("city", shops=90, turnover=90_000_000, households=25_000, population=90_000)
    inp.village("town", shops=15, turnover=150_000, households=1000, population=3600)
    rows = by_code(run(inp, duck, profile="latam-relative"))
    assert rows["city"]["qualifies"] and rows["town"]["qualifies"]
    assert rows["city"]["active_shops"] > rows["town"]["active_shops"]
    assert rows["town"]["rank"] == 1 and rows["city"]["rank"] == 2  # ranked by shrunken quotient


def test_speciality_is_the_top_category_when_over_represented(duck):
    inp = background(Inputs())
    for i in range(60):  # every ordinary town also sells as much food as crafts
        inp.sellers.append({"seller_id": f"food{i}", "locality_code": f"bg{i:03d}", "category": "food"})
        inp.sales.append({"seller_id": f"food{i}", "date": inp.date, "amount": "10000",
                          "currency": "CNY", "order_id": f"f{i}"})
    inp.village("spec", shops=12, turnover=200_000, households=1000, population=3600, category="bordado")
    rows = by_code(run(inp, duck, profile="latam-relative"))
    assert rows["spec"]["speciality"] == "bordado"
    assert rows["spec"]["top_category_lq"] == pytest.approx(1 / (200_000 / 1_400_000))
    # an ordinary town's mix is the country's: its top category is no speciality
    assert rows["bg000"]["top_category"] == "crafts"
    assert rows["bg000"]["top_category_lq"] == pytest.approx(0.5 / (600_000 / 1_400_000))
    assert pd.isna(rows["bg000"]["speciality"])


def test_getis_ord_hot_spot_links_neighbouring_qualifying_towns(duck):
    inp = Inputs()
    # a 10 x 10 grid of ordinary towns, 20 km apart, with three specialised neighbours in a corner
    for i in range(10):
        for j in range(10):
            code = f"g{i}{j}"
            strong = (i, j) in {(0, 0), (0, 1), (1, 0)}
            inp.village(code, shops=14 if strong else 1, turnover=10_000, households=1000,
                        population=3600, lat=-20 + i * 0.18, lon=-47 + j * 0.19)
    rows = by_code(run(inp, duck, profile="latam-relative"))
    hot = {c for c, r in rows.items() if not pd.isna(r["cluster_id"])}
    assert hot == {"g00", "g01", "g10"}
    assert len({rows[c]["cluster_id"] for c in hot}) == 1
    assert rows["g00"]["hotspot_z"] > 0 and rows["g00"]["hotspot_p"] <= 0.05
    assert not (rows["g99"]["hotspot_z"] > 0 and rows["g99"]["hotspot_p"] <= 0.05)
    again = by_code(run(inp, duck, profile="latam-relative"))
    assert again["g00"]["hotspot_p"] == rows["g00"]["hotspot_p"]  # seeded permutations


def test_aliresearch_profiles_leave_the_evidence_columns_empty(duck):
    inp = Inputs()
    inp.village("a", shops=100, turnover=10_000_000, households=5000)
    row = by_code(run(inp, duck, profile="aliresearch-2014"))["a"]
    assert row["qualifies"] and pd.isna(row["p_value"]) and pd.isna(row["scale"])
