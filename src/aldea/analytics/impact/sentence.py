"""Plain-language sentences backed by the impact figures, ready to translate.

The analytics never import Django: each function takes a gettext-like callable ``_``
(``django.utils.translation.gettext`` on the platform; the identity by default) for the
English message ids below, which use named ``%(...)s`` placeholders so translations can
reorder them, and a ``number`` callable to format figures in the reader's locale. Each
returns ``{"text": ..., "parts": {...}}``: the parts are the numbers the text was built
from, for a report that lays them out itself.

Example::

    >>> parts = {"att": 1240.4, "ci_low": 610.2, "ci_high": 1870.9, "level": 0.95}
    >>> impact_sentence(parts, unit="MXN", outcome="online sales", from_month=6)["text"]
    "Participating MSMEs' online sales were 1,240 MXN a month higher than they would have been without the programme (95% CI 610 to 1,871), from month 6 after the start."
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["equity_sentence", "first_lasting_month", "impact_sentence", "pretrend_sentence"]


def _identity(message: str) -> str:
    return message


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"


def first_lasting_month(event_study: list[dict], support: list[dict] | None = None,
                        *, min_cohorts: int = 2) -> int | None:
    """The first event time from which every later effect's interval excludes zero, on one side.

    ``support`` (the ``event_support`` of the JSON) says how many cohorts each event-time
    estimate pools. With staggered launches the event times furthest from the launch are
    reached by the earliest cohort alone (one or two villages): their intervals are wide, and
    one of them containing zero says nothing about whether the effect lasted. So when the
    study has at least ``min_cohorts`` cohorts, the event times resting on fewer are left out
    of the run, as long as the run covers the event times that pool them. Without ``support``
    every event time counts.

    >>> es = [{"event_time": e, "ci_low": lo, "ci_high": hi}
    ...       for e, lo, hi in ((0, -1, 1), (1, 2, 5), (2, 3, 6), (3, -2, 9))]
    >>> first_lasting_month(es) is None
    True
    >>> first_lasting_month(es, [{"event_time": e, "n_cohorts": n} for e, n in ((0, 3), (1, 3), (2, 2), (3, 1))])
    1
    """
    post = sorted((e for e in event_study if e["event_time"] >= 0), key=lambda e: e["event_time"])
    if support:
        cohorts = {s["event_time"]: s["n_cohorts"] for s in support}
        if max(cohorts.values(), default=0) >= min_cohorts:
            post = [e for e in post if cohorts.get(e["event_time"], min_cohorts) >= min_cohorts]
    start, sign = None, 0
    for e in post:
        low, high = e["ci_low"], e["ci_high"]
        side = 0 if low is None or high is None else (1 if low > 0 else -1 if high < 0 else 0)
        if side == 0:
            start = None
        elif start is None or side != sign:
            start, sign = e["event_time"], side
    return start


def impact_sentence(
    overall: dict,
    *,
    unit: str = "",
    outcome: str = "sales",
    from_month: int | None = None,
    _: Callable[[str], str] = _identity,
    number: Callable[[float], str] = _number,
) -> dict:
    """One sentence on the average effect (``overall`` is an ``{att, ci_low, ci_high, level}``).

    An interval that contains zero says so rather than claiming an effect.
    """
    level = overall.get("level", 0.95)
    att, low, high = overall["att"], overall["ci_low"], overall["ci_high"]
    shown = {k: ("-" if v is None else number(v))
             for k, v in (("effect", None if att is None else abs(att)), ("low", low), ("high", high))}
    values = {"outcome": outcome, "unit": unit, "level": f"{level * 100:.0f}", **shown}
    if low is None or high is None:
        text = _("The programme's effect on %(outcome)s could not be estimated with an interval.")
        direction = "unknown"
    elif low > 0 or high < 0:
        direction = "higher" if low > 0 else "lower"
        template = (_("Participating MSMEs' %(outcome)s were %(effect)s %(unit)s a month higher "
                      "than they would have been without the programme (%(level)s%% CI %(low)s "
                      "to %(high)s)") if direction == "higher" else
                    _("Participating MSMEs' %(outcome)s were %(effect)s %(unit)s a month lower "
                      "than they would have been without the programme (%(level)s%% CI %(low)s "
                      "to %(high)s)"))
        text = template % values
        if from_month is not None:
            text += _(", from month %(month)s after the start") % {"month": from_month}
        text += "."
    else:
        direction = "none detected"
        text = _("The data cannot tell the programme's effect on %(outcome)s from zero: "
                 "%(effect)s %(unit)s a month (%(level)s%% CI %(low)s to %(high)s).") % values
    if not unit:  # a count (orders, jobs) has no unit: close the gap it leaves
        text = " ".join(text.split())
    return {"text": text, "parts": {"direction": direction, "att": att, "ci_low": low,
                                    "ci_high": high, "level": level, "unit": unit,
                                    "outcome": outcome, "from_month": from_month}}


def pretrend_sentence(pretrend: dict, *, _: Callable[[str], str] = _identity,
                      alpha: float = 0.05) -> dict:
    """The pre-trend test in words."""
    p = pretrend.get("p_value")
    if p is None and "no variance" in (pretrend.get("note") or ""):
        text = _("Before the programme the outcome did not change in either group, so there was "
                 "no trend to compare.")
        verdict = "not tested"
    elif p is None:
        text = _("There were too few periods before the programme to test whether participants "
                 "and the comparison group were on the same path.")
        verdict = "not tested"
    elif p >= alpha:
        text = _("Before the programme, participants and the comparison group moved alike "
                 "(pre-trend test p = %(p)s), which supports the comparison.") % {"p": f"{p:.2f}"}
        verdict = "not rejected"
    else:
        text = _("Before the programme, participants and the comparison group already moved "
                 "differently (pre-trend test p = %(p)s): read the estimate with caution.") % {
            "p": f"{p:.3f}"}
        verdict = "rejected"
    return {"text": text, "parts": {"verdict": verdict, "p_value": p,
                                    "statistic": pretrend.get("statistic"), "alpha": alpha}}


def equity_sentence(
    concentration: dict | None = None,
    inequality: dict | None = None,
    *,
    measure: str = "gini",
    _: Callable[[str], str] = _identity,
    number: Callable[[float], str] = lambda v: f"{v:.2f}",
) -> dict:
    """Who benefits, in words: where the net gains went, and whether inequality changed."""
    sentences, parts = [], {}
    if concentration and concentration.get("ci_low") is not None:
        c, lo, hi = concentration["index"], concentration["ci_low"], concentration["ci_high"]
        values = {"index": number(c), "low": number(lo), "high": number(hi)}
        if lo > 0:
            sentences.append(_("The net gains went mostly to the MSMEs that already sold more "
                               "(concentration index %(index)s, CI %(low)s to %(high)s).") % values)
            parts["gains"] = "to those who sold more"
        elif hi < 0:
            sentences.append(_("The net gains went mostly to the MSMEs that sold less before "
                               "(concentration index %(index)s, CI %(low)s to %(high)s).") % values)
            parts["gains"] = "to those who sold less"
        else:
            sentences.append(_("The net gains were not concentrated among the MSMEs that sold "
                               "more or less before (concentration index %(index)s, CI %(low)s "
                               "to %(high)s).") % values)
            parts["gains"] = "not concentrated"
        parts["concentration"] = {"index": c, "ci_low": lo, "ci_high": hi}
    if inequality and measure in inequality.get("measures", {}):
        d = inequality["measures"][measure]["difference"]
        if d["ci_low"] is not None:
            values = {"value": number(d["value"]), "low": number(d["ci_low"]),
                      "high": number(d["ci_high"]),
                      "measure": {"gini": "Gini", "theil_t": "Theil T", "palma": "Palma"}[measure]}
            if d["ci_low"] > 0:
                sentences.append(_("Inequality of sales among participants rose relative to the "
                                   "comparison group (change in %(measure)s %(value)s, CI %(low)s to "
                                   "%(high)s).") % values)
                parts["inequality"] = "rose"
            elif d["ci_high"] < 0:
                sentences.append(_("Inequality of sales among participants fell relative to the "
                                   "comparison group (change in %(measure)s %(value)s, CI %(low)s to "
                                   "%(high)s).") % values)
                parts["inequality"] = "fell"
            else:
                sentences.append(_("The programme did not measurably change the inequality of "
                                   "sales (change in %(measure)s %(value)s, CI %(low)s to %(high)s).")
                                 % values)
                parts["inequality"] = "no measurable change"
            parts["difference"] = d
    return {"text": " ".join(sentences), "parts": parts}
