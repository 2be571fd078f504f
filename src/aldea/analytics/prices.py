"""Shipped price indices, to express money outcomes in constant prices.

Each index is a CSV of ``month,index`` (``YYYY-MM``) with a TOML file beside it that says
what it is and where the figures come from (``data/price_indices/``). :func:`price_index`
returns it rebased so that the chosen base month is 1.0: an outcome divided by it is in
the base month's prices. The analytics' impact panel takes it as its ``deflator``.

Example::

    >>> idx = price_index("inpc-mx", base="2024-01")
    >>> round(idx.factor("2024-12"), 4)  # prices rose 3.29 % over 2024
    1.0329
"""

from __future__ import annotations

import csv
import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["PriceIndex", "PriceIndexError", "price_index", "price_index_names"]

DATA = Path(__file__).resolve().parent / "data" / "price_indices"


class PriceIndexError(ValueError):
    """An unknown index, or a month it does not cover."""


@dataclass
class PriceIndex:
    name: str
    title: str
    publisher: str
    note: str
    base: str  # YYYY-MM whose index is 1.0
    values: dict[str, float] = field(default_factory=dict)  # YYYY-MM -> rebased index

    @property
    def first(self) -> str:
        return min(self.values)

    @property
    def last(self) -> str:
        return max(self.values)

    def factor(self, month: str) -> float:
        try:
            return self.values[month]
        except KeyError:
            raise PriceIndexError(
                f"the price index {self.name} covers {self.first} to {self.last}; "
                f"it has no figure for {month}"
            ) from None

    def require(self, months) -> None:
        """Raise :class:`PriceIndexError` naming the first month the index does not cover."""
        missing = sorted(m for m in set(months) if m not in self.values)
        if missing:
            self.factor(missing[0])

    def table(self):
        """An Ibis table of ``month`` (date, first of the month) and ``index`` (rebased)."""
        import ibis

        months = sorted(self.values)
        return ibis.memtable({
            "month": [dt.date(int(m[:4]), int(m[5:7]), 1) for m in months],
            "index": [self.values[m] for m in months],
        })

    def describe(self) -> dict:
        return {"name": self.name, "title": self.title, "publisher": self.publisher,
                "base": self.base, "first": self.first, "last": self.last, "note": self.note}


def price_index_names() -> list[str]:
    return sorted(p.stem for p in DATA.glob("*.csv"))


def price_index(name: str = "inpc-mx", *, base: str | None = None) -> PriceIndex:
    """The shipped index ``name`` rebased to ``base`` (``YYYY-MM``; default its first month)."""
    path = DATA / f"{name}.csv"
    if not path.exists():
        raise PriceIndexError(
            f"no price index {name!r}; shipped: {', '.join(price_index_names()) or 'none'}"
        )
    meta = tomllib.loads((DATA / f"{name}.toml").read_text(encoding="utf-8"))
    with path.open(encoding="utf-8", newline="") as handle:
        raw = {row["month"]: float(row["index"]) for row in csv.DictReader(handle)}
    base = base or min(raw)
    if base not in raw:
        raise PriceIndexError(f"the price index {name} covers {min(raw)} to {max(raw)}; "
                              f"it has no figure for the base month {base}")
    note = "" if "retrieved" not in meta else str(meta["retrieved"])
    return PriceIndex(name=name, title=meta.get("title", name), publisher=meta.get("publisher", ""),
                      note=note, base=base, values={m: v / raw[base] for m, v in raw.items()})
