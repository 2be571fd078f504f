"""All the inequality figures of one variable at once: what ``aldea inequality`` prints."""

from __future__ import annotations

import math

import ibis.expr.types as ir

from ._frame import frame, raw_counts
from .atkinson import atkinson_from_parts, atkinson_parts
from .concentration import rank_form
from .decomposition import decompose_from_groups, group_sums
from .lorenz import lorenz_at
from .theil import theil_l_parts, theil_t_parts

__all__ = ["EPSILONS", "inequality_summary"]

EPSILONS = (0.5, 1.0, 2.0)


def _f(v):
    if v is None:
        return None
    v = float(v)
    return None if math.isnan(v) else v


def inequality_summary(
    table: ir.Table,
    value: str,
    *,
    weight: str | None = None,
    group: str | None = None,
    rank_by: str | None = None,
    lorenz_points: int = 20,
    progress=None,
) -> dict:
    """Every measure of ``value`` as a JSON-ready dict (keys as in ``aldea inequality``).

    The heavy work runs in the engine in a few queries (sums; one ordered pass for Gini;
    one for the Lorenz points; one grouped pass for the decomposition; one ordered pass
    for the concentration index). ``excluded`` says how many rows each measure left out
    and why.
    """
    step = progress or (lambda msg: None)
    for name in (value, weight, group, rank_by):
        if name is not None and name not in table.columns:
            raise KeyError(f"no column {name!r}; columns are: {', '.join(table.columns)}")
    t = frame(table, value, weight)
    step("sums")
    parts = {**raw_counts(table, value, weight), **theil_t_parts(t), **theil_l_parts(t)}
    for eps in EPSILONS:
        parts.update(atkinson_parts(t, eps))
    sums = table.aggregate(**{k: v for k, v in raw_counts(table, value, weight).items()})
    sums = sums.cross_join(t.aggregate(**{k: v for k, v in parts.items() if not k.startswith("n")}))
    row = sums.to_pyarrow().to_pylist()[0]
    row = {k: (_f(v) if not k.startswith("n") else int(v or 0)) for k, v in row.items()}

    t_sw, t_swx = row["t_sw"] or 0, row["t_swx"] or 0
    theil_t = (row["t_swxlnx"] / t_swx - math.log(t_swx / t_sw)) if t_swx > 0 else None
    l_sw, l_swx = row["l_sw"] or 0, row["l_swx"] or 0
    theil_l = (math.log(l_swx / l_sw) - row["l_swlnx"] / l_sw) if l_sw > 0 and l_swx > 0 else None

    step("gini")
    gini = _f(rank_form(t, "_x").execute()) if row["n"] else None

    step("lorenz")
    shares = sorted({i / lorenz_points for i in range(lorenz_points + 1)} | {0.4, 0.9})
    lz = {}
    if row["n"]:
        for r in lorenz_at(t, shares).to_pyarrow().to_pylist():
            lz[round(r["p"], 12)] = _f(r["L"])
    l40, l90 = lz.get(0.4), lz.get(0.9)
    top10 = (1 - l90) if l90 is not None else None
    palma = (top10 / l40) if top10 is not None and l40 else None
    grid = [[round(i / lorenz_points, 12), lz.get(round(i / lorenz_points, 12))] for i in range(lorenz_points + 1)]

    n_neg, n_zero = row["n_negative"], row["n_zero"]
    result = {
        "n": row["n"],
        "n_read": row["n_read"],
        "weighted": weight is not None,
        "gini": gini,
        "theil_t": theil_t,
        "theil_l": theil_l,
        "atkinson": {f"{e:g}": atkinson_from_parts(row, e) for e in EPSILONS},
        "palma": palma,
        "top10_share": top10,
        "lorenz": grid if row["n"] else [],
        "has_negative": n_neg > 0,
        "excluded": {
            "missing_value_or_bad_weight": row["n_read"] - row["n"],
            "theil_t": n_neg,
            "theil_l": n_neg + n_zero,
            "atkinson_0.5": n_neg,
            "atkinson_1": n_neg + n_zero,
            "atkinson_2": n_neg + n_zero,
        },
    }
    if group is not None:
        step("decomposition")
        result["decomposition"] = decompose_from_groups(
            group_sums(table, value, group, weight).to_pyarrow().to_pylist()
        )
    if rank_by is not None:
        step("concentration index")
        ft = frame(table, value, weight, rank=rank_by)
        ft = ft.filter(ft._rank.notnull())
        result["concentration_index"] = _f(rank_form(ft, "_rank").execute()) if row["n"] else None
        result["rank_by"] = rank_by
    return result
