"""Gini coefficient.

Units: dimensionless in [0, 1) for non-negative values (1 − 1/N at most for N units);
0 is perfect equality.

Computed as the concentration index of the value ranked by itself,
``G = 2 Σ w·x·R / Σ w·x − 1`` with weighted fractional ranks R (ties share their mean
rank), which equals ``Σ (2i − n − 1) x_(i) / (n Σx)`` without weights and
``1 − Σ (p_i − p_{i−1})(L_i + L_{i−1})`` with them. It needs one ordered pass
(a cumulative sum over the distinct values), so it runs inside the engine.

Zeros are ordinary values. Negative values are kept and the result is still computed,
but it can then exceed 1; :func:`inequality_summary` flags ``has_negative``. A total of
zero gives ``NULL``.

Example::

    >>> import ibis
    >>> t = ibis.memtable({"sales": [1.0, 2.0, 3.0, 4.0]})
    >>> gini(t, "sales").execute()
    0.25

Citation: Gini, C. (1912), *Variabilità e mutabilità*; weighted form as in Lerman, R. and
Yitzhaki, S. (1989), "Improving the accuracy of estimates of Gini coefficients",
*Journal of Econometrics* 42(1), 43-47. Equals PySAL ``inequality.gini.Gini``.
"""

from __future__ import annotations

import ibis.expr.types as ir

from ._frame import frame
from .concentration import rank_form

__all__ = ["gini"]


def gini(table: ir.Table, value: str, weight: str | None = None) -> ir.FloatingScalar:
    """Gini coefficient of ``value`` (weighted by ``weight``) as an Ibis scalar expression."""
    return rank_form(frame(table, value, weight), "_x")
