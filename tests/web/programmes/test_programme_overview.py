import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aldea.enterprises.models import Enterprise
from aldea.outcomes.models import OutcomeRecord
from aldea.programmes.models import EquityReport
from aldea.reporting.equity import store_equity_report
from aldea.reporting.indicators.templates import apply_template
from aldea.workspace.figures import overview as figures
from tests import factories as f
from tests.web.programmes.builders import MONTHS, grow, small_programme

URL = reverse("workspace:overview")
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["manager", "analyst", "partner", "staff"])
def test_overview_opens_for_managers_analysts_partners_and_staff(world, login, name):
    response = login(getattr(world, name)).get(URL)
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["trainer", "consultant", "msme_owner", "outsider"])
def test_overview_is_forbidden_to_other_roles(world, login, name):
    assert login(getattr(world, name)).get(URL).status_code == 403


def test_anonymous_is_sent_to_login(world, login):
    response = login(None).get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_manager_cannot_open_another_programmes_overview(world, login):
    assert login(world.manager).get(URL, {"programme": world.other.slug}).status_code == 404


def test_overview_switches_between_the_users_programmes(world, login):
    f.MembershipFactory(person=world.manager.person, role="analyst", programme=world.other)
    response = login(world.manager).get(URL, {"programme": world.other.slug})
    assert response.status_code == 200
    assert response.context["programme"] == world.other
    assert [p.slug for p in response.context["programmes"]] != []


def test_msme_progress_counts_by_hand(world):
    small_programme(world)
    progress = figures.msme_progress(Enterprise.objects.filter(programme=world.programme))
    # world has three more participants (owned, village and second-village MSMEs), 1 employee each.
    assert progress == {"participants": 6, "diagnosed": 2, "listed": 1, "first_sale": 1, "jobs": 12}


def test_monthly_sales_by_hand(world):
    small_programme(world)
    from aldea.outcomes.models import OutcomeRecord

    sales = figures.monthly_sales(
        OutcomeRecord.objects.filter(enterprise__programme=world.programme)
    )
    assert sales.months == MONTHS
    assert sales.totals["participant"] == [Decimal(150), Decimal(200), Decimal(350)]
    assert sales.reporting["participant"] == [2, 2, 2]
    assert sales.mean("participant") == [75.0, 100.0, 175.0]
    assert sales.totals["comparison"] == [Decimal(40)] * 3
    assert sales.last_12_months() == Decimal(700)


def test_current_targets_take_the_latest_started_period_or_sum_the_villages(world):
    indicator = f.IndicatorFactory(programme=world.programme, code="mipymes-diagnosticadas")
    f.IndicatorTargetFactory(
        indicator=indicator,
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
        target=10,
    )
    f.IndicatorTargetFactory(
        indicator=indicator,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        target=40,
    )
    f.IndicatorTargetFactory(
        indicator=indicator,
        period_start=datetime.date(2030, 1, 1),
        period_end=datetime.date(2030, 12, 31),
        target=99,
    )
    f.IndicatorTargetFactory(
        indicator=indicator,
        village=world.village,
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        target=7,
    )
    f.IndicatorTargetFactory(
        indicator=indicator,
        village=world.second_village,
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        target=5,
    )
    rows = list(indicator.targets.all())
    today = datetime.date(2026, 6, 1)
    year_2025 = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    assert figures.current_target(rows, village_ids=None, today=today) == (Decimal(40), *year_2025)
    both_years = (datetime.date(2024, 1, 1), datetime.date(2025, 12, 31))
    assert figures.current_target(rows, village_ids={world.village.id}, today=today) == (Decimal(7), *both_years)
    assert figures.current_target(
        rows, village_ids={world.village.id, world.second_village.id}, today=today
    ) == (Decimal(12), *both_years)


def test_overview_tiles_are_the_programmes_indicators_counted_by_hand(world, login):
    msmes = small_programme(world)
    # Jobs are the employees reported in the latest month: 2 at a, 3 at b, 10 in the comparison.
    for key, employees in (("a", 2), ("b", 3), ("d", 10)):
        OutcomeRecord.objects.filter(enterprise=msmes[key], month=MONTHS[-1]).update(employees=employees)
    apply_template(world.programme, "digital-villages", language="en")
    listed = world.programme.indicators.get(code="mipymes-publicadas")
    f.IndicatorTargetFactory(
        indicator=listed, period_start=datetime.date(2024, 1, 1), period_end=datetime.date(2024, 12, 31), target=4,
    )
    response = login(world.manager).get(URL)
    tiles = {tile.key: tile for tile in response.context["tiles"]}
    assert {key: tile.value for key, tile in tiles.items()} == {
        "aldeas-activas": 2,
        "aliados": 1,  # the host university holds a role in a village
        "convenios": 1,  # the draft is not in force
        "formadores-certificados": 1,
        "consultores-certificados": 1,  # the revoked certificate does not count
        "mipymes-diagnosticadas": 2,  # the comparison MSME's engagement does not count
        "mipymes-publicadas": 1,
        "mipymes-primera-venta": 1,
        "ventas-en-linea": Decimal(700),  # 100+200+300 + 50+0+50, participants only
        "empleos": 5,
    }
    assert tiles["mipymes-publicadas"].target == Decimal(4)
    assert tiles["mipymes-publicadas"].percent == 25.0
    assert tiles["mipymes-publicadas"].period == (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    assert tiles["empleos"].target is None
    assert tiles["ventas-en-linea"].is_money and tiles["ventas-en-linea"].shows_period
    assert "publicaciones-activas" not in tiles  # not a headline indicator
    content = response.content.decode()
    assert 'data-indicator="mipymes-publicadas"' in content
    assert "cascade-chart" in content and "sales-chart" in content and "village-map" in content


def test_a_programme_without_indicators_shows_no_tiles_and_says_so(world, login):
    response = login(world.manager).get(URL)
    assert response.context["tiles"] == []
    assert "no indicators yet" in response.content.decode()


def test_partner_sees_only_the_figures_of_their_villages(world, login):
    small_programme(world)
    add = f.EnterpriseFactory(village=world.second_village)
    f.EngagementFactory(enterprise=add, consultant=world.consultant.person)
    apply_template(world.programme, "digital-villages")
    response = login(world.partner).get(URL)
    tiles = {tile.key: tile.value for tile in response.context["tiles"]}
    assert tiles["mipymes-diagnosticadas"] == 2  # the second village's MSME is not the partner's
    assert tiles["aldeas-activas"] == 1
    assert response.context["data"].whole_programme is False


def test_equity_panel_says_when_no_report_exists_and_offers_managers_to_compute(world, login):
    response = login(world.manager).get(URL)
    content = response.content.decode()
    assert response.context["equity"] is None
    assert reverse("workspace:compute_equity") in content
    response = login(world.analyst).get(URL)
    assert reverse("workspace:compute_equity") not in response.content.decode()


def launch_in_february(world):
    """The main village launches in February 2025, the second month of MONTHS: a before and an after."""
    world.village.launched_on = datetime.date(2025, 2, 1)
    world.village.save()


def test_manager_computes_the_equity_report(world, login):
    small_programme(world)
    launch_in_february(world)
    response = login(world.manager).post(
        reverse("workspace:compute_equity"), {"programme": world.programme.slug}
    )
    assert response.status_code == 302
    report = EquityReport.objects.get(programme=world.programme)
    assert report.participants == 2
    page = login(world.manager).get(URL)
    panel = page.context["equity"]
    assert panel["women_led_share"] == report.figures["women_led_share"]
    assert panel["gini"] == report.figures["gini"]
    assert page.context["lorenz_json"]


@pytest.mark.parametrize("name", ["analyst", "partner"])
def test_read_only_roles_cannot_compute_the_equity_report(world, login, name):
    response = login(getattr(world, name)).post(
        reverse("workspace:compute_equity"), {"programme": world.programme.slug}
    )
    assert response.status_code == 403
    assert not EquityReport.objects.exists()


def test_equity_panel_shows_the_reports_net_gains(world):
    small_programme(world)
    launch_in_february(world)
    report = store_equity_report(world.programme)
    panel = figures.equity_panel(report.figures)
    assert panel["participants"] == 2
    # Net gains from January (the month before the launch) over February and March, less the
    # comparison MSME's change (none: 40 every month): a (woman) (100 + 200) / 2 = 150,
    # b (man) (-50 + 0) / 2 = -25.
    # One MSME per sex: a group mean of one MSME is that MSME's own figure, so it is not shown.
    female, male = panel["by_sex"]
    assert (female.n, female.mean, female.share_of_gain) == (1, None, None)
    assert (male.n, male.mean, male.share_of_gain) == (1, None, None)
    assert report.figures["mean_gain_by_sex"]["female"]["mean"] == pytest.approx(150)
    assert report.figures["mean_gain_by_sex"]["male"]["mean"] == pytest.approx(-25)
    # Gini of (150, -25): mean absolute difference 175 / 2 over (2 × mean 62.5) = 0.7.
    assert panel["gini"] == pytest.approx(0.7)


def test_equity_report_says_why_when_no_village_has_a_before(world):
    small_programme(world)  # the village launched in January 2024, before every record
    report = store_equity_report(world.programme)
    assert report.participants == 0
    assert "treated in the first period" in report.figures["error"]
    assert figures.equity_panel(report.figures) == {"empty": True, "error": report.figures["error"]}


def test_equity_group_rows_show_means_and_shares_from_five_msmes():
    # Five women gained 600 each, five men 100 each: women hold 3,000 of 3,500.
    figures_of_report = {
        "participants": 10,
        "mean_gain_by_sex": {
            "female": {"n": 5, "mean": 600.0, "total": 3000.0},
            "male": {"n": 5, "mean": 100.0, "total": 500.0},
            "undisclosed": {"n": 4, "mean": 50.0, "total": 200.0},
        },
    }
    female, male, undisclosed = figures.equity_panel(figures_of_report)["by_sex"]
    assert (female.n, female.mean, female.share_of_gain) == (5, 600.0, pytest.approx(3000 / 3700))
    assert (male.mean, male.share_of_gain) == (100.0, pytest.approx(500 / 3700))
    assert (undisclosed.n, undisclosed.mean, undisclosed.share_of_gain) == (4, None, None)


def test_a_village_partner_sees_no_equity_panel(world, login):
    small_programme(world)
    store_equity_report(world.programme)
    page = login(world.partner).get(URL)
    assert page.status_code == 200
    assert page.context["equity"] is None
    assert page.context["lorenz_json"] is None


def _queries(client):
    with CaptureQueriesContext(connection) as context:
        response = client.get(URL)
    assert response.status_code == 200
    return len(context)


def test_overview_query_count_does_not_grow_with_the_data(world, login):
    small_programme(world)
    store_equity_report(world.programme)
    client = login(world.manager)
    grow(world, 1)
    small = _queries(client)
    grow(world, 5)
    large = _queries(client)
    assert small == large
    assert large <= 15
    assert _queries(login(world.partner)) <= 15


def test_last_12_months_are_calendar_months_even_with_gaps():
    sales = figures.MonthlySales(
        months=[datetime.date(2023, 12, 1), datetime.date(2024, 1, 1), datetime.date(2024, 12, 1)],
        totals={"participant": [Decimal(5), Decimal(7), Decimal(11)]},
        reporting={"participant": [1, 1, 1]},
    )
    assert sales.last_12_months_start == datetime.date(2024, 1, 1)
    assert sales.last_12_months() == Decimal(18)


def test_the_overview_lists_agreements_to_renew_within_30_60_and_90_days(world, login):
    today = datetime.date.today()
    for code, days in (("in-10", 10), ("in-45", 45), ("in-80", 80), ("in-200", 200), ("past", -1)):
        f.AgreementFactory(programme=world.programme, code=code, title=code,
                           starts_on=today - datetime.timedelta(days=400), ends_on=today + datetime.timedelta(days=days))
    f.AgreementFactory(programme=world.other, code="other-10", ends_on=today + datetime.timedelta(days=10))
    response = login(world.manager).get(URL)
    groups = {g["days"]: [r["agreement"].code for r in g["agreements"]] for g in response.context["renewals"]}
    assert groups == {30: ["in-10"], 60: ["in-45"], 90: ["in-80"]}
    assert 'data-renewals="60"' in response.content.decode()
