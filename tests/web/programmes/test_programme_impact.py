"""The overview's impact panel and the funder report asked for from the overview."""

import datetime

import pytest
from django.urls import reverse
from django.utils.html import escape

from aldea.reporting.impact.compute import store_impact_estimates
from aldea.reporting.models import FunderReport, ImpactEstimate
from tests.web.programmes.builders import small_programme

URL = reverse("workspace:overview")
pytestmark = pytest.mark.django_db


@pytest.fixture
def estimated(world):
    small_programme(world)
    world.village.launched_on = datetime.date(2025, 2, 1)
    world.village.save()
    store_impact_estimates(world.programme)
    return ImpactEstimate.objects.get(programme=world.programme, outcome="online_sales")


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_the_overview_shows_the_effect_in_words_with_its_event_study(world, login, estimated):
    response = login(world.manager).get(URL)
    impact = response.context["impact"]
    simple = estimated.result["estimate"]["overall"]["simple"]
    # a: (100 + 200) / 2 = 150, b: (-50 + 0) / 2 = -25 over the comparison MSME's 0: mean 62.5.
    assert simple["att"] == pytest.approx(62.5)
    assert impact["simple"] == simple
    content = response.content.decode()
    assert escape(impact["sentence"]) in content and escape(impact["pretrend"]) in content
    low, high = (f"{simple[k]:.2f}" for k in ("ci_low", "ci_high"))
    assert f"62.50 MXN a month (95% CI {low} to {high})" in impact["sentence"]
    assert response.context["event_study_json"]


def test_the_impact_panel_says_why_there_is_no_estimate(world, login):
    small_programme(world)  # the village launched before every record: no before to compare
    store_impact_estimates(world.programme)
    impact = login(world.manager).get(URL).context["impact"]
    assert "treated in the first period" in impact["error"]


def test_a_programme_without_outcome_records_is_told_so_on_every_outcome(world, login):
    stored = store_impact_estimates(world.programme)
    assert {e.outcome for e in stored} == {"online_sales", "total_sales", "orders", "jobs"}
    assert all("has no outcome records" in e.error for e in stored)
    assert "has no outcome records" in login(world.manager).get(URL).context["impact"]["error"]


def test_a_village_partner_sees_neither_the_effect_nor_the_report_button(world, login, estimated):
    response = login(world.partner).get(URL)
    assert response.context["impact"] is None and response.context["event_study_json"] is None
    assert reverse("workspace:request_report") not in response.content.decode()


def test_the_overview_in_spanish_translates_the_sentence(world, login, estimated, settings):
    settings.LANGUAGE_CODE = "es-mx"
    response = login(world.manager).get(URL, HTTP_ACCEPT_LANGUAGE="es-mx")
    assert response.context["impact"]["sentence"].startswith("Los datos no permiten distinguir de cero el efecto del programa en ventas en línea")


def test_the_manager_asks_for_the_report_and_downloads_it(world, login, estimated, immediate_tasks):
    client = login(world.manager)
    response = client.post(reverse("workspace:request_report"), {"programme": "main", "language": "en"})
    assert response.status_code == 302
    report = FunderReport.objects.get()
    assert (report.status, report.progress, report.requested_by) == ("done", 100, world.manager)
    assert len(report.snapshot_hash) == 64
    status = client.get(reverse("workspace:report_status", args=[report.pk]))
    assert reverse("workspace:report_download", args=[report.pk]) in status.content.decode()
    pdf = client.get(reverse("workspace:report_download", args=[report.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client.get(URL).context["report"].pk == report.pk


def test_a_report_request_with_a_bad_period_or_language_is_refused(world, login, immediate_tasks):
    client = login(world.manager)
    bad = client.post(reverse("workspace:request_report"), {"programme": "main", "period": "2025-13"})
    assert bad.status_code == 400 and "YYYY-MM..YYYY-MM" in bad.content.decode()
    assert client.post(reverse("workspace:request_report"), {"programme": "main", "language": "fr"}).status_code == 400
    assert not FunderReport.objects.exists()


@pytest.mark.parametrize("name,status", [("partner", 403), ("outsider", 404)])
def test_only_who_sees_the_whole_programme_asks_for_its_report(world, login, immediate_tasks, name, status):
    response = login(getattr(world, name)).post(reverse("workspace:request_report"), {"programme": "main"})
    assert response.status_code == status
    assert not FunderReport.objects.exists()


def test_another_users_report_is_not_found(world, login, estimated, immediate_tasks):
    login(world.manager).post(reverse("workspace:request_report"), {"programme": "main", "language": "en"})
    report = FunderReport.objects.get()
    assert login(world.analyst).get(reverse("workspace:report_download", args=[report.pk])).status_code == 404


def test_the_overview_says_when_its_estimate_is_stale(world, login, estimated):
    from decimal import Decimal

    from aldea.outcomes.models import OutcomeRecord

    page = login(world.manager).get(URL)
    assert page.context["impact"]["is_stale"] is False
    assert 'data-figure="impact_stale"' not in page.content.decode()
    record = OutcomeRecord.objects.order_by("month").last()
    record.online_sales += Decimal(1)
    record.total_sales += Decimal(1)
    record.save()
    page = login(world.manager).get(URL)
    assert page.context["impact"]["is_stale"] is True
    assert 'data-figure="impact_stale"' in page.content.decode()
