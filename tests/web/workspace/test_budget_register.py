"""The budget register's planned disbursements and transactions from the web: a manager adds,
changes and deletes them through the services; the analyst (who sees the programme whole but
manages nothing) reads them and gets 403 on writes; a manager of another programme, and a
person narrowed to a village, get 404."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from aldea.programmes.models import FinancialTransaction, PlannedDisbursement
from tests.web.workspace.conftest import budget_url

pytestmark = pytest.mark.django_db

MODELS = {"disbursements": PlannedDisbursement, "transactions": FinancialTransaction}


def entry_data(register, **overrides):
    if register == "disbursements":
        data = {"period_start": "2026-01-01", "period_end": "2026-06-30", "amount": "50000", "currency": "mxn",
                "provider_name": "Fundación Semilla", "provider_ref": "MX-RFC-FSE010101AAA",
                "receiver_name": "Aldea", "receiver_ref": ""}
    else:
        data = {"kind": "incoming_funds", "transacted_on": "2026-02-15", "amount": "25000.75", "currency": "MXN",
                "reference": "SPEI-0042", "description": "  First instalment  ", "provider_name": "Fundación Semilla",
                "provider_ref": "", "receiver_name": "", "receiver_ref": ""}
    data.update(overrides)
    return data


@pytest.fixture
def disbursement(world):
    return PlannedDisbursement.objects.create(
        programme=world.programme, period_start=datetime.date(2026, 7, 1), period_end=datetime.date(2026, 12, 31),
        amount=Decimal(70000), currency="MXN", provider_name="Fundación Semilla")


@pytest.fixture
def transaction_row(world):
    return FinancialTransaction.objects.create(
        programme=world.programme, kind=FinancialTransaction.Kind.EXPENDITURE,
        transacted_on=datetime.date(2026, 3, 1), amount=Decimal(1200), currency="MXN", description="Hub rent")


@pytest.fixture
def entries(disbursement, transaction_row):
    return {"disbursements": disbursement, "transactions": transaction_row}


def urls(programme, kind, entry):
    return {"new": reverse("workspace:budget_register_new", args=[programme.slug, kind]),
            "edit": reverse("workspace:budget_register_entry", args=[programme.slug, kind, entry.pk]),
            "delete": reverse("workspace:budget_register_delete", args=[programme.slug, kind, entry.pk])}


def test_the_budget_page_lists_disbursements_and_transactions_with_totals(login, world, entries):
    page = login(world.manager).get(budget_url(world.programme))
    assert page.status_code == 200
    assert list(page.context["disbursements"]) == [entries["disbursements"]]
    assert list(page.context["transactions"]) == [entries["transactions"]]
    assert page.context["disbursement_totals"] == [{"currency": "MXN", "total": Decimal(70000)}]
    assert page.context["transaction_totals"] == [
        {"kind": "expenditure", "currency": "MXN", "total": Decimal(1200), "label": "Expenditure"}]
    html = page.content.decode()
    for kind, entry in entries.items():
        assert urls(world.programme, kind, entry)["edit"] in html
        assert reverse("workspace:budget_register_new", args=[world.programme.slug, kind]) in html


def test_the_page_is_in_spanish_for_a_spanish_reader(login, world, entries):
    page = login(world.manager).get(budget_url(world.programme), HTTP_ACCEPT_LANGUAGE="es-mx")
    html = page.content.decode()
    assert "Desembolsos previstos" in html and "Transacciones" in html and "Gasto" in html


def test_the_manager_adds_a_planned_disbursement(login, world):
    client = login(world.manager)
    url = reverse("workspace:budget_register_new", args=[world.programme.slug, "disbursements"])
    assert client.get(url).context["form"].initial["currency"] == world.programme.currency
    response = client.post(url, entry_data("disbursements"))
    assert response.status_code == 302 and response["Location"] == budget_url(world.programme)
    added = PlannedDisbursement.objects.get(programme=world.programme)
    assert (added.amount, added.currency, added.provider_ref, added.period_end) == (
        Decimal(50000), "MXN", "MX-RFC-FSE010101AAA", datetime.date(2026, 6, 30))


def test_the_manager_adds_a_transaction(login, world):
    url = reverse("workspace:budget_register_new", args=[world.programme.slug, "transactions"])
    response = login(world.manager).post(url, entry_data("transactions"))
    assert response.status_code == 302
    added = FinancialTransaction.objects.get(programme=world.programme)
    assert (added.kind, added.amount, added.reference, added.description, added.transacted_on) == (
        "incoming_funds", Decimal("25000.75"), "SPEI-0042", "First instalment", datetime.date(2026, 2, 15))


@pytest.mark.parametrize("kind, overrides, check", [
    ("disbursements", {"amount": "71000", "receiver_name": "Cooperativa"},
     lambda e: (e.amount, e.receiver_name) == (Decimal(71000), "Cooperativa")),
    ("transactions", {"kind": "disbursement", "transacted_on": "2026-04-02"},
     lambda e: (e.kind, e.transacted_on) == ("disbursement", datetime.date(2026, 4, 2))),
])
def test_the_manager_changes_an_entry(login, world, entries, kind, overrides, check):
    entry = entries[kind]
    client = login(world.manager)
    url = urls(world.programme, kind, entry)["edit"]
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"].initial["amount"] == entry.amount
    response = client.post(url, entry_data(kind, **overrides))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert check(entry)


@pytest.mark.parametrize("kind", ["disbursements", "transactions"])
def test_the_manager_deletes_an_entry_with_a_post_only(login, world, entries, kind):
    client = login(world.manager)
    url = urls(world.programme, kind, entries[kind])["delete"]
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == budget_url(world.programme)
    assert not MODELS[kind].objects.exists()
    other = {"disbursements": "transactions", "transactions": "disbursements"}[kind]
    assert MODELS[other].objects.count() == 1


@pytest.mark.parametrize("kind, overrides, field, words", [
    ("disbursements", {"period_end": "2025-12-01"}, "period_end", "cannot end before it starts"),
    ("disbursements", {"period_end": "2027-06-30"}, "period_end", "at most a year"),
    ("disbursements", {"currency": "M1X"}, "currency", "ISO 4217"),
    ("disbursements", {"amount": "-5"}, "amount", "cannot be negative"),
    ("disbursements", {"period_start": "someday"}, "period_start", "valid date"),
    ("transactions", {"amount": "-1"}, "amount", "cannot be negative"),
    ("transactions", {"amount": "a lot"}, "amount", "number"),
    ("transactions", {"kind": "gift"}, "kind", "valid choice"),
    ("transactions", {"transacted_on": ""}, "transacted_on", "required"),
    ("transactions", {"currency": "pesos"}, "currency", "at most 3"),
])
def test_a_bad_entry_names_its_field_and_reason_and_writes_nothing(login, world, entries, kind, overrides, field,
                                                                     words):
    entry = entries[kind]
    before = entry.amount
    for url in (urls(world.programme, kind, entry)["new"], urls(world.programme, kind, entry)["edit"]):
        response = login(world.manager).post(url, entry_data(kind, **overrides))
        assert response.status_code == 400
        errors = response.context["form"].errors
        assert field in errors and words in " ".join(errors[field]), errors
    assert MODELS[kind].objects.count() == 1
    entry.refresh_from_db()
    assert entry.amount == before


@pytest.mark.parametrize("kind", ["disbursements", "transactions"])
def test_the_analyst_reads_the_entries_but_cannot_write_them(login, world, entries, kind):
    client = login(world.analyst)
    page = client.get(budget_url(world.programme))
    assert page.status_code == 200 and list(page.context[kind]) == [entries[kind]]
    html = page.content.decode()
    address = urls(world.programme, kind, entries[kind])
    assert address["edit"] not in html and address["new"] not in html
    assert client.get(address["new"]).status_code == 403
    assert client.post(address["new"], entry_data(kind)).status_code == 403
    assert client.get(address["edit"]).status_code == 403
    assert client.post(address["edit"], entry_data(kind, amount="1")).status_code == 403
    assert client.post(address["delete"]).status_code == 403
    entries[kind].refresh_from_db()
    assert MODELS[kind].objects.count() == 1 and entries[kind].amount != Decimal(1)


@pytest.mark.parametrize("persona", ["outsider", "trainer", "consultant", "msme_owner"])
@pytest.mark.parametrize("kind", ["disbursements", "transactions"])
def test_people_who_do_not_see_the_programme_whole_get_404(login, world, entries, kind, persona):
    client = login(getattr(world, persona))
    address = urls(world.programme, kind, entries[kind])
    assert client.get(address["new"]).status_code == 404
    assert client.post(address["new"], entry_data(kind)).status_code == 404
    assert client.post(address["edit"], entry_data(kind)).status_code == 404
    assert client.post(address["delete"]).status_code == 404
    assert MODELS[kind].objects.count() == 1


@pytest.mark.parametrize("kind", ["disbursements", "transactions"])
def test_a_manager_of_another_programme_gets_404_here_and_writes_there(login, world, entries, other_manager, kind):
    client = login(other_manager)
    entry = entries[kind]
    address = urls(world.programme, kind, entry)
    assert client.get(address["new"]).status_code == 404
    assert client.post(address["new"], entry_data(kind)).status_code == 404
    assert client.get(address["edit"]).status_code == 404
    assert client.post(address["edit"], entry_data(kind, amount="1")).status_code == 404
    assert client.post(address["delete"]).status_code == 404
    # The entry's number under the other programme's address is no way in either.
    elsewhere = urls(world.other, kind, entry)
    assert client.post(elsewhere["edit"], entry_data(kind)).status_code == 404
    assert client.post(elsewhere["delete"]).status_code == 404
    entry.refresh_from_db()
    assert MODELS[kind].objects.filter(programme=world.programme).count() == 1 and entry.amount != Decimal(1)
    response = client.post(elsewhere["new"], entry_data(kind, amount="333"))
    assert response.status_code == 302
    assert MODELS[kind].objects.get(amount=Decimal(333)).programme == world.other


def test_an_unknown_register_is_not_found(login, world):
    response = login(world.manager).get(f"/programme/{world.programme.slug}/budget/loans/new/")
    assert response.status_code == 404


def test_the_manager_deletes_a_budget_line(login, world):
    from aldea.programmes.models import BudgetLine

    line = BudgetLine.objects.create(programme=world.programme, name="Hubs", period_start=datetime.date(2026, 1, 1),
                                     period_end=datetime.date(2026, 6, 30), amount=Decimal(10), currency="MXN")
    url = reverse("workspace:budget_line_delete", args=[world.programme.slug, line.pk])
    assert login(world.analyst).post(url).status_code == 403
    assert login(world.trainer).post(url).status_code == 404
    assert BudgetLine.objects.count() == 1
    assert login(world.manager).post(url).status_code == 302
    assert not BudgetLine.objects.exists()


@pytest.mark.parametrize("kind", ["disbursements", "transactions"])
def test_the_register_pages_ask_for_a_login(client, world, entries, kind):
    for url in urls(world.programme, kind, entries[kind]).values():
        response = client.post(url)
        assert response.status_code == 302 and "login" in response["Location"]
