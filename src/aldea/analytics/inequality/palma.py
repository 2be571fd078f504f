"""Palma ratio and top shares.

Units: ``top_share`` is the share of the total value held by the top ``share`` of the
(weighted) population, in [0, 1]; the Palma ratio is the top 10% share divided by the
bottom 40% share (a ratio, unbounded; undefined when the bottom 40% hold nothing). Both
read the Lorenz curve (:mod:`.lorenz`), interpolated linearly between units.

Example::

    >>> import ibis
    >>> t = ibis.memtable({"sales": [1.0] * 9 + [11.0]})
    >>> round(top_share(t, "sales", 0.1).execute(), 6)
    0.55

Citation: Palma, J. G. (2011), "Homogeneity and heterogeneity in the distribution of
income", *Development and Change* 42(1), 87-153; Cobham, A. and Sumner, A. (2013), "Is it
all about the tails? The Palma measure of income inequality", CGD Working Paper 343.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from ._frame import frame
from .lorenz import lorenz_at

__all__ = ["palma", "top_share"]


def top_share(table: ir.Table, value: str, share: float = 0.1, weight: str | None = None):
    """Share of the total held by the top ``share`` of the population (Ibis scalar)."""
    lz = lorenz_at(frame(table, value, weight), [1 - share])
    return 1 - lz.L.max()


def palma(table: ir.Table, value: str, weight: str | None = None):
    """Palma ratio: top 10% share over bottom 40% share (Ibis scalar)."""
    lz = lorenz_at(frame(table, value, weight), [0.4, 0.9])
    l40 = lz.L.max(where=lz.p == 0.4)
    l90 = lz.L.max(where=lz.p == 0.9)
    return ibis.ifelse(l40 > 0, (1 - l90) / l40, ibis.null("float64"))
