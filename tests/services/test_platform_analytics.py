"""The platform's analytics task: equity figures on net gains, impact estimates, clusters."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from aldea.programmes.models import EquityReport
from aldea.reporting.clusters import classify_municipalities
from aldea.reporting.equity import compute_equity_figures, participant_gains
from aldea.reporting.models import ImpactEstimate
from aldea.territories.models import ClusterClassification
from tests import factories as f

pytestmark = pytest.mark.django_db

START = datetime.date(2024, 1, 1)
LAUNCH = datetime.date(2024, 3, 1)


def months(n):
    return [datetime.date(2024 + (i // 12), i % 12 + 1, 1) for i in range(n)]


def msme_with_sales(programme, village, sales, *, sex="female", women_led=True, group="participant",
                    municipality=None):
    owner = f.PersonFactory(sex=sex)
    msme = f.EnterpriseFactory(programme=programme, village=village, owner=owner, is_women_led=women_led,
                               group=group, municipality=municipality or village.municipality)
    for month, online in zip(months(len(sales)), sales, strict=True):
        f.OutcomeRecordFactory(enterprise=msme, month=month, total_sales=Decimal(online + 1000),
                               online_sales=Decimal(online), employees=2)
    return msme


@pytest.fixture
def programme_with_gains():
    """Two villages launched in March 2024; six months of sales (January to June).

    The comparison group's mean is 20 until March and 30 from April: its change from February
    (the month before the launch) over March-June averages (0 + 10 + 10 + 10) / 4 = 7.5.
    Net gains: own mean change from February over March-June, less 7.5.
    """
    programme = f.ProgrammeFactory(starts_on=START)
    poor = f.MunicipalityFactory(marginalisation_degree="muy_alto")
    rich = f.MunicipalityFactory(marginalisation_degree="bajo")
    village_poor = f.VillageFactory(programme=programme, municipality=poor, launched_on=LAUNCH)
    village_rich = f.VillageFactory(programme=programme, municipality=rich, launched_on=LAUNCH)
    msme_with_sales(programme, village_poor, [100, 100, 200, 200, 200, 200])  # 100 - 7.5 = 92.5
    msme_with_sales(programme, village_poor, [100, 100, 300, 300, 300, 300], sex="male", women_led=False)  # 192.5
    msme_with_sales(programme, village_rich, [0, 0, 700, 700, 700, 700], sex="male", women_led=False)  # 692.5
    msme_with_sales(programme, village_rich, [50] * 6)  # -7.5
    for sales in ([10, 10, 10, 20, 20, 20], [30, 30, 30, 40, 40, 40]):
        msme_with_sales(programme, None, sales, group="comparison", municipality=f.MunicipalityFactory())
    return programme


NET_GAINS = [92.5, 192.5, 692.5, -7.5]


def test_net_gain_is_the_own_change_less_the_comparison_groups(programme_with_gains):
    gains = participant_gains(programme_with_gains)
    assert sorted(gains["gain"]) == pytest.approx(sorted(NET_GAINS))
    assert len(gains) == 4  # the comparison MSMEs are not participants


def test_equity_figures_match_hand_computed_values(programme_with_gains):
    figures = compute_equity_figures(programme_with_gains)
    values = NET_GAINS
    n, mean = len(values), sum(values) / len(values)
    gini = sum(abs(a - b) for a in values for b in values) / (2 * n * n * mean)
    assert figures["participants"] == 4
    assert figures["gini"] == pytest.approx(gini, abs=1e-9)
    assert figures["women_led_share"] == 0.5
    assert figures["high_marginalisation_share"] == 0.5
    assert figures["mean_gain_by_sex"]["male"]["mean"] == pytest.approx((192.5 + 692.5) / 2)
    assert figures["mean_gain_by_marginalisation"]["muy_alto"]["total"] == pytest.approx(92.5 + 192.5)
    assert figures["mean_gain"] == pytest.approx(mean)
    assert -1 <= figures["concentration"]["index"] <= 1
    assert figures["concentration"]["ci_low"] <= figures["concentration"]["ci_high"]
    # Theil is over the positive gains only (decision A5): the -7.5 is counted as excluded.
    assert figures["excluded"]["theil_t"] == 1
    by_sex = figures["decomposition_by_sex"]["theil_t"]
    assert by_sex["between"] + by_sex["within"] == pytest.approx(figures["theil_t"], abs=1e-9)


# The analytics read the database through a connection of their own, which sees committed rows.
@pytest.mark.django_db(transaction=True)
def test_compute_analytics_command_stores_estimates_reports_and_classification(programme_with_gains, capsys):
    call_command("compute_analytics")
    assert EquityReport.objects.get(programme=programme_with_gains).participants == 4
    online = ImpactEstimate.objects.get(programme=programme_with_gains, outcome="online_sales")
    # One cohort and never-treated controls: the simple ATT is the mean net gain.
    assert online.result["estimate"]["overall"]["simple"]["att"] == pytest.approx(sum(NET_GAINS) / 4)
    assert (online.participants, online.comparison, online.rows_read) == (4, 2, 36)
    assert len(online.snapshot_hash) == 64 and not online.error
    assert online.result["estimate"]["programme"]["cluster"] == "msme"  # four municipalities
    assert set(ImpactEstimate.objects.values_list("outcome", flat=True)) == {
        "online_sales", "total_sales", "orders", "jobs"}
    assert "impact programme-" in capsys.readouterr().out
    stored = ClusterClassification.objects.filter(profile="latam-relative")
    assert stored.count() == 4  # the four municipalities with sellers


def test_classification_of_an_empty_platform_stores_nothing():
    assert classify_municipalities()["stored"] == 0
    assert ClusterClassification.objects.count() == 0
