"""Atkinson's index for an inequality-aversion parameter ε.

Units: dimensionless share in [0, 1): the share of total value that could be given up,
distributed equally, for the same social welfare. Higher ε weighs the bottom more.

``A(ε) = 1 − (Σ (w/W) x^(1−ε))^(1/(1−ε)) / μ`` for ε ≠ 1 and
``A(1) = 1 − exp(Σ (w/W) ln x) / μ``.

Zeros and negatives: negative values are always left out; for ε ≥ 1 zeros are left out
too (x^(1−ε) and ln x are undefined at 0), and μ is the mean of the rows kept.

Example::

    >>> import ibis
    >>> t = ibis.memtable({"income": [10.0, 20.0, 30.0, 40.0, 50.0]})
    >>> round(atkinson(t, "income", 0.5).execute(), 5)
    0.06315

Citation: Atkinson, A. B. (1970), "On the measurement of inequality", *Journal of
Economic Theory* 2(3), 244-263.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from ._frame import frame, safe_ln

__all__ = ["atkinson", "atkinson_from_parts", "atkinson_parts"]


def atkinson_parts(t: ir.Table, epsilon: float) -> dict:
    key = f"a{epsilon:g}"
    keep = (t._x > 0) if epsilon >= 1 else (t._x >= 0)
    if epsilon == 1:
        term = t._w * safe_ln(t._x)
    else:
        # x ** (1 - ε) for the kept rows; zero stays zero when ε < 1.
        term = ibis.ifelse(t._x > 0, t._w * ibis.ifelse(t._x > 0, t._x, 1.0) ** (1 - epsilon), 0.0)
    return {
        f"{key}_sw": t._w.sum(where=keep),
        f"{key}_swx": (t._w * t._x).sum(where=keep),
        f"{key}_term": term.sum(where=keep),
        f"{key}_n": t.count(where=keep),
    }


def atkinson_from_parts(parts: dict, epsilon: float):
    """Finish the index from executed (Python) or symbolic sums."""
    import math

    key = f"a{epsilon:g}"
    sw, swx, term = parts[f"{key}_sw"], parts[f"{key}_swx"], parts[f"{key}_term"]
    if not sw or not swx or swx <= 0:
        return None
    mu = swx / sw
    if epsilon == 1:
        ede = math.exp(term / sw)
    else:
        mean_term = term / sw
        if mean_term <= 0:
            return None
        ede = mean_term ** (1 / (1 - epsilon))
    return 1 - ede / mu


def atkinson(table: ir.Table, value: str, epsilon: float, weight: str | None = None):
    """Atkinson index of ``value`` for ``epsilon`` (>= 0) as an Ibis scalar expression."""
    if epsilon < 0:
        raise ValueError("epsilon must be non-negative")
    p = atkinson_parts(frame(table, value, weight), epsilon)
    key = f"a{epsilon:g}"
    sw, swx, term = p[f"{key}_sw"], p[f"{key}_swx"], p[f"{key}_term"]
    mu = swx / sw
    if epsilon == 1:
        ede = (term / sw).exp()
    else:
        ede = ibis.ifelse(term > 0, term / sw, 1.0) ** (1 / (1 - epsilon))
    return ibis.ifelse((swx > 0) & (term > 0) if epsilon != 1 else swx > 0, 1 - ede / mu, ibis.null("float64"))
