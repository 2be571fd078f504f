"""The budget and disbursement register: who sees it, who writes it, and what it refuses."""

import pytest

from aldea.programmes.models import BudgetLine

pytestmark = pytest.mark.django_db

LINE = {"programme": "main", "name": "Formación", "period_start": "2025-01-01", "period_end": "2025-12-31",
        "amount": "150000.00", "currency": "MXN"}


@pytest.fixture
def line(world):
    return BudgetLine.objects.create(programme=world.programme, name="Consultoría", period_start="2025-01-01",
                                     period_end="2025-12-31", amount=1000, currency="MXN")


def test_the_analyst_reads_the_budget_but_cannot_write_it(world, api_client_for, line):
    client = api_client_for(world.analyst)
    assert [row["name"] for row in client.get("/api/budget-lines/").json()["results"]] == ["Consultoría"]
    assert client.post("/api/budget-lines/", LINE, format="json").status_code == 403


@pytest.mark.parametrize("name", ["partner", "consultant", "outsider"])
def test_whoever_does_not_see_the_whole_programme_does_not_see_its_budget(world, api_client_for, line, name):
    client = api_client_for(getattr(world, name))
    assert client.get("/api/budget-lines/").json()["results"] == []
    assert client.get(f"/api/budget-lines/{line.pk}/").status_code == 404


def test_the_manager_writes_a_line_and_iati_periods_are_at_most_a_year(world, api_client_for):
    client = api_client_for(world.manager)
    assert client.post("/api/budget-lines/", LINE, format="json").status_code == 201
    too_long = client.post("/api/budget-lines/", {**LINE, "period_end": "2026-06-30"}, format="json")
    assert too_long.status_code == 400 and "at most a year" in str(too_long.json())
    bad = client.post("/api/budget-lines/", {**LINE, "currency": "mxn"}, format="json")
    assert bad.status_code == 400 and "ISO 4217" in str(bad.json())
    backwards = client.post("/api/transactions/", {"programme": "main", "kind": "refund", "transacted_on": "2025-01-01",
                                                      "amount": "1", "currency": "MXN"}, format="json")
    assert backwards.status_code == 400 and "kind" in backwards.json()


def test_the_api_writes_through_the_pages_service_and_a_patch_keeps_the_other_fields(world, api_client_for, line,
                                                                                    monkeypatch):
    from aldea.programmes import api, services

    calls = []
    monkeypatch.setattr(api, "save_budget_line", lambda **kw: calls.append(kw) or services.save_budget_line(**kw))
    client = api_client_for(world.manager)
    created = client.post("/api/budget-lines/", LINE, format="json")
    assert created.status_code == 201 and created.json()["kind"] == "original"
    patched = client.patch(f"/api/budget-lines/{line.pk}/", {"amount": "2500.00"}, format="json")
    assert patched.status_code == 200
    line.refresh_from_db()
    assert (line.amount, line.name, line.period_end.isoformat()) == (2500, "Consultoría", "2025-12-31")
    assert [c["user"] for c in calls] == [world.manager, world.manager] and calls[1]["line"] == line
    # The service's rules answer the API too, naming the field.
    backwards = client.patch(f"/api/budget-lines/{line.pk}/", {"period_end": "2024-12-31"}, format="json")
    assert backwards.status_code == 400 and "period_end" in backwards.json()
