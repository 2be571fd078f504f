"""Theil's T and L indices (generalised entropy GE(1) and GE(0)).

Units: dimensionless; 0 is perfect equality, the maximum is ln(N) for T and unbounded
for L.

Zeros and negatives: T is defined for zeros by the limit 0·ln 0 = 0 (as PySAL does), so
zeros count; negative values are left out. L needs ln(x), so zeros and negatives are
left out. :func:`aldea.analytics.inequality.inequality_summary` reports how many rows
each measure left out.

Weighted (w > 0) with μ = Σwx / Σw:
``T = Σ (w/W)(x/μ) ln(x/μ) = Σwx·ln x / Σwx − ln μ`` and
``L = Σ (w/W) ln(μ/x) = ln μ − Σw·ln x / W``.

Example::

    >>> import ibis
    >>> t = ibis.memtable({"sales": [1.0, 2.0, 3.0, 4.0]})
    >>> round(theil_t(t, "sales").execute(), 6)
    0.10644

Citation: Theil, H. (1967), *Economics and Information Theory*, North-Holland; Shorrocks,
A. F. (1980), "The class of additively decomposable inequality measures",
*Econometrica* 48(3), 613-625.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from ._frame import frame, safe_ln

__all__ = ["theil_l", "theil_l_parts", "theil_t", "theil_t_parts"]


def theil_t_parts(t: ir.Table) -> dict:
    """Sums for Theil T over rows with x >= 0 of a :func:`frame` table."""
    keep = t._x >= 0
    return {
        "t_sw": t._w.sum(where=keep),
        "t_swx": (t._w * t._x).sum(where=keep),
        "t_swxlnx": ibis.ifelse(t._x > 0, t._w * t._x * safe_ln(t._x), 0.0).sum(where=keep),
        "t_n": t.count(where=keep),
    }


def theil_l_parts(t: ir.Table) -> dict:
    """Sums for Theil L over rows with x > 0 of a :func:`frame` table."""
    keep = t._x > 0
    return {
        "l_sw": t._w.sum(where=keep),
        "l_swx": (t._w * t._x).sum(where=keep),
        "l_swlnx": (t._w * safe_ln(t._x)).sum(where=keep),
        "l_n": t.count(where=keep),
    }


def _ln(v):
    return ibis.ifelse(v > 0, v, 1.0).ln()


def theil_t(table: ir.Table, value: str, weight: str | None = None) -> ir.FloatingScalar:
    """Theil T of ``value`` (weighted by ``weight``) as an Ibis scalar expression."""
    p = theil_t_parts(frame(table, value, weight))
    mu = p["t_swx"] / p["t_sw"]
    return ibis.ifelse(p["t_swx"] > 0, p["t_swxlnx"] / p["t_swx"] - _ln(mu), ibis.null("float64"))


def theil_l(table: ir.Table, value: str, weight: str | None = None) -> ir.FloatingScalar:
    """Theil L (mean log deviation) of ``value`` as an Ibis scalar expression."""
    p = theil_l_parts(frame(table, value, weight))
    mu = p["l_swx"] / p["l_sw"]
    return ibis.ifelse(p["l_sw"] > 0, _ln(mu) - p["l_swlnx"] / p["l_sw"], ibis.null("float64"))
