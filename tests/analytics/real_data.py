"""Detection inputs built from the real public data in ``../shared/data`` (SOURCES.md there).

Olist (CC BY-NC-SA 4.0, non-commercial) is read from the shared folder only: it never goes
into the package. Sellers are matched to IBGE municipalities by accent-free city and state.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

import pandas as pd


def plain(text: str) -> str:
    """Lower case, no accents, single spaces: how Olist writes its city names."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9 ]+", " ", text.lower().replace("'", "").replace("\u00b4", ""))
    return re.sub(r"\s+", " ", text).strip()


def _seller_city(city: str) -> str:
    # "auriflama/sp", "sao paulo / sao paulo", "sp / sp": the city is the part before the slash.
    return plain(city.split("/")[0].split("\\")[0])


def ibge_localities(data: Path) -> pd.DataFrame:
    """Brazil's 5,570 municipalities: IBGE code, name, state, population 2022, seat coordinates."""
    pop = pd.read_csv(data / "brazil_pop2022_previa_municipios.csv", dtype={"cod_ibge7": str})
    seats = pd.read_csv(data / "brazil_municipios_kelvins.csv", dtype={"codigo_ibge": str})
    loc = pop.merge(seats[["codigo_ibge", "latitude", "longitude"]], left_on="cod_ibge7",
                    right_on="codigo_ibge", how="left")
    return pd.DataFrame({
        "code": loc["cod_ibge7"], "name": loc["nome_municipio"], "parent_code": loc["uf"],
        "population": loc["populacao_2022_previa"].astype("float64"),
        "lat": loc["latitude"], "lon": loc["longitude"],
    })


def olist_inputs(data: Path) -> dict[str, pd.DataFrame]:
    """Sales (one row per Olist order item), sellers located in IBGE municipalities, localities."""
    localities = ibge_localities(data)
    key = {(plain(n), uf): code for code, n, uf in
           zip(localities["code"], localities["name"], localities["parent_code"])}
    with open(data / "olist_sellers_dataset.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    sellers = pd.DataFrame({
        "seller_id": [r["seller_id"] for r in rows],
        "locality_code": [key.get((_seller_city(r["seller_city"]), r["seller_state"].strip().upper()))
                          for r in rows],
    })
    items = pd.read_parquet(data / "olist_order_items_dataset.parquet")
    products = pd.read_csv(data / "olist_products_dataset.csv", usecols=["product_id", "product_category_name"])
    items = items.merge(products, on="product_id", how="left")
    sales = pd.DataFrame({
        "seller_id": items["seller_id"],
        # shipping_limit_date carries a UTC label on naive Brazilian wall-clock times.
        "date": items["shipping_limit_date"].dt.tz_localize(None),
        "amount": items["price"],
        "currency": "BRL",
        "category": items["product_category_name"],
        "order_id": items["order_id"],
        "line_id": items["order_item_id"].astype("int64"),
    })
    return {"sales": sales, "sellers": sellers, "localities": localities}
