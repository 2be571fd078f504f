"""The MSME profile: scope, what of the owner it shows, the figures it shows, the query budget."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aldea.people.queries import Disclosure, disclosure
from aldea.workspace.figures import msme as figures
from tests import factories as f
from tests.web.enterprises.conftest import fill_profile, grow


def url(code):
    return f"/msmes/{code}/"


def test_anonymous_is_sent_to_login(world, client):
    response = client.get(url("owned"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", ["manager", "analyst", "partner", "trainer", "consultant", "msme_owner", "staff"])
def test_roles_in_scope_open_the_profile(name, personas, login):
    assert login(personas[name]).get(url("owned")).status_code == 200


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("outsider", "owned"),
        ("consultant", "second-village-msme"),
        ("trainer", "second-village-msme"),
        ("partner", "second-village-msme"),
        ("msme_owner", "village-msme"),
        ("manager", "other-msme"),
        ("manager", "no-such-msme"),
    ],
)
def test_msme_out_of_scope_is_not_found(name, code, personas, login):
    assert login(personas[name]).get(url(code)).status_code == 404


@pytest.fixture
def owner_person(world):
    person = world.msme_owner.person
    person.email = "dona@example.com"
    person.phone = "+52 951 000 0000"
    person.save()
    return person


def test_consultant_sees_name_but_no_contact_without_consent(world, owner_person, login):
    body = login(world.consultant).get(url("owned")).content.decode()
    assert owner_person.full_name in body
    assert "dona@example.com" not in body
    assert "951 000 0000" not in body


def test_consultant_sees_contact_with_consent(world, owner_person, login):
    owner_person.has_contact_consent = True
    owner_person.contact_consent_on = datetime.date(2024, 1, 1)
    owner_person.save()
    body = login(world.consultant).get(url("owned")).content.decode()
    assert "dona@example.com" in body
    assert "951 000 0000" in body


def test_partner_sees_no_owner_even_with_consent(world, owner_person, login):
    owner_person.has_contact_consent = True
    owner_person.contact_consent_on = datetime.date(2024, 1, 1)
    owner_person.save()
    body = login(world.partner).get(url("owned")).content.decode()
    assert owner_person.given_name not in body
    assert "dona@example.com" not in body


def test_owner_sees_everything_of_their_own(world, owner_person, login):
    body = login(world.msme_owner).get(url("owned")).content.decode()
    assert owner_person.full_name in body
    assert "dona@example.com" in body


def test_profile_shows_the_figures_the_functions_compute(world, login):
    msme = world.owned_msme
    f.AssessmentFactory(enterprise=msme, assessed_on=datetime.date(2024, 1, 10), score=Decimal("31.5"), level="novato")
    f.AssessmentFactory(enterprise=msme, assessed_on=datetime.date(2024, 9, 10), score=Decimal("62.25"), level="avanzado")
    for month in range(1, 15):  # Jan 2024 – Feb 2025
        f.OutcomeRecordFactory(
            enterprise=msme, month=datetime.date(2024 + (month - 1) // 12, (month - 1) % 12 + 1, 1),
            total_sales=Decimal(2000), online_sales=Decimal(month * 100), orders=month, employees=month % 4 + 1,
            export_markets=1 if month > 10 else 0,
        )
    response = login(world.manager).get(url("owned"))
    context = response.context
    assert context["summary"] == figures.outcome_summary(list(msme.outcomes.all()))
    # Mar 2024 – Feb 2025: online sales 300 + … + 1400, orders 3 + … + 14.
    assert context["summary"]["online_sales"] == Decimal(sum(range(3, 15)) * 100) == Decimal(10200)
    assert context["summary"]["orders"] == 102
    assert context["latest"]["level"] == "avanzado"
    assert context["maturity_chart"] is not None and context["outcomes_chart"] is not None
    body = response.content.decode()
    assert "10,200" in body or "10.200" in body or "10 200" in body or "10\xa0200" in body
    assert "62.2" in body or "62,2" in body


def test_listing_matrix_marks_each_channel(world, login):
    shop, social = f.SalesChannelFactory(name="Tienda"), f.SalesChannelFactory(name="Redes")
    rug = f.ProductFactory(enterprise=world.owned_msme, title="Tapete")
    f.ListingFactory(product=rug, channel=shop, status="live", live_on=datetime.date(2024, 2, 1),
                     url="https://shop.example/rug")
    f.ProductFactory(enterprise=world.owned_msme, title="Bolsa")
    response = login(world.consultant).get(url("owned"))
    assert [c.name for c in response.context["channels"]] == ["Tienda"]
    assert "https://shop.example/rug" in response.content.decode()
    assert social.name not in response.content.decode()


def test_diagnostic_link_only_for_roles_that_diagnose(world, login, client):
    # The link appears only where the diagnostics pages are installed.
    consultant_page = login(world.consultant).get(url("owned"))
    client.logout()
    analyst_page = login(world.analyst).get(url("owned"))
    assert analyst_page.context["diagnostic_url"] is None
    if consultant_page.context["diagnostic_url"]:
        assert consultant_page.context["diagnostic_url"] in consultant_page.content.decode()


def _queries(client, code):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url(code))
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["manager", "consultant", "msme_owner", "partner"])
def test_query_count_does_not_grow_with_the_data(name, world, personas, login):
    client = login(personas[name])
    fill_profile(world.owned_msme, size=1)
    grow(world, 1)
    small = _queries(client, "owned")
    fill_profile(world.owned_msme, size=8)
    grow(world, 4)
    large = _queries(client, "owned")
    assert small == large <= 15


# --- the figure functions, against hand-computed values --------------------------------------


class _Row:
    def __init__(self, **kw):
        self.__dict__.update(kw)


def test_outcome_summary_sums_the_last_twelve_months_on_record():
    rows = [
        _Row(month=datetime.date(2023, 12, 1), online_sales=Decimal(999), total_sales=Decimal(999), orders=99,
             employees=2, export_markets=0),
        *[
            _Row(month=datetime.date(2024, m, 1), online_sales=Decimal(10), total_sales=Decimal(40), orders=1,
                 employees=None if m == 12 else 3, export_markets=2)
            for m in range(1, 13)
        ],
    ]
    summary = figures.outcome_summary(rows)
    assert summary["months"] == 12
    assert summary["from"] == datetime.date(2024, 1, 1) and summary["to"] == datetime.date(2024, 12, 1)
    assert summary["online_sales"] == Decimal(120)
    assert summary["total_sales"] == Decimal(480)
    assert summary["orders"] == 12
    assert summary["employees"] == 3  # the latest month with a headcount
    assert summary["export_markets"] == 2


def test_outcome_summary_of_nothing():
    assert figures.outcome_summary([])["online_sales"] == 0


def test_maturity_history_is_oldest_first(world):
    late = f.AssessmentFactory(enterprise=world.owned_msme, assessed_on=datetime.date(2024, 6, 1))
    early = f.AssessmentFactory(enterprise=world.owned_msme, assessed_on=datetime.date(2024, 1, 1))
    history = figures.maturity_history([late, early])
    assert [row["assessed_on"] for row in history] == [early.assessed_on, late.assessed_on]


def test_listing_matrix_by_hand(world):
    a, b = f.SalesChannelFactory(name="A"), f.SalesChannelFactory(name="B")
    p1 = f.ProductFactory(enterprise=world.owned_msme, title="uno")
    p2 = f.ProductFactory(enterprise=world.owned_msme, title="dos")
    l1 = f.ListingFactory(product=p1, channel=b)
    l2 = f.ListingFactory(product=p2, channel=a)
    l3 = f.ListingFactory(product=p2, channel=b)
    products = list(world.owned_msme.products.order_by("title").prefetch_related("listings__channel"))
    channels, rows = figures.listing_matrix(products)
    assert channels == [a, b]
    assert [(r["product"], r["cells"]) for r in rows] == [(p2, [l2, l3]), (p1, [None, l1])]
    assert [r["by_channel"] for r in rows] == [[(a, l2), (b, l3)], [(a, None), (b, l1)]]


def test_owner_disclosure_by_role(world):
    owner = world.msme_owner.person
    assert disclosure(world.msme_owner, owner) == Disclosure(identity=True, contact=True, is_self=True)
    assert disclosure(world.consultant, owner) == Disclosure(identity=True, contact=False)
    assert disclosure(world.partner, owner) == Disclosure()
    owner.has_contact_consent, owner.contact_consent_on = True, datetime.date(2024, 1, 1)
    owner.save()
    assert disclosure(world.analyst, owner) == Disclosure(identity=True, contact=True)


def test_profile_links_to_the_showcase_only_with_consent(world, login):
    client = login(world.manager)
    assert client.get(url("owned")).context["showcase_url"] is None
    world.owned_msme.has_showcase_consent = True
    world.owned_msme.save()
    response = client.get(url("owned"))
    assert response.context["showcase_url"] == f"/aldeas/{world.village.slug}/"
    assert response.context["showcase_url"] in response.content.decode()
