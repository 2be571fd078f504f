"""The shipped profiles on real public data (../shared/data): what a domain expert would check.

- Olist's Brazilian marketplace with IBGE 2022 municipalities: the top of the Latin American
  ranking is made of known speciality towns, not state capitals.
- AliResearch's official Taobao village lists: fed sales exactly at the village thresholds,
  the AliResearch profiles give the published Taobao town counts, town by town.
"""

from __future__ import annotations

import csv

import pandas as pd
import pytest
from real_data import olist_inputs

from aldea.analytics import detect

pytestmark = pytest.mark.slow

# Known e-commerce speciality towns of São Paulo state in Olist's seller base.
SPECIALITY_TOWNS = {
    "Ibitinga": "cama_mesa_banho",  # "Capital Nacional do Bordado": embroidered bed and bath linen
    "Pedreira": "utilidades_domesticas",  # "Capital da Porcelana": porcelain and kitchenware
    "Porto Ferreira": "moveis_decoracao",  # "Capital da Cerâmica Artística e da Decoração"
}


@pytest.fixture(scope="module")
def olist_ranking(shared_data):
    from aldea.analytics import connect

    frames = olist_inputs(shared_data)
    res = detect(frames["sales"], frames["localities"], frames["sellers"], profile="latam-relative",
                 con=connect("duckdb"))
    seats = pd.read_csv(shared_data / "brazil_municipios_kelvins.csv", dtype={"codigo_ibge": str})
    capitals = set(seats.loc[seats.capital == 1, "codigo_ibge"])
    return res, res.localities.to_pandas().sort_values("rank"), capitals


def test_olist_window_skips_the_stray_2020_dates(olist_ranking):
    res, _, _ = olist_ranking
    s = res.summary()
    assert s["window_end"] == "2018-08-31"
    assert s["used_in_window"] > 80_000  # not the 3 rows of a window ending in 2020
    assert s["rejected_by_reason"].keys() == {"unknown_locality"}  # no duplicate drops multi-unit orders


def test_olist_top_of_the_latin_american_ranking_is_known_speciality_towns(olist_ranking):
    _, ranking, capitals = olist_ranking
    top = ranking.head(3)
    assert top.name.tolist() == ["Ibitinga", "Pedreira", "Porto Ferreira"]
    for row in top.itertuples():
        assert row.qualifies and row.scale == "village"
        assert row.speciality == SPECIALITY_TOWNS[row.name]
    villages = ranking[ranking.qualifies]
    assert 3 <= len(villages) <= 30
    assert not set(villages.locality_code) & capitals
    assert (villages.population <= 100_000).all()


def test_olist_metropolitan_hubs_are_reported_apart(olist_ranking):
    res, ranking, capitals = olist_ranking
    hubs = res.hubs.to_pandas()
    assert "Curitiba" in set(hubs.name) and set(hubs.locality_code) & capitals
    sao_paulo = ranking[ranking.locality_code == "3550308"].iloc[0]
    assert not sao_paulo.qualifies  # the largest seller base is no digital village
    assert (hubs.population > 100_000).all()


def _taobao_inputs(data, year):
    with open(data / "taobao_villages_2014_2016.csv", encoding="utf-8", newline="") as handle:
        villages = [r for r in csv.DictReader(handle) if r["year"] == str(year)]
    sales, sellers, localities = [], [], []
    for v in villages:
        town = "/".join((v["province"], v["city"], v["county"], v["town"]))
        code = f"{town}/{v['village']}"
        localities.append({"code": code, "name": v["village"], "parent_code": town, "households": 5000.0})
        for i in range(100):  # exactly at the threshold: 100 active shops, RMB 10,000,000
            sid = f"{code}#{i}"
            sellers.append({"seller_id": sid, "locality_code": code})
            sales.append({"seller_id": sid, "date": f"{year}-06-30", "amount": 100_000.0, "currency": "CNY"})
    return pd.DataFrame(sales), pd.DataFrame(localities), pd.DataFrame(sellers)


# The official 2014 list has 212 villages (the report's headline figure is 211).
@pytest.mark.parametrize(("year", "villages", "towns"), [(2014, 212, 19), (2015, 780, 71), (2016, 1311, 135)])
def test_aliresearch_lists_give_the_published_town_counts(shared_data, duck, year, villages, towns):
    sales, localities, sellers = _taobao_inputs(shared_data, year)
    res = detect(sales, localities, sellers, profile="aliresearch-2014", con=duck)
    loc = res.localities.to_pandas()
    assert len(localities) == villages and loc.qualifies.sum() == villages
    parents = res.parents.to_pandas()
    assert parents.qualifies.sum() == towns
    if year == 2016:
        with open(shared_data / "taobao_towns_2016_aliresearch.csv", encoding="utf-8", newline="") as handle:
            published = {"/".join((r["province"], r["city"], r["county"], r["town"])): int(r["n_taobao_villages"])
                         for r in csv.DictReader(handle)}
        found = dict(zip(parents[parents.qualifies].parent_code, parents[parents.qualifies].qualifying_villages))
        assert found == published
