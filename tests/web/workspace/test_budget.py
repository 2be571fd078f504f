"""The budget register from the web: managers add and change lines; those who see the programme
whole read it; a manager of another programme, and a person narrowed to a village, get 404."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from aldea.programmes.models import BudgetLine
from tests.web.workspace.conftest import budget_url

pytestmark = pytest.mark.django_db


def line_data(**overrides):
    data = {"name": "Training of trainers", "kind": "original", "status": "committed",
            "period_start": "2026-01-01", "period_end": "2026-12-31", "amount": "125000.50", "currency": "mxn"}
    data.update(overrides)
    return data


@pytest.fixture
def line(world):
    return BudgetLine.objects.create(
        programme=world.programme, name="Village hubs", period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 6, 30), amount=Decimal(80000), currency="MXN",
    )


def test_the_manager_adds_a_line_and_sees_it_listed_with_its_total(login, world, line):
    client = login(world.manager)
    response = client.post(budget_url(world.programme), line_data())
    assert response.status_code == 302 and response["Location"] == budget_url(world.programme)
    added = BudgetLine.objects.get(programme=world.programme, name="Training of trainers")
    assert (added.amount, added.currency, added.status) == (Decimal("125000.50"), "MXN", "committed")
    page = client.get(budget_url(world.programme))
    assert page.status_code == 200
    assert list(page.context["lines"]) == [added, line]  # by period start, then name
    assert page.context["totals"] == [{"currency": "MXN", "total": Decimal("205000.50")}]
    assert reverse("workspace:budget_line", args=[world.programme.slug, added.pk]) in page.content.decode()


def test_the_manager_changes_a_line(login, world, line):
    url = reverse("workspace:budget_line", args=[world.programme.slug, line.pk])
    client = login(world.manager)
    assert client.get(url).context["form"].initial["name"] == "Village hubs"
    response = client.post(url, line_data(name="Village hubs (revised)", kind="revised", amount="90000"))
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.name, line.kind, line.amount, line.period_end) == (
        "Village hubs (revised)", "revised", Decimal(90000), datetime.date(2026, 12, 31))


@pytest.mark.parametrize("overrides, field, words", [
    ({"period_end": "2025-12-01"}, "period_end", "cannot end before it starts"),
    ({"period_end": "2027-06-30"}, "period_end", "at most a year"),
    ({"currency": "M1X"}, "currency", "ISO 4217"),
    ({"amount": "-5"}, "amount", "cannot be negative"),
    ({"amount": "a lot"}, "amount", "number"),
    ({"kind": "guess"}, "kind", "valid choice"),
])
def test_a_bad_line_names_its_field_and_reason_and_writes_nothing(login, world, line, overrides, field, words):
    for url in (budget_url(world.programme), reverse("workspace:budget_line", args=[world.programme.slug, line.pk])):
        response = login(world.manager).post(url, line_data(**overrides))
        assert response.status_code == 400
        errors = response.context["form"].errors
        assert field in errors and words in " ".join(errors[field]), errors
    assert list(BudgetLine.objects.values_list("name", flat=True)) == ["Village hubs"]
    line.refresh_from_db()
    assert line.amount == Decimal(80000)


def test_the_analyst_reads_the_register_but_cannot_write_it(login, world, line):
    client = login(world.analyst)
    page = client.get(budget_url(world.programme))
    assert page.status_code == 200 and page.context["form"] is None
    assert "workspace:budget_line" not in page.content.decode() and list(page.context["lines"]) == [line]
    assert client.post(budget_url(world.programme), line_data()).status_code == 403
    edit = reverse("workspace:budget_line", args=[world.programme.slug, line.pk])
    assert client.get(edit).status_code == 403 and client.post(edit, line_data()).status_code == 403
    assert BudgetLine.objects.count() == 1


@pytest.mark.parametrize("persona", ["outsider", "trainer", "consultant", "msme_owner"])
def test_people_who_do_not_see_the_programme_whole_get_404(login, world, line, persona):
    client = login(getattr(world, persona))
    edit = reverse("workspace:budget_line", args=[world.programme.slug, line.pk])
    assert client.get(budget_url(world.programme)).status_code == 404
    assert client.post(budget_url(world.programme), line_data()).status_code == 404
    assert client.post(edit, line_data()).status_code == 404
    assert BudgetLine.objects.count() == 1


def test_a_manager_of_another_programme_with_a_second_role_here_gets_404_here_and_writes_there(
        login, world, line, other_manager):
    client = login(other_manager)
    edit = reverse("workspace:budget_line", args=[world.programme.slug, line.pk])
    assert client.get(budget_url(world.programme)).status_code == 404
    assert client.post(budget_url(world.programme), line_data()).status_code == 404
    assert client.get(edit).status_code == 404 and client.post(edit, line_data()).status_code == 404
    # The line's number under the other programme's address is no way in either.
    assert client.post(reverse("workspace:budget_line", args=[world.other.slug, line.pk]),
                       line_data()).status_code == 404
    response = client.post(budget_url(world.other), line_data(name="Hubs far away"))
    assert response.status_code == 302
    assert BudgetLine.objects.get(name="Hubs far away").programme == world.other
    line.refresh_from_db()
    assert line.name == "Village hubs"


def test_the_register_asks_for_a_login(client, world):
    response = client.get(budget_url(world.programme))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_overview_links_the_manager_to_the_budget(login, world):
    page = login(world.manager).get(reverse("workspace:overview"), {"programme": world.programme.slug})
    assert budget_url(world.programme) in page.content.decode()
