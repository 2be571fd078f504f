"""Indicator values from live data, checked against counts made by hand in Python.

The world: a programme with two villages in municipalities of different marginalisation, MSMEs
whose owners differ by sex, age and indigenous language, monthly outcome records, certificates
and agreements. Each test counts the same thing by walking the rows in Python (no ORM
aggregation) and compares; ``grow`` adds rows to check the answers scale and the query count
does not.
"""

import datetime
from decimal import Decimal
from itertools import cycle

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aldea.enterprises.models import Enterprise
from aldea.outcomes.models import OutcomeRecord, OutcomeRollup
from aldea.programmes.models import Indicator
from aldea.reporting.indicators.templates import apply_template, templates
from aldea.reporting.indicators.values import (
    AGE_BANDS,
    DefinitionError,
    check_definition,
    indicator_values,
    values_of,
)
from tests import factories as f

pytestmark = pytest.mark.django_db
START, END = datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)
MONTHS = [datetime.date(2024, m, 1) for m in (3, 6, 9, 12)] + [datetime.date(2025, 2, 1)]

OWNERS = [  # sex, birth year, speaks an indigenous language
    ("female", 2002, True), ("male", 1985, False), ("female", 1970, False), ("undisclosed", None, True),
    ("male", 1960, True), ("female", 1995, False),
]


@pytest.fixture
def programme(db):
    programme = f.ProgrammeFactory(starts_on=START)
    high = f.MunicipalityFactory(marginalisation_degree="high")
    low = f.MunicipalityFactory(marginalisation_degree="low")
    programme.test_villages = [f.VillageFactory(programme=programme, municipality=high),
                               f.VillageFactory(programme=programme, municipality=low)]
    return programme


def grow(programme, size):
    """``size`` participant MSMEs per village and 2 comparison MSMEs, each with 5 monthly records."""
    owners = cycle(OWNERS)
    for village in programme.test_villages:
        for n in range(size):
            sex, born, indigenous = next(owners)
            owner = f.PersonFactory(sex=sex, birth_year=born, speaks_indigenous_language=indigenous)
            msme = f.EnterpriseFactory(programme=programme, village=village, owner=owner, is_women_led=sex == "female",
                                       employees=1 + n % 4)
            for k, month in enumerate(MONTHS):
                f.OutcomeRecordFactory(enterprise=msme, month=month, online_sales=Decimal(100 * (n + 1) + k),
                                       employees=1 + (n + k) % 3)
    for _n in range(2):
        msme = f.EnterpriseFactory(programme=programme, village=None, group="comparison",
                                   municipality=programme.test_villages[0].municipality)
        for month in MONTHS:
            f.OutcomeRecordFactory(enterprise=msme, month=month, online_sales=Decimal(999))


def indicator(programme, definition, **fields):
    return f.IndicatorFactory(programme=programme, definition=definition, **fields)


SALES = {"numerator": {"fact": "outcome_records", "measure": "sum:online_sales", "filters": {"group": "participant"}}}
WOMEN_LED = {
    "numerator": {"fact": "msmes", "measure": "count", "filters": {"group": "participant", "is_women_led": True}},
    "denominator": {"fact": "msmes", "measure": "count", "filters": {"group": "participant"}},
}


def participant_records(programme, start, end):
    return [r for r in OutcomeRecord.objects.select_related("enterprise__owner", "enterprise__municipality")
            if r.enterprise.programme_id == programme.id and r.enterprise.group == "participant"
            and start <= r.month <= end]


def age_band(birth_year, on):
    if birth_year is None:
        return "unknown"
    age = on.year - birth_year
    return next(band for band, low, high in AGE_BANDS if low <= age <= high)


BREAKDOWNS = {
    "village": lambda r, end: r.enterprise.village_id,
    "sex": lambda r, end: r.enterprise.owner.sex,
    "age_band": lambda r, end: age_band(r.enterprise.owner.birth_year, end),
    "indigenous": lambda r, end: r.enterprise.owner.speaks_indigenous_language,
    "marginalisation": lambda r, end: r.enterprise.municipality.marginalisation_degree,
}


@pytest.mark.parametrize("size", [3, 9])
@pytest.mark.parametrize("by", [None, *BREAKDOWNS])
def test_a_flow_equals_the_hand_sum_for_every_breakdown(programme, size, by):
    grow(programme, size)
    sales = indicator(programme, SALES, period_type=Indicator.PeriodType.FLOW)
    expected = {}
    for record in participant_records(programme, START, END):
        key = None if by is None else BREAKDOWNS[by](record, END)
        expected[key] = expected.get(key, Decimal(0)) + record.online_sales
    got = {v.key: v.value for v in indicator_values(sales, start=START, end=END, by=by)}
    assert got == expected


@pytest.mark.parametrize("size", [3, 9])
def test_a_ratio_pools_numerators_and_denominators_and_a_mean_averages_villages(programme, size):
    grow(programme, size)
    share = indicator(programme, WOMEN_LED, period_type=Indicator.PeriodType.UNDATED, scale=100)
    msmes = [m for m in Enterprise.objects.filter(programme=programme, group="participant")]
    women = [m for m in msmes if m.is_women_led]
    [pooled] = indicator_values(share, start=START, end=END)
    assert (pooled.numerator, pooled.denominator) == (len(women), len(msmes))
    assert pooled.value == (Decimal(100) * len(women) / len(msmes)).quantize(Decimal("0.01"))
    by_village = {v.key: v.value for v in indicator_values(share, start=START, end=END, by="village")}
    village_values = []
    for village in programme.test_villages:
        here = [m for m in msmes if m.village_id == village.id]
        value = (Decimal(100) * sum(m.is_women_led for m in here) / len(here)).quantize(Decimal("0.01"))
        assert by_village[village.id] == value
        village_values.append(value)
    share.aggregation = Indicator.Aggregation.MEAN
    [mean] = indicator_values(share, start=START, end=END)
    assert mean.value == (sum(village_values) / 2).quantize(Decimal("0.01"))


def test_latest_reads_the_last_month_with_records_in_the_period(programme):
    grow(programme, 4)
    jobs = indicator(programme, {"numerator": {"fact": "outcome_records", "measure": "sum:employees",
                                               "filters": {"group": "participant"}}},
                     period_type=Indicator.PeriodType.LATEST)
    december = [r for r in participant_records(programme, START, END) if r.month == datetime.date(2024, 12, 1)]
    [value] = indicator_values(jobs, start=START, end=END)
    assert value.value == sum(r.employees for r in december)
    # Asked up to mid-November, the latest month with records is September.
    september = [r for r in participant_records(programme, START, END) if r.month == datetime.date(2024, 9, 1)]
    [value] = indicator_values(jobs, start=START, end=datetime.date(2024, 11, 15))
    assert value.value == sum(r.employees for r in september)


def test_cumulative_counts_up_to_the_end_and_in_force_needs_the_end_inside_the_validity(programme):
    cert = {"numerator": {"fact": "certificates", "measure": "distinct:person", "filters": {"is_revoked": False}}}
    cohort = f.CohortFactory(course=f.CourseFactory(programme=programme), village=programme.test_villages[0])
    for day in (datetime.date(2024, 3, 1), datetime.date(2024, 11, 30), datetime.date(2025, 2, 1)):
        f.CertificateFactory(enrolment=f.EnrolmentFactory(cohort=cohort), issued_on=day)
    certified = indicator(programme, cert, period_type=Indicator.PeriodType.CUMULATIVE)
    assert indicator_values(certified, start=START, end=END)[0].value == 2
    assert indicator_values(certified, start=START, end=datetime.date(2025, 12, 31))[0].value == 3
    agreements = indicator(programme, {"numerator": {"fact": "agreements", "measure": "count",
                                                     "filters": {"status": "signed"}}},
                           period_type=Indicator.PeriodType.IN_FORCE)
    f.AgreementFactory(programme=programme, starts_on=datetime.date(2023, 1, 1), ends_on=datetime.date(2024, 6, 30))
    f.AgreementFactory(programme=programme, starts_on=datetime.date(2024, 1, 1), ends_on=None)
    f.AgreementFactory(programme=programme, starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2024, 12, 31))
    f.AgreementFactory(programme=programme, starts_on=datetime.date(2024, 1, 1), status="draft")
    # In force on 31 December 2024: the open-ended one and the one ending that day.
    assert indicator_values(agreements, start=START, end=END)[0].value == 2
    assert indicator_values(agreements, start=START, end=datetime.date(2024, 6, 30))[0].value == 3


def test_a_timestamp_counts_on_the_day_it_was_where_the_programme_works(programme):
    """A first sale moved at 19:00 in Mexico City on 30 June is 01:00 on 1 July in UTC: it counts
    in June, as the consultant saw it, not in July (CI failed on this after 18:00 local time)."""
    from zoneinfo import ZoneInfo

    first_sales = indicator(programme, {"numerator": {"fact": "stage_changes", "measure": "distinct:msme",
                                                      "filters": {"to_stage": "first_sale"}}},
                            period_type=Indicator.PeriodType.FLOW)
    engagement = f.EngagementFactory(enterprise=f.EnterpriseFactory(programme=programme,
                                                                    village=programme.test_villages[0]))
    evening = datetime.datetime(2024, 6, 30, 19, 0, tzinfo=ZoneInfo("America/Mexico_City"))
    f.StageChangeFactory(engagement=engagement, from_stage="listing", to_stage="first_sale", changed_at=evening)
    june, july = (datetime.date(2024, 6, 1), datetime.date(2024, 6, 30)), (datetime.date(2024, 7, 1), END)
    assert indicator_values(first_sales, start=june[0], end=june[1])[0].value == 1
    assert indicator_values(first_sales, start=july[0], end=july[1])[0].value == 0


def test_villages_narrow_the_count_to_what_a_viewer_sees(programme):
    grow(programme, 3)
    sales = indicator(programme, SALES, period_type=Indicator.PeriodType.FLOW)
    first = programme.test_villages[0]
    expected = sum(r.online_sales for r in participant_records(programme, START, END) if r.enterprise.village_id == first.id)
    assert indicator_values(sales, start=START, end=END, village_ids=[first.id])[0].value == expected


def test_the_standard_template_costs_one_query_whatever_the_data(programme):
    """One query for every fact (a union), plus one per *latest* indicator (its last month); with
    the outcome roll-ups built, one for the facts and one for the roll-ups."""
    from aldea.outcomes.rollups import rebuild_outcome_rollups

    indicators = apply_template(programme, "digital-villages")
    periods = {i.pk: (START, END) for i in indicators}
    latest = sum(1 for i in indicators if i.period_type == Indicator.PeriodType.LATEST)
    counts, from_rollups = [], []
    for size in (2, 6):
        grow(programme, size)
        with CaptureQueriesContext(connection) as queries:
            live = values_of(indicators, periods)
        counts.append(len(queries))
        rebuild_outcome_rollups(programme)
        with CaptureQueriesContext(connection) as queries:
            assert values_of(indicators, periods) == live
        from_rollups.append(len(queries))
        OutcomeRollup.objects.all().delete()
    assert counts[0] == counts[1] == 1 + latest
    assert from_rollups == [2, 2]


def test_every_shipped_template_definition_is_valid():
    for template in templates().values():
        assert template.indicators
        for entry in template.indicators:
            check_definition({k: entry[k] for k in ("numerator", "denominator") if k in entry})


@pytest.mark.parametrize(("definition", "says"), [
    ({}, "numerator"),
    ({"numerator": {"fact": "tweets"}}, "unknown fact 'tweets'"),
    ({"numerator": {"fact": "msmes", "measure": "sum:password"}}, "sum:employees"),
    ({"numerator": {"fact": "msmes", "filters": {"owner__email": "x"}}}, "does not offer"),
    ({"numerator": {"fact": "msmes", "filters": {"sector": "weapons"}}}, "does not know weapons"),
    ({"numerator": {"fact": "msmes", "filters": {"employees": {"between": 3}}}}, "gte"),
    ({"numerator": {"fact": "msmes", "filters": {"is_women_led": "yes"}}}, "true or false"),
    ({"numerator": {"fact": "msmes"}, "extra": 1}, "extra"),
])
def test_a_bad_definition_is_refused_naming_what_is_wrong(definition, says):
    with pytest.raises(DefinitionError, match=says):
        check_definition(definition)


def test_a_breakdown_the_fact_cannot_give_is_refused(programme):
    villages = indicator(programme, {"numerator": {"fact": "agreements", "measure": "count"}})
    with pytest.raises(DefinitionError, match="not about people"):
        indicator_values(villages, start=START, end=END, by="sex")
