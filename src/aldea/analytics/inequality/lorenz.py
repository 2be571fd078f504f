"""Lorenz curve at chosen population shares.

Units: pairs ``[population_share, value_share]``, both in [0, 1]. The curve is the
piecewise-linear line through the cumulative (weighted) population and value shares with
units sorted by value; between two points it is interpolated linearly, which is exact for
tied values and the usual convention otherwise.

Example::

    >>> import ibis
    >>> t = ibis.memtable({"sales": [1.0, 2.0, 3.0, 4.0]})
    >>> lorenz(t, "sales", points=4).execute().values.tolist()
    [[0.0, 0.0], [0.25, 0.1], [0.5, 0.3], [0.75, 0.6], [1.0, 1.0]]

Citation: Lorenz, M. O. (1905), "Methods of measuring the concentration of wealth",
*Publications of the American Statistical Association* 9(70), 209-219.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from ._frame import frame

__all__ = ["lorenz", "lorenz_at"]


def lorenz_at(t: ir.Table, shares: list[float]) -> ir.Table:
    """Value shares at ``shares`` for a :func:`frame` table: columns ``p``, ``L``."""
    g = t.group_by(_v=t._x).aggregate(w=t._w.sum(), wx=(t._w * t._x).sum())
    g = g.mutate(
        cw=g.w.cumsum(order_by=g._v),
        cwx=g.wx.cumsum(order_by=g._v),
        tw=g.w.sum().over(),
        twx=g.wx.sum().over(),
    )
    g = g.select(
        p0=(g.cw - g.w) / g.tw,
        p1=g.cw / g.tw,
        l0=(g.cwx - g.wx) / g.twx,
        l1=g.cwx / g.twx,
    )
    grid = ibis.memtable({"p": [float(s) for s in shares if s > 0]})
    j = g.join(grid, (grid.p > g.p0) & (grid.p <= g.p1))
    j = j.mutate(L=j.l0 + (j.p - j.p0) / (j.p1 - j.p0) * (j.l1 - j.l0))
    out = j.group_by("p").aggregate(L=j.L.max())
    if any(s <= 0 for s in shares):
        zero = ibis.memtable({"p": [0.0], "L": [0.0]})
        out = out.union(zero)
    return out.order_by("p")


def lorenz(table: ir.Table, value: str, weight: str | None = None, points: int = 20) -> ir.Table:
    """Lorenz curve at ``points + 1`` evenly spaced population shares (Ibis table)."""
    shares = [i / points for i in range(points + 1)]
    return lorenz_at(frame(table, value, weight), shares).rename(
        population_share="p", value_share="L"
    )
