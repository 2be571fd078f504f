"""Small builders of detection inputs for tests."""

from __future__ import annotations

import pandas as pd


class Inputs:
    """Collects sellers, sales and localities, one village at a time."""

    def __init__(self, date: str = "2024-06-30"):
        self.sales: list[dict] = []
        self.sellers: list[dict] = []
        self.localities: list[dict] = []
        self.date = date
        self._n = 0

    def locality(self, code, *, households=None, population=None, parent=None, lat=None, lon=None):
        self.localities.append(
            {"code": code, "name": f"Locality {code}", "parent_code": parent,
             "households": households, "population": population, "lat": lat, "lon": lon}
        )
        return self

    def village(self, code, *, shops: int, turnover: float, currency="CNY", category="crafts", **loc):
        """``shops`` active sellers in ``code`` whose sales add up to exactly ``turnover``."""
        self.locality(code, **loc)
        if shops == 0:
            return self
        each = int(turnover // shops)
        for i in range(shops):
            self._n += 1
            sid = f"{code}-s{i}"
            self.sellers.append({"seller_id": sid, "locality_code": code, "category": category})
            amount = each if i < shops - 1 else turnover - each * (shops - 1)
            self.sales.append({"seller_id": sid, "date": self.date, "amount": str(amount),
                               "currency": currency, "order_id": f"o{self._n}"})
        return self

    def frames(self):
        return (
            pd.DataFrame(self.sales, columns=["seller_id", "date", "amount", "currency", "order_id"]),
            pd.DataFrame(self.localities, columns=["code", "name", "parent_code", "households", "population", "lat", "lon"]).astype(
                {"parent_code": "string", "households": "float64", "population": "float64", "lat": "float64", "lon": "float64"}
            ),
            pd.DataFrame(self.sellers, columns=["seller_id", "locality_code", "category"]),
        )


def run(inputs: Inputs, con, **kw):
    import ibis

    from aldea.analytics import detect

    sales, locs, sellers = inputs.frames()
    sales = sales.astype("string")
    sellers = sellers.astype("string")
    return detect(ibis.memtable(sales), ibis.memtable(locs), ibis.memtable(sellers), con=con, **kw)


def by_code(res):
    df = res.localities.to_pandas()
    return {r["locality_code"]: r for r in df.to_dict("records")}
