"""Purchasing-power conversion of turnover to RMB.

The shipped table ``data/ppp.csv`` holds the World Bank's PPP conversion factor for
private consumption (WDI series PA.NUS.PRVT.PP, local currency units per international
dollar, 2023, from the ICP) for China and Latin American countries. A factor to RMB is
``PPP_CNY / PPP_local``: the yuan that buy in China what one unit of local currency buys
at home.
"""

from __future__ import annotations

import csv
import io
from importlib import resources
from pathlib import Path

__all__ = ["default_rates", "load_rates", "ppp_table"]


def ppp_table() -> list[dict]:
    """Rows of the shipped PPP table (``country_iso3``, ``currency``, ``year``, ...)."""
    text = (resources.files(__package__) / "data" / "ppp.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def default_rates() -> dict[str, float]:
    """Currency code -> factor to RMB (PPP), one country per currency.

    The US dollar maps to the United States; dollarised economies (Ecuador, El Salvador)
    have their own rows in the table but need ``--rates`` to be used.
    """
    rows = ppp_table()
    cny = next(float(r["ppp_lcu_per_intl_dollar"]) for r in rows if r["currency"] == "CNY")
    out = {}
    for r in rows:
        if r["is_default_for_currency"] == "true" and r["ppp_lcu_per_intl_dollar"]:
            out[r["currency"]] = cny / float(r["ppp_lcu_per_intl_dollar"])
    out["CNY"] = 1.0
    out["RMB"] = 1.0
    return out


def load_rates(rates=None) -> dict[str, float]:
    """Rates to use: the shipped ones, overridden by ``rates``.

    ``rates`` is a mapping ``{currency: factor_to_cny}`` or a CSV file with columns
    ``currency`` and ``factor_to_cny``. Currency codes are compared in upper case.
    """
    out = default_rates()
    if rates is None:
        return out
    if isinstance(rates, (str, Path)):
        with open(rates, newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            missing = {"currency", "factor_to_cny"} - set(reader.fieldnames or [])
            if missing:
                raise ValueError(f"{rates}: missing columns: {', '.join(sorted(missing))}")
            rates = {row["currency"]: float(row["factor_to_cny"]) for row in reader}
    for code, factor in dict(rates).items():
        factor = float(factor)
        if not factor > 0:
            raise ValueError(f"rate for {code} must be positive, got {factor}")
        out[str(code).strip().upper()] = factor
    return out
