"""The impact figures in words, in the reader's language.

The sentences are written in ``aldea.analytics.impact.sentence`` (Django-free, English message
ids); here they get Django's ``gettext`` and the locale's number format. ``make messages``
does not read the analytics (their messages would be extracted from a library that never
translates), so their message ids are listed below with ``gettext_noop``: a test checks the
list equals what the analytics can say.
"""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from aldea.analytics.impact import (
    equity_sentence,
    first_lasting_month,
    impact_sentence,
    pretrend_sentence,
)

#: The analytics' sentences, for the catalogues (see the module docstring).
ANALYTICS_MESSAGES = (
    gettext_noop("The programme's effect on %(outcome)s could not be estimated with an interval."),
    gettext_noop("Participating MSMEs' %(outcome)s were %(effect)s %(unit)s a month higher than they would "
                 "have been without the programme (%(level)s%% CI %(low)s to %(high)s)"),
    gettext_noop("Participating MSMEs' %(outcome)s were %(effect)s %(unit)s a month lower than they would "
                 "have been without the programme (%(level)s%% CI %(low)s to %(high)s)"),
    gettext_noop(", from month %(month)s after the start"),
    gettext_noop("The data cannot tell the programme's effect on %(outcome)s from zero: %(effect)s %(unit)s "
                 "a month (%(level)s%% CI %(low)s to %(high)s)."),
    gettext_noop("Before the programme the outcome did not change in either group, so there was no trend "
                 "to compare."),
    gettext_noop("There were too few periods before the programme to test whether participants and the "
                 "comparison group were on the same path."),
    gettext_noop("Before the programme, participants and the comparison group moved alike (pre-trend test "
                 "p = %(p)s), which supports the comparison."),
    gettext_noop("Before the programme, participants and the comparison group already moved differently "
                 "(pre-trend test p = %(p)s): read the estimate with caution."),
    gettext_noop("The net gains went mostly to the MSMEs that already sold more (concentration index "
                 "%(index)s, CI %(low)s to %(high)s)."),
    gettext_noop("The net gains went mostly to the MSMEs that sold less before (concentration index "
                 "%(index)s, CI %(low)s to %(high)s)."),
    gettext_noop("The net gains were not concentrated among the MSMEs that sold more or less before "
                 "(concentration index %(index)s, CI %(low)s to %(high)s)."),
    gettext_noop("Inequality of sales among participants rose relative to the comparison group (change in "
                 "%(measure)s %(value)s, CI %(low)s to %(high)s)."),
    gettext_noop("Inequality of sales among participants fell relative to the comparison group (change in "
                 "%(measure)s %(value)s, CI %(low)s to %(high)s)."),
    gettext_noop("The programme did not measurably change the inequality of sales (change in %(measure)s "
                 "%(value)s, CI %(low)s to %(high)s)."),
)


def outcome_label(outcome: str) -> str:
    return {"online_sales": _("online sales"), "total_sales": _("total sales"),
            "orders": _("online orders"), "jobs": _("jobs")}.get(outcome, outcome)


def money(value: float, digits: int | None = None) -> str:
    """A figure as the reader's locale writes it: whole numbers from 100 on, else two decimals
    (``digits`` fixes them, so an estimate and its interval are written alike)."""
    if value is None:
        return "–"
    digits = (0 if abs(value) >= 100 else 2) if digits is None else digits
    return number_format(round(value, digits), decimal_pos=digits, use_l10n=True, force_grouping=True)


def digits_for(estimate: dict) -> int:
    """Decimals for an estimate and its interval: none when the estimate is 100 or more."""
    att = estimate.get("att")
    return 0 if att is not None and abs(att) >= 100 else 2


def figure(value: float) -> str:
    """A count or amount: whole numbers without decimals, others as :func:`money`."""
    if value is None:
        return "–"
    if float(value).is_integer():
        return number_format(int(value), decimal_pos=0, use_l10n=True, force_grouping=True)
    return money(value)


def index_number(value: float) -> str:
    return "–" if value is None else number_format(round(value, 2), decimal_pos=2, use_l10n=True)


def impact_words(estimate: dict, *, outcome: str, currency: str = "") -> dict:
    """``{"impact": sentence, "pretrend": sentence, "from_month": e or None}`` of one estimate
    (the JSON of ``programme_estimate``)."""
    simple = {**estimate["overall"]["simple"], "level": estimate.get("level", 0.95)}
    from_month = first_lasting_month(estimate["event_study"], estimate.get("event_support"))
    digits = digits_for(simple)
    impact = impact_sentence(simple, unit=currency, outcome=outcome_label(outcome), from_month=from_month,
                             _=_, number=lambda v: money(v, digits))
    pretrend = pretrend_sentence(estimate["pretrend"], _=_)
    return {"impact": impact["text"], "pretrend": pretrend["text"], "from_month": from_month,
            "direction": impact["parts"]["direction"], "verdict": pretrend["parts"]["verdict"]}


def equity_words(who: dict | None) -> str:
    """Where the net gains went and whether inequality changed, in one or two sentences."""
    if not who:
        return ""
    concentration = who.get("concentration")
    inequality = who.get("inequality")
    return equity_sentence(
        concentration if concentration and "error" not in concentration else None,
        inequality if inequality and "error" not in inequality else None,
        _=_, number=index_number,
    )["text"]
