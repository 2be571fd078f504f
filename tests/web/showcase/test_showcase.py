"""The public showcase: no login, consenting producers only, k-anonymous aggregates, candidate
villages hidden, and a bounded number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aldea.outcomes.models import Listing
from aldea.showcase import figures
from aldea.showcase import queries as showcase_queries
from aldea.showcase.figures import aggregate_if_enough, village_figures
from tests import factories as f

TODAY = datetime.date(2025, 12, 31)


def url(village):
    return f"/aldeas/{village.slug}/"


# --- the k-anonymity rule ----------------------------------------------------------------------


def test_aggregate_is_shown_from_five_msmes():
    assert aggregate_if_enough(Decimal("1234.50"), 5) == Decimal("1234.50")
    assert aggregate_if_enough(0, 5) == 0


def test_aggregate_is_hidden_below_five_msmes():
    assert aggregate_if_enough(Decimal("1234.50"), 4) is None
    assert aggregate_if_enough(10, 0) is None


def test_minimum_is_five_and_can_be_raised():
    assert figures.MINIMUM_CONTRIBUTORS == 5
    assert aggregate_if_enough(7, 9, minimum=10) is None
    assert aggregate_if_enough(7, 10, minimum=10) == 7


# --- the village's figures ---------------------------------------------------------------------


def make_producers(village, count, *, women_led=0, consent=True, sales=True):
    made = []
    for n in range(count):
        enterprise = f.EnterpriseFactory(
            village=village, is_women_led=n < women_led, has_showcase_consent=consent,
            owner=f.PersonFactory(given_name=f"Productora{n}", family_name=village.slug),
        )
        if sales:
            for month in (datetime.date(2025, 11, 1), datetime.date(2025, 12, 1), datetime.date(2024, 11, 1)):
                f.OutcomeRecordFactory(enterprise=enterprise, month=month, total_sales=Decimal(1000),
                                       online_sales=Decimal("100.50"), orders=3)
        made.append(enterprise)
    return made


def test_five_msmes_publish_every_figure_computed_by_hand(world):
    village = f.VillageFactory(programme=world.programme)
    make_producers(village, 5, women_led=2)
    result = village_figures(village, today=TODAY)
    assert result.producers == 5
    assert result.women_led_share == pytest.approx(0.4)
    # Jan–Dec 2025: two months of 100.50 for each of five MSMEs (Nov 2024 is outside the window).
    assert result.online_sales == Decimal("1005.00")
    assert result.orders == 30
    assert (result.period_start, result.period_end) == (datetime.date(2025, 1, 1), datetime.date(2025, 12, 1))


def test_four_msmes_publish_nothing(world):
    village = f.VillageFactory(programme=world.programme)
    make_producers(village, 4, women_led=2)
    result = village_figures(village, today=TODAY)
    assert result.producers is None
    assert result.women_led_share is None
    assert result.online_sales is None
    assert result.orders is None
    assert not result.anything


def test_sales_count_only_msmes_with_records_in_the_window(world):
    village = f.VillageFactory(programme=world.programme)
    make_producers(village, 4)
    make_producers(village, 3, sales=False)  # seven producers, but only four behind the sales
    result = village_figures(village, today=TODAY)
    assert result.producers == 7
    assert result.online_sales is None and result.orders is None


def test_comparison_group_and_future_months_are_left_out(world):
    village = f.VillageFactory(programme=world.programme)
    make_producers(village, 5)
    f.EnterpriseFactory(village=village, group="comparison")
    f.OutcomeRecordFactory(enterprise=village.enterprises.first(), month=datetime.date(2026, 3, 1),
                           total_sales=Decimal(9999), online_sales=Decimal(9999))
    result = village_figures(village, today=TODAY)
    assert result.producers == 5
    assert result.online_sales == Decimal("1005.00")


# --- the pages ---------------------------------------------------------------------------------


def test_url_names():
    assert reverse("showcase:villages") == "/aldeas/"
    assert reverse("showcase:village", kwargs={"slug": "teotitlan"}) == "/aldeas/teotitlan/"


def test_showcase_needs_no_login(client, world):
    assert client.get(url(world.village)).status_code == 200
    assert client.get("/aldeas/").status_code == 200


@pytest.mark.parametrize("status", ["selected", "active", "graduated"])
def test_public_statuses_are_shown(status, client, world):
    village = f.VillageFactory(programme=world.programme, status=status)
    assert client.get(url(village)).status_code == 200


def test_candidate_village_is_not_found(client, world):
    candidate = f.VillageFactory(programme=world.programme, status="candidate", launched_on=None, name="Secreta")
    assert client.get(url(candidate)).status_code == 404
    assert "Secreta" not in client.get("/aldeas/").content.decode()


def test_unknown_village_is_not_found(client, db):
    assert client.get("/aldeas/no-such-village/").status_code == 404


def test_only_consenting_producers_and_their_owners_appear(client, world):
    village = world.village
    shown = f.EnterpriseFactory(village=village, name="Tejidos Lupita", has_showcase_consent=True,
                                owner=f.PersonFactory(given_name="Guadalupe", family_name="Ruiz",
                                                      email="lupita@example.com", phone="5551234"))
    hidden = f.EnterpriseFactory(village=village, name="Taller Oculto", has_showcase_consent=False,
                                 owner=f.PersonFactory(given_name="Escondida", family_name="Nadie"))
    f.ProductFactory(enterprise=hidden, title="Producto oculto")
    body = client.get(url(village)).content.decode()
    assert shown.name in body and "Guadalupe Ruiz" in body
    assert hidden.name not in body and "Escondida" not in body and "Producto oculto" not in body
    assert "lupita@example.com" not in body and "5551234" not in body  # never contact details


def test_products_link_to_live_listings_only(client, world):
    producer = f.EnterpriseFactory(village=world.village, has_showcase_consent=True)
    rug = f.ProductFactory(enterprise=producer, title="Tapete zapoteca",
                           image_urls=["https://img.example/tapete.jpg"])
    shop = f.SalesChannelFactory(name="Mercado Libre")
    draft_channel = f.SalesChannelFactory(name="Amazon")
    f.ListingFactory(product=rug, channel=shop, status=Listing.Status.LIVE, live_on=datetime.date(2025, 1, 1),
                     url="https://shop.example/tapete")
    f.ListingFactory(product=rug, channel=draft_channel, status=Listing.Status.DRAFT, url="https://amazon.example/x")
    f.ListingFactory(product=f.ProductFactory(enterprise=producer), channel=shop, status=Listing.Status.LIVE,
                     live_on=datetime.date(2025, 1, 1), url="javascript:alert(1)")
    body = client.get(url(world.village)).content.decode()
    assert "Tapete zapoteca" in body
    assert 'href="https://shop.example/tapete"' in body
    assert "amazon.example" not in body
    assert "javascript:alert" not in body
    assert 'src="https://img.example/tapete.jpg"' in body


def test_page_shows_the_figures_only_from_five_msmes(client, world):
    village = f.VillageFactory(programme=world.programme)
    make_producers(village, 4, women_led=4)
    small = client.get(url(village))
    assert small.context["figures"] == village_figures(village, today=small.context["figures"].period_end)
    assert "Producers in the programme" not in small.content.decode()
    make_producers(village, 1)
    large = client.get(url(village))
    assert large.context["figures"].producers == 5
    body = large.content.decode()
    assert "Producers in the programme" in body
    assert "80 %" in body  # four of five women-led
    assert large.context["figures"].online_sales == Decimal("1005.00")


def test_list_shows_public_villages_with_their_consenting_producers(client, world):
    make_producers(world.village, 2)
    make_producers(world.village, 1, consent=False)
    response = client.get("/aldeas/")
    counts = {v.slug: v.producers for v in response.context["page"].object_list}
    assert counts[world.village.slug] == 2
    assert counts[world.second_village.slug] == 0


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow(village, size):
    for producer in make_producers(village, size):
        for _ in range(size):
            product = f.ProductFactory(enterprise=producer, image_urls=["https://img.example/p.jpg"])
            f.ListingFactory(product=product, status=Listing.Status.LIVE, live_on=datetime.date(2025, 1, 1),
                             url="https://shop.example/p")


@pytest.mark.parametrize("path", ["village", "list"])
def test_query_count_does_not_grow_with_the_data(path, client, world):
    target = url(world.village) if path == "village" else "/aldeas/"
    _grow(world.village, 2)
    small = _queries(client, target)
    _grow(world.village, 8)
    f.VillageFactory.create_batch(5, programme=world.programme)
    large = _queries(client, target)
    assert small == large <= 15


def test_signed_in_person_sees_the_same_public_page(client, world):
    client.force_login(type(world.manager).objects.get(pk=world.manager.pk))
    assert client.get(url(world.village)).status_code == 200


@pytest.mark.parametrize(("status", "shown"), [("candidate", False), ("selected", True), ("active", True),
                                               ("graduated", True)])
def test_is_on_show_by_status(status, shown):
    from aldea.programmes.models import Village

    assert showcase_queries.is_on_show(Village(status=status)) is shown
    assert showcase_queries.is_on_show(None) is False


def test_an_anonymous_visitor_at_the_home_page_finds_the_way_to_the_showcase(client, db, settings):
    settings.LANGUAGE_CODE = "es-mx"
    response = client.get("/", follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert '<a href="/aldeas/">vea las aldeas digitales y sus productos</a>' in html
    # In the header too, on every page an anonymous visitor sees.
    assert '<a href="/aldeas/">Aldeas digitales</a>' in html
    assert client.get("/aldeas/").status_code == 200
