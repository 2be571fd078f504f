"""The common input of every measure: a value and a weight per row, cleaned the same way."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir


def frame(table: ir.Table, value: str, weight: str | None = None, **extra: str) -> ir.Table:
    """``table`` reduced to ``_x`` (value), ``_w`` (weight) and any ``extra`` columns.

    Rows whose value is missing or NaN, or whose weight is missing or not positive, are
    left out (:func:`counts` reports how many). Extra columns keep their names with a
    leading underscore (``group="region"`` becomes ``_group``).
    """
    cols = {"_x": table[value].cast("float64")}
    cols["_w"] = table[weight].cast("float64") if weight else ibis.literal(1.0)
    for key, col in extra.items():
        if col is not None:
            cols[f"_{key}"] = table[col]
    t = table.select(**cols)
    return t.filter(t._x.notnull() & ~t._x.isnan() & t._w.notnull() & (t._w > 0))


def raw_counts(table: ir.Table, value: str, weight: str | None = None) -> dict:
    """Reductions counting rows read, kept, dropped, zero and negative."""
    x = table[value].cast("float64")
    w = table[weight].cast("float64") if weight else ibis.literal(1.0)
    ok = x.notnull() & ~ibis.coalesce(x.isnan(), False) & w.notnull() & (w > 0)
    return {
        "n_read": table.count(),
        "n": table.count(where=ok),
        "n_negative": table.count(where=ok & (x < 0)),
        "n_zero": table.count(where=ok & (x == 0)),
    }


def safe_ln(x):
    """ln(x) for positive x and 0 elsewhere: callers mask the non-positive rows."""
    return ibis.ifelse(x > 0, x, 1.0).ln()
