"""Entering an MSME's monthly results on its profile: who may, the checks beside each field,
the outlier warning and its confirmation, and the source of each figure."""

import datetime
from decimal import Decimal

import pytest

from aldea.accounts.models import Role
from aldea.outcomes.models import OutcomeRecord
from tests import factories as f
from tests.conftest import make_persona

URL = "/msmes/{code}/results/"
VALID = {"month": "2025-03", "total_sales": "1000", "online_sales": "400", "orders": "5", "units": "12",
         "employees": "3"}


@pytest.fixture
def history(world):
    """Six months of about 1000 in sales (online 400, 5 orders, 12 units) before March 2025."""
    for month in range(9, 13):
        f.OutcomeRecordFactory(enterprise=world.village_msme, month=datetime.date(2024, month, 1),
                               total_sales=1000, online_sales=400, orders=5, units=12)
    for month in (1, 2):
        f.OutcomeRecordFactory(enterprise=world.village_msme, month=datetime.date(2025, month, 1),
                               total_sales=1100, online_sales=400, orders=5, units=12)


def test_anonymous_is_sent_to_login(world, client):
    response = client.get(URL.format(code="village-msme"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(("name", "code", "source"), [("consultant", "village-msme", "entry"),
                                                      ("manager", "village-msme", "entry"),
                                                      ("msme_owner", "owned", "owner")])
def test_consultant_manager_and_owner_enter_a_month(name, code, source, world, personas, login):
    client = login(personas[name])
    page = client.get(URL.format(code=code))
    assert page.status_code == 200
    assert 'type="month"' in page.content.decode()
    response = client.post(URL.format(code=code), VALID)
    assert response.status_code == 302
    assert response["Location"] == f"/msmes/{code}/#outcomes"
    record = OutcomeRecord.objects.get(enterprise__code=code, month=datetime.date(2025, 3, 1))
    assert (record.total_sales, record.online_sales, record.orders, record.units, record.employees) == (
        Decimal(1000), Decimal(400), 5, 12, 3)
    # The owner's own figures are recorded as hers.
    assert record.source == source
    assert record.figure_sources == dict.fromkeys(["total_sales", "online_sales", "orders", "units", "employees"],
                                                  source)
    assert record.currency == world.programme.currency


def test_the_profile_offers_the_entry_to_those_who_may(world, login):
    assert b"/msmes/owned/results/" in login(world.msme_owner).get("/msmes/owned/").content
    assert b"/msmes/owned/results/" not in login(world.analyst).get("/msmes/owned/").content


@pytest.mark.parametrize("name", ["analyst", "trainer", "partner"])
def test_read_only_roles_are_forbidden(name, personas, login):
    client = login(personas[name])
    assert client.get(URL.format(code="village-msme")).status_code == 403
    assert client.post(URL.format(code="village-msme"), VALID).status_code == 403
    assert not OutcomeRecord.objects.exists()


def test_another_villages_consultant_cannot_open_the_msme(world, login):
    other_consultant = make_persona(Role.CONSULTANT, world.programme, village=world.second_village)
    client = login(other_consultant)
    assert client.get(URL.format(code="village-msme")).status_code == 404
    assert client.post(URL.format(code="village-msme"), VALID).status_code == 404
    assert not OutcomeRecord.objects.exists()


def test_manager_of_a_second_programme_cannot_open_the_msme(world, login):
    client = login(make_persona(Role.MANAGER, world.other))
    assert client.get(URL.format(code="village-msme")).status_code == 404
    assert client.post(URL.format(code="village-msme"), VALID).status_code == 404
    assert not OutcomeRecord.objects.exists()


def test_owner_cannot_enter_results_of_an_msme_she_does_not_own(world, login):
    assert login(world.msme_owner).post(URL.format(code="village-msme"), VALID).status_code == 404


def test_a_person_with_two_roles_enters_only_where_a_role_serves(world, login):
    user = make_persona(Role.ANALYST, world.programme)
    f.MembershipFactory(person=user.person, role=Role.MANAGER, programme=world.other)
    client = login(user)
    assert client.post(URL.format(code="village-msme"), VALID).status_code == 403
    assert client.post(URL.format(code="other-msme"), VALID).status_code == 302
    assert OutcomeRecord.objects.get().enterprise == world.other_msme


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"online_sales": "1500"}, "online_sales"),
        ({"total_sales": "-1"}, "total_sales"),
        ({"orders": "-2"}, "orders"),
        ({"units": "-2"}, "units"),
        ({"employees": "-1"}, "employees"),
        ({"month": "2025-03-15"}, "month"),
        ({"month": "2999-01"}, "month"),
        ({"month": "March"}, "month"),
        ({"total_sales": ""}, "total_sales"),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_saved(change, field, world, login):
    response = login(world.consultant).post(URL.format(code="village-msme"), {**VALID, **change})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert not OutcomeRecord.objects.exists()


def test_a_figure_far_from_the_msmes_history_needs_confirmation(world, history, login):
    client = login(world.consultant)
    response = client.post(URL.format(code="village-msme"), {**VALID, "total_sales": "50000"})
    assert response.status_code == 400
    assert set(response.context["form"].warnings) == {"total_sales"}
    assert 'name="confirm_unusual"' in response.content.decode()
    assert not OutcomeRecord.objects.filter(month=datetime.date(2025, 3, 1)).exists()

    response = client.post(URL.format(code="village-msme"), {**VALID, "total_sales": "50000",
                                                               "confirm_unusual": "on"})
    assert response.status_code == 302
    assert OutcomeRecord.objects.get(month=datetime.date(2025, 3, 1)).total_sales == 50000


def test_a_figure_far_below_the_history_is_flagged_too(world, history, login):
    response = login(world.consultant).post(URL.format(code="village-msme"), {**VALID, "units": "1"})
    assert set(response.context["form"].warnings) == {"units"}


def test_figures_near_the_history_save_without_a_question(world, history, login):
    assert login(world.consultant).post(URL.format(code="village-msme"), VALID).status_code == 302


def test_editing_a_month_on_record_updates_it_and_its_sources(world, login):
    record = f.OutcomeRecordFactory(enterprise=world.village_msme, month=datetime.date(2025, 3, 1),
                                    total_sales=800, online_sales=100, export_markets=2, source="channel",
                                    figure_sources={"online_sales": "channel"})
    client = login(world.consultant)
    page = client.get(URL.format(code="village-msme") + "?month=2025-03")
    assert 'value="800.00"' in page.content.decode()
    assert client.post(URL.format(code="village-msme"), VALID).status_code == 302
    record.refresh_from_db()
    assert OutcomeRecord.objects.count() == 1
    assert (record.total_sales, record.online_sales, record.export_markets) == (1000, 400, 2)
    assert record.source_of("online_sales") == "entry"
    assert record.source_of("export_markets") == "channel"  # not on the form: keeps its source


def test_the_page_speaks_spanish_and_portuguese(world, login, settings):
    client = login(world.consultant)
    settings.LANGUAGE_CODE = "es-mx"
    assert "Resultados mensuales" in client.get(URL.format(code="village-msme"), HTTP_ACCEPT_LANGUAGE="es-MX").content.decode()
    settings.LANGUAGE_CODE = "pt-br"
    assert "Resultados mensais" in client.get(URL.format(code="village-msme"), HTTP_ACCEPT_LANGUAGE="pt-BR").content.decode()


def test_a_month_sent_again_with_its_key_does_not_undo_a_later_correction(world, login):
    client = login(world.consultant)
    data = {**VALID, "idempotency_key": "0f4b2b8e-3d6a-4a57-8c1e-6b9d2f7a1c33"}
    assert client.post(URL.format(code="village-msme"), data).status_code == 302
    OutcomeRecord.objects.filter(enterprise=world.village_msme).update(total_sales=1200)  # corrected since
    assert client.post(URL.format(code="village-msme"), data).status_code == 302
    assert OutcomeRecord.objects.get(enterprise=world.village_msme).total_sales == 1200
