"""The platform's analytics task: equity figures of a programme and cluster classification."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from aldea.programmes.models import EquityReport
from aldea.reporting.clusters import classify_municipalities
from aldea.reporting.equity import compute_equity_figures, participant_gains
from aldea.territories.models import ClusterClassification
from tests import factories as f

pytestmark = pytest.mark.django_db

START = datetime.date(2024, 1, 1)


def months(n):
    return [datetime.date(2024 + (i // 12), i % 12 + 1, 1) for i in range(n)]


def msme_with_sales(village, *, baseline: int, later: int, sex="female", women_led=True, group="participant"):
    owner = f.PersonFactory(sex=sex)
    msme = f.EnterpriseFactory(village=village, owner=owner, is_women_led=women_led, group=group)
    for i, month in enumerate(months(24)):
        online = baseline if i < 3 else later
        f.OutcomeRecordFactory(enterprise=msme, month=month, total_sales=Decimal(online + 1000), online_sales=Decimal(online))
    return msme


@pytest.fixture
def programme_with_gains():
    programme = f.ProgrammeFactory(starts_on=START)
    poor = f.MunicipalityFactory(marginalisation_degree="muy_alto")
    rich = f.MunicipalityFactory(marginalisation_degree="bajo")
    village_poor = f.VillageFactory(programme=programme, municipality=poor)
    village_rich = f.VillageFactory(programme=programme, municipality=rich)
    # gains = 12 × later − 4 × 3 × baseline = 12 × (later − baseline)
    msme_with_sales(village_poor, baseline=100, later=200)  # gain 1,200
    msme_with_sales(village_poor, baseline=100, later=300, sex="male", women_led=False)  # 2,400
    msme_with_sales(village_rich, baseline=0, later=700, sex="male", women_led=False)  # 8,400
    msme_with_sales(village_rich, baseline=50, later=50)  # 0
    comparison = f.EnterpriseFactory(village=None, group="comparison", programme=programme, municipality=rich)
    f.OutcomeRecordFactory(enterprise=comparison, month=datetime.date(2025, 6, 1), online_sales=Decimal(5), total_sales=Decimal(5))
    return programme


def test_gain_is_last_year_minus_four_times_the_baseline_quarter(programme_with_gains):
    gains = participant_gains(programme_with_gains).set_index("gain")
    assert sorted(gains.index) == [0.0, 1200.0, 2400.0, 8400.0]  # the comparison MSME is not a participant


def test_equity_figures_match_hand_computed_values(programme_with_gains):
    figures = compute_equity_figures(programme_with_gains)
    values = [0, 1200, 2400, 8400]
    n, mean = len(values), sum(values) / len(values)
    gini = sum(abs(a - b) for a in values for b in values) / (2 * n * n * mean)
    assert figures["participants"] == 4
    assert figures["gini"] == pytest.approx(gini, abs=1e-9)
    assert figures["women_led_share"] == 0.5
    assert figures["high_marginalisation_share"] == 0.5
    assert figures["mean_gain_by_sex"]["male"]["mean"] == pytest.approx(5400)
    assert figures["mean_gain_by_marginalisation"]["muy_alto"]["total"] == pytest.approx(3600)
    by_sex = figures["decomposition_by_sex"]["theil_t"]
    assert by_sex["between"] + by_sex["within"] == pytest.approx(figures["theil_t"], abs=1e-9)


def test_compute_analytics_command_stores_reports_and_classification(programme_with_gains):
    call_command("compute_analytics")
    assert EquityReport.objects.get(programme=programme_with_gains).participants == 4
    stored = ClusterClassification.objects.filter(profile="latam-relative")
    assert stored.count() == 2  # the two municipalities with sellers
    assert {c.active_shops for c in stored} == {2, 3}  # rich has 2 participants + 1 comparison seller


def test_classification_of_an_empty_platform_stores_nothing():
    assert classify_municipalities()["stored"] == 0
    assert ClusterClassification.objects.count() == 0
