"""Threshold branches of a profile as Ibis expressions (the AliResearch profiles' rules).

A unit qualifies when any branch fires; a branch fires when all its conditions hold.
"""

from __future__ import annotations

import itertools

import ibis
import ibis.expr.types as ir

__all__ = ["rule_columns"]


def _condition(metric_expr, op: str, value: float):
    cond = {">=": metric_expr >= value, ">": metric_expr > value,
            "<=": metric_expr <= value, "<": metric_expr < value}[op]
    return ibis.coalesce(cond, False)


def _ratio(metric_expr, op: str, value: float):
    """How far a metric is past its threshold: 1 at the threshold, 0 when unknown."""
    if value == 0:
        return ibis.ifelse(_condition(metric_expr, op, value), 1.0, 0.0)
    if op in (">=", ">"):
        r = metric_expr.cast("float64") / value
    else:
        r = value / ibis.greatest(metric_expr.cast("float64"), 1e-12)
    return ibis.coalesce(r, 0.0)


def rule_columns(t: ir.Table, branches, metrics: dict):
    """(qualifies, rule, score) expressions for a list of branches."""
    if not branches:
        return ibis.literal(False), ibis.null("string"), ibis.literal(0.0)
    fires = []
    scores = []
    for b in branches:
        conds = [_condition(metrics[c.metric], c.op, c.value) for c in b.conditions]
        fire = conds[0]
        for c in conds[1:]:
            fire = fire & c
        fires.append(fire)
        # Geometric mean of how far each condition is past its threshold: 1 when every
        # condition sits exactly at its threshold, larger the stronger the locality.
        ratios = [_ratio(metrics[c.metric], c.op, c.value) for c in b.conditions]
        prod = ratios[0]
        for r in ratios[1:]:
            prod = prod * r
        scores.append(prod ** (1.0 / len(ratios)) if len(ratios) > 1 else prod)
    qualifies = fires[0]
    for f in fires[1:]:
        qualifies = qualifies | f
    score = ibis.greatest(*scores) if len(scores) > 1 else scores[0]
    # Name every branch that fired, most complete combination first.
    n = len(branches)
    cases = []
    if n <= 4:
        for size in range(n, 0, -1):
            for combo in itertools.combinations(range(n), size):
                cond = fires[combo[0]]
                for i in combo[1:]:
                    cond = cond & fires[i]
                cases.append((cond, "; ".join(branches[i].label for i in combo)))
    else:
        cases = [(f, b.label) for f, b in zip(fires, branches)]
    rule = ibis.cases(*cases, else_=ibis.null("string"))
    return qualifies, rule, score.cast("float64")
