"""An indicator's values from live data: the one function tiles, pages, exports and reports read.

An indicator is data (as in DHIS2), stored on ``programmes.Indicator``:

* ``definition``: a numerator and an optional denominator, each
  ``{"fact": …, "measure": "count" | "distinct:<name>" | "sum:<field>", "filters": {…}}`` over the
  facts of ``aldea.reporting.indicators.facts``. A filter's value is a value (equal), a list (one
  of) or ``{"gte": …, "lte": …, "gt": …, "lt": …}`` for numbers;
* ``period_type``: how a period selects rows by the fact's date: *cumulative* (on or before the
  period's end: people certified so far), *flow* (within the period: sales of the year), *latest*
  (the last month of the period: jobs now), *in_force* (valid on the period's end: agreements);
* ``aggregation`` over villages: *sum* pools the villages (Σ numerator / Σ denominator), *mean*
  averages the villages' values;
* ``scale`` multiplies a ratio (100 for a percentage).

``indicator_values(indicator, start=…, end=…, by=…)`` gives one ``IndicatorValue`` per group of
the disaggregation (village, sex, age band, indigenous-language speaker, marginalisation degree),
or one for the whole programme. Each of the numerator and the denominator is one grouped query.

Example: the share of women-led participant MSMEs::

    {"numerator": {"fact": "msmes", "measure": "count", "filters": {"group": "participant",
                   "is_women_led": true}},
     "denominator": {"fact": "msmes", "measure": "count", "filters": {"group": "participant"}}}
"""

from __future__ import annotations

import datetime
import functools
import operator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    F,
    Max,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aldea.accounts.models import Sex
from aldea.outcomes.models import OutcomeRollup
from aldea.outcomes.rollups import AGE_BANDS, rollups_in
from aldea.outcomes.rollups import DISAGGREGATIONS as ROLLUP_DISAGGREGATIONS
from aldea.outcomes.rollups import SUMMED as ROLLUP_SUMS
from aldea.programmes.models import Indicator, Village
from aldea.reporting.indicators.facts import FACTS, Fact
from aldea.territories.models import MarginalisationDegree

# Disaggregations, and their labels for pages and reports.
DISAGGREGATIONS = {
    "village": _("Village"),
    "sex": _("Sex"),
    "age_band": _("Age band"),
    "indigenous": _("Indigenous-language speaker"),
    "marginalisation": _("Marginalisation degree"),
}
# Age on the last day of the period, in the bands of aldea.outcomes.rollups.AGE_BANDS.
AGE_BAND_LABELS = {
    "under_25": _("Under 25"), "25_34": _("25–34"), "35_44": _("35–44"), "45_59": _("45–59"), "60_plus": _("60 and over"),
    "unknown": _("Unknown"),
}
RANGE_OPERATORS = ("gte", "lte", "gt", "lt")


class DefinitionError(ValueError):
    """An indicator definition names something the facts do not offer; the message says what."""


@dataclass(frozen=True)
class IndicatorValue:
    key: object  # the group (a village id, "female", "25_34", True, …); None for the whole programme
    label: str
    numerator: Decimal
    denominator: Decimal | None
    value: Decimal | None  # None when the denominator is zero


# --- checking a definition --------------------------------------------------------------------


def check_definition(definition: dict) -> None:
    """Raise ``DefinitionError`` naming the first part of ``definition`` that is not valid."""
    if not isinstance(definition, dict) or "numerator" not in definition:
        raise DefinitionError(_("A definition needs a numerator."))
    unknown = set(definition) - {"numerator", "denominator"}
    if unknown:
        raise DefinitionError(_("Unknown part of the definition: %(parts)s.") % {"parts": ", ".join(sorted(unknown))})
    for part in ("numerator", "denominator"):
        if definition.get(part) is not None:
            _check_measure(part, definition[part])


def _check_measure(part: str, spec) -> Fact:
    if not isinstance(spec, dict):
        raise DefinitionError(_("The %(part)s must be an object with a fact and a measure.") % {"part": part})
    fact = FACTS.get(spec.get("fact"))
    if fact is None:
        raise DefinitionError(
            _("The %(part)s names an unknown fact %(fact)r; choose one of %(facts)s.")
            % {"part": part, "fact": spec.get("fact"), "facts": ", ".join(sorted(FACTS))}
        )
    measure = spec.get("measure", "count")
    kind, _sep, name = str(measure).partition(":")
    if not (measure == "count" or (kind == "distinct" and name in fact.distinct) or (kind == "sum" and name in fact.sums)):
        offered = ["count", *(f"distinct:{n}" for n in fact.distinct), *(f"sum:{n}" for n in fact.sums)]
        raise DefinitionError(
            _("The %(part)s's measure %(measure)r is not offered by %(fact)s; choose one of %(offered)s.")
            % {"part": part, "measure": measure, "fact": fact.key, "offered": ", ".join(offered)}
        )
    filters = spec.get("filters") or {}
    if not isinstance(filters, dict):
        raise DefinitionError(_("The %(part)s's filters must be an object.") % {"part": part})
    for name, value in filters.items():
        _filter_q(fact, part, name, value)
    return fact


def _filter_q(fact: Fact, part: str, name: str, value) -> Q:
    spec = fact.filters.get(name)
    if spec is None:
        raise DefinitionError(
            _("The %(part)s filters on %(name)r, which %(fact)s does not offer; choose one of %(offered)s.")
            % {"part": part, "name": name, "fact": fact.key, "offered": ", ".join(sorted(fact.filters))}
        )
    values = value if isinstance(value, list) else [value]
    if spec.kind in ("bool", "bool_inverted"):
        if len(values) != 1 or not isinstance(values[0], bool):
            raise DefinitionError(_("The filter %(name)r takes true or false.") % {"name": name})
        return Q(**{spec.path: values[0] if spec.kind == "bool" else not values[0]})
    if spec.kind == "number":
        if isinstance(value, dict):
            if not value or set(value) - set(RANGE_OPERATORS) or not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) for v in value.values()
            ):
                raise DefinitionError(
                    _("The filter %(name)r takes a number or {\"gte\": n, \"lte\": n, \"gt\": n, \"lt\": n}.")
                    % {"name": name}
                )
            return Q(**{f"{spec.path}__{op}": number for op, number in value.items()})
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            raise DefinitionError(_("The filter %(name)r takes numbers.") % {"name": name})
    elif spec.kind == "choice":
        wrong = [v for v in values if v not in spec.choices]
        if wrong:
            raise DefinitionError(
                _("The filter %(name)r does not know %(values)s; choose from %(choices)s.")
                % {"name": name, "values": ", ".join(map(str, wrong)), "choices": ", ".join(spec.choices)}
            )
    elif not all(isinstance(v, str) for v in values):
        raise DefinitionError(_("The filter %(name)r takes text.") % {"name": name})
    return Q(**{f"{spec.path}__in": values}) if isinstance(value, list) else Q(**{spec.path: value})


# --- computing --------------------------------------------------------------------------------


def _period_q(fact: Fact, period_type: str, start: datetime.date, end: datetime.date) -> Q:
    if fact.date is None or period_type == Indicator.PeriodType.UNDATED:
        return Q()
    on_or_before = _on_or_before(fact, end)
    if period_type == Indicator.PeriodType.CUMULATIVE:
        return on_or_before
    if period_type == Indicator.PeriodType.FLOW:
        return on_or_before & Q(**{f"{fact.date}__gte": _first_moment(fact, start)})
    if period_type == Indicator.PeriodType.LATEST:
        return Q(**{fact.date: end.replace(day=1)})
    # in force on the period's end
    condition = on_or_before
    if fact.ends:
        condition &= Q(**{f"{fact.ends}__isnull": True}) | Q(**{f"{fact.ends}__gte": end})
    return condition


def _is_timestamp(fact: Fact) -> bool:
    return fact.model._meta.get_field(fact.date.split("__")[0]).get_internal_type() == "DateTimeField"


def _first_moment(fact: Fact, day: datetime.date):
    """``day`` itself for a date; for a timestamp, the midnight that starts it where the
    programme works (TIME_ZONE): a first sale at 19:00 in Oaxaca is 01:00 the next day in UTC,
    and belongs to the day the consultant saw."""
    if _is_timestamp(fact):
        return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())
    return day


def _on_or_before(fact: Fact, end: datetime.date) -> Q:
    if _is_timestamp(fact):
        return Q(**{f"{fact.date}__lt": _first_moment(fact, end + datetime.timedelta(days=1))})
    return Q(**{f"{fact.date}__lte": end})


def _group_expression(fact: Fact, by: str | None, end: datetime.date):
    if by is None:
        return Value(None, output_field=CharField())
    if by == "village":
        if fact.village is None:
            raise DefinitionError(_("%(fact)s cannot be broken down by village.") % {"fact": fact.key})
        return F(fact.village)
    if by == "marginalisation":
        if fact.municipality is None:
            raise DefinitionError(_("%(fact)s cannot be broken down by marginalisation.") % {"fact": fact.key})
        return F(f"{fact.municipality}__marginalisation_degree")
    if fact.person is None:
        raise DefinitionError(_("%(fact)s is not about people, so it has no %(by)s.") % {"fact": fact.key, "by": by})
    if by == "sex":
        return F(f"{fact.person}__sex")
    if by == "indigenous":
        return F(f"{fact.person}__speaks_indigenous_language")
    if by == "age_band":
        birth_year = f"{fact.person}__birth_year"
        return Case(
            *(When(**{f"{birth_year}__gte": end.year - high, f"{birth_year}__lte": end.year - low}, then=Value(band))
              for band, low, high in AGE_BANDS),
            default=Value("unknown"), output_field=CharField(),
        )
    raise DefinitionError(
        _("Unknown disaggregation %(by)r; choose one of %(choices)s.") % {"by": by, "choices": ", ".join(DISAGGREGATIONS)}
    )


def _aggregate(fact: Fact, measure: str, condition: Q):
    kind, _sep, name = measure.partition(":")
    if kind == "distinct":
        return Count(fact.distinct[name], distinct=True, filter=condition)
    if kind == "sum":
        return Sum(fact.sums[name], filter=condition)
    return Count("pk", filter=condition)


def _condition(fact: Fact, spec: dict, period_type: str, start, end) -> Q:
    condition = _period_q(fact, period_type, start, end)
    for name, value in (spec.get("filters") or {}).items():
        condition &= _filter_q(fact, "definition", name, value)
    return condition


def _measure_many(jobs: list, *, programme_id, by, village_ids, latest_of=None) -> list[dict]:
    """group → number for each job (spec, period type, start, end): one query for all the facts
    (a UNION ALL of one grouped query per fact), and one for outcome records read from the
    roll-ups, plus one per *latest* job the roll-ups do not answer (its last month).

    ``latest_of``: for each job, the numerator whose last month a *latest* job reads (None: the
    job's own spec)."""
    latest_of = latest_of or [None] * len(jobs)
    latest_of = [spec if of is None else of for (spec, *_rest), of in zip(jobs, latest_of, strict=True)]
    results: list[dict] = [{} for _job in jobs]
    by_fact: dict[str, list[int]] = {}
    for index, (spec, *_rest) in enumerate(jobs):
        by_fact.setdefault(spec["fact"], []).append(index)
    outcome_indices = by_fact.get("outcome_records", [])
    if outcome_indices and _rollups_answer([jobs[i] for i in outcome_indices], by) and all(
        latest_of[i]["fact"] == "outcome_records" for i in outcome_indices
    ):
        measured = _measure_rollups(FACTS["outcome_records"], [jobs[i] for i in outcome_indices],
                                    programme_id=programme_id, by=by, village_ids=village_ids)
        if measured is not None:
            for i, numbers in zip(outcome_indices, measured, strict=True):
                results[i] = numbers
            del by_fact["outcome_records"]
    live = [i for indices in by_fact.values() for i in indices]
    jobs = [
        (spec, period_type, start, _latest_month(of, programme_id, end)
         if i in live and period_type == Indicator.PeriodType.LATEST and FACTS[of["fact"]].date else end)
        for i, ((spec, period_type, start, end), of) in enumerate(zip(jobs, latest_of, strict=True))
    ]
    branches = []
    for key, indices in by_fact.items():
        fact = FACTS[key]
        end = max(jobs[i][3] for i in indices)
        rows = fact.model.objects.filter(**{fact.programme: programme_id})
        if village_ids is not None and fact.village is not None:
            # Programme-wide facts (agreements) are not narrowed to villages.
            rows = rows.filter(**{f"{fact.village}__in": village_ids})
        conditions = {i: _condition(fact, *jobs[i]) for i in indices}
        # Every branch of the union has a column for every job: its own measures, NULL for the
        # others' (a UNION needs the same columns in each).
        aggregates = {
            f"n{i}": _aggregate(fact, jobs[i][0].get("measure", "count"), conditions[i]) if i in conditions
            # Typed: PostgreSQL reads an untyped NULL in a UNION's first branch as text.
            else Cast(Value(None), output_field=DecimalField(max_digits=30, decimal_places=4))
            for i in live
        }
        # Only rows that some measure counts: a group with none of them is not a group of the answer.
        rows = rows.filter(functools.reduce(operator.or_, conditions.values()))
        branches.append(
            rows.annotate(breakdown=_group_expression(fact, by, end), measured_fact=Value(key))
            .values("measured_fact", "breakdown").annotate(**aggregates).order_by()
        )
    if not branches:
        return results
    grouped = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
    for row in grouped:
        for i in by_fact[row["measured_fact"]]:
            results[i][row["breakdown"]] = Decimal(row[f"n{i}"] or 0)
    return results


# --- from the monthly roll-ups (aldea.outcomes.rollups) ------------------------------------------


def _rollups_answer(jobs, by) -> bool:
    """Whether the roll-ups hold what ``jobs`` over outcome records measure: counts and sums of
    the summed figures, a distinct count of MSMEs within one month, filters on the group only,
    and any disaggregation but the age band (the roll-ups keep the age in each month's year, an
    indicator the age on the period's last day)."""
    if by is not None and (by == "age_band" or by not in ROLLUP_DISAGGREGATIONS):
        return False
    for spec, period_type, _start, _end in jobs:
        measure = spec.get("measure", "count")
        kind, _sep, name = measure.partition(":")
        single_month = period_type == Indicator.PeriodType.LATEST
        if not (measure == "count" or (kind == "sum" and name in ROLLUP_SUMS)
                or (measure == "distinct:msme" and single_month)):
            return False
        if set(spec.get("filters") or {}) - {"group"}:
            return False
    return True


def _measure_rollups(fact: Fact, jobs, *, programme_id, by, village_ids) -> list[dict] | None:
    """``_measure_many``'s numbers for outcome-record jobs, from the roll-ups: one query, and one
    more when none matched (None when the programme has no roll-ups: read the records)."""
    rows = rollups_in(programme_id, village_ids=village_ids)
    conditions = []
    for spec, period_type, start, end in jobs:
        if period_type == Indicator.PeriodType.LATEST:
            # The last month on or before the end that holds records, in the same query.
            last = rollups_in(programme_id).filter(month__lte=end).order_by("-month").values("month")[:1]
            condition = Q(month=Subquery(last))
        else:
            condition = _period_q(fact, period_type, start, end)
        group = (spec.get("filters") or {}).get("group")
        if group is not None:
            _filter_q(fact, "definition", "group", group)  # checks the value
            condition &= Q(group__in=group) if isinstance(group, list) else Q(group=group)
        conditions.append(condition)
    aggregates = {}
    for k, ((spec, *_rest), condition) in enumerate(zip(jobs, conditions, strict=True)):
        kind, _sep, name = spec.get("measure", "count").partition(":")
        aggregates[f"n{k}"] = Sum(name if kind == "sum" else "records", filter=condition)
    breakdown = Value(None, output_field=CharField()) if by is None else F(ROLLUP_DISAGGREGATIONS[by])
    grouped = [
        row for row in rows.filter(functools.reduce(operator.or_, conditions)).annotate(breakdown=breakdown)
        .values("breakdown").annotate(rollup_rows=Count("pk"), **aggregates).order_by()
        # Grouped by a constant, an empty table still answers one row (of no roll-ups).
        if row["rollup_rows"]
    ]
    if not grouped and not OutcomeRollup.objects.filter(programme_id=programme_id).exists():
        return None
    return [{row["breakdown"]: Decimal(row[f"n{k}"] or 0) for row in grouped} for k in range(len(jobs))]


def _latest_month(spec, programme_id, end) -> datetime.date:
    """For a *latest* indicator: the last month on or before ``end`` that holds rows."""
    fact = FACTS[spec["fact"]]
    latest = fact.model.objects.filter(**{fact.programme: programme_id, f"{fact.date}__lte": end}).aggregate(
        m=Max(fact.date))["m"]
    return latest or end


def indicator_values(
    indicator: Indicator, *, start: datetime.date, end: datetime.date, by: str | None = None, village_ids=None
) -> list[IndicatorValue]:
    """The indicator over ``start``–``end``, one value per group of ``by`` (None: the programme).

    ``village_ids``: count only these villages (a viewer who sees some villages). Raises
    ``DefinitionError`` for a definition or a disaggregation the facts do not support.
    """
    return values_of([indicator], {indicator.pk: (start, end)}, by=by, village_ids=village_ids)[indicator.pk]


def values_of(indicators, periods: dict, *, by: str | None = None, village_ids=None) -> dict[int, list[IndicatorValue]]:
    """``indicator_values`` of several indicators of one programme at once: one query per fact
    they count (and one more per *latest* indicator). ``periods``: indicator id → (start, end)."""
    indicators = list(indicators)
    if not indicators:
        return {}
    programme_ids = {i.programme_id for i in indicators}
    if len(programme_ids) != 1:
        raise ValueError("values_of takes the indicators of one programme")
    programme_id = programme_ids.pop()
    jobs, owners, latest_of = [], [], []
    for indicator in indicators:
        check_definition(indicator.definition)
        if indicator.aggregation == Indicator.Aggregation.MEAN and by not in (None, "village"):
            raise DefinitionError(_("A mean over villages can only be broken down by village."))
        start, end = periods[indicator.pk]
        for part in ("numerator", "denominator"):
            if indicator.definition.get(part):
                jobs.append((indicator.definition[part], indicator.period_type, start, end))
                owners.append((indicator.pk, part))
                latest_of.append(indicator.definition["numerator"])
    pooled_by = {indicator.pk: ("village" if indicator.aggregation == Indicator.Aggregation.MEAN else by)
                 for indicator in indicators}
    results: dict[tuple, dict] = {}
    for grouping in set(pooled_by.values()):
        chosen = [k for k, owner in enumerate(owners) if pooled_by[owner[0]] == grouping]
        measured = _measure_many([jobs[k] for k in chosen], programme_id=programme_id, by=grouping,
                                 village_ids=village_ids, latest_of=[latest_of[k] for k in chosen])
        for k, numbers in zip(chosen, measured, strict=True):
            results[owners[k]] = numbers
    values = {}
    for indicator in indicators:
        grouping = pooled_by[indicator.pk]
        numerators = results[(indicator.pk, "numerator")]
        denominators = results.get((indicator.pk, "denominator")) if indicator.definition.get("denominator") else None
        rows = _rows(indicator, grouping, numerators, denominators)
        if grouping != by:  # a mean over villages
            village_values = [row.value for row in rows if row.value is not None]
            mean = (sum(village_values, Decimal(0)) / len(village_values)).quantize(Decimal("0.01")) if village_values else None
            rows = [IndicatorValue(None, "", mean if mean is not None else Decimal(0), None, mean)]
        values[indicator.pk] = rows
    return values


def _rows(indicator, by, numerators, denominators) -> list[IndicatorValue]:
    keys = {None} if by is None else set(numerators) | set(denominators or {})
    labels = group_labels(by, keys)
    return [
        _value(indicator, key, labels.get(key, str(key)), numerators.get(key, Decimal(0)),
               None if denominators is None else denominators.get(key, Decimal(0)))
        for key in sorted(keys, key=lambda k: (k is None, str(labels.get(k, k))))
    ]


def _value(indicator, key, label, numerator, denominator) -> IndicatorValue:
    if denominator is None:
        value = numerator
    elif denominator:
        value = (indicator.scale * numerator / denominator).quantize(Decimal("0.01"))
    else:
        value = None
    return IndicatorValue(key=key, label=str(label), numerator=numerator, denominator=denominator, value=value)


def group_labels(by: str | None, keys) -> dict:
    """What a page prints for each group key."""
    if by is None:
        return {None: ""}
    if by == "village":
        names = dict(Village.objects.filter(id__in=[k for k in keys if k is not None]).values_list("id", "name"))
        return {k: names.get(k, _("No village")) for k in keys}
    if by == "sex":
        return {k: dict(Sex.choices).get(k, _("Unknown")) for k in keys}
    if by == "age_band":
        return {k: AGE_BAND_LABELS.get(k, k) for k in keys}
    if by == "indigenous":
        return {True: _("Speaks an indigenous language"), False: _("Does not"), None: _("Unknown")}
    if by == "marginalisation":
        return {k: dict(MarginalisationDegree.choices).get(k, _("Unknown")) for k in keys}
    return {k: str(k) for k in keys}
