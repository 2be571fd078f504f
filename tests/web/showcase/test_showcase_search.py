"""The village showcase's photos, search box and category filter (plain GET, no JavaScript
needed), and its short pages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aldea.enterprises.services import add_product_photo
from aldea.outcomes.models import Listing
from aldea.showcase import views as showcase_views
from tests import factories as f
from tests.photos import upload

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def village(world):
    ruiz = f.EnterpriseFactory(village=world.village, name="Tapetes Ruiz", has_showcase_consent=True)
    mendoza = f.EnterpriseFactory(village=world.village, name="Textiles Mendoza", has_showcase_consent=True)
    hidden = f.EnterpriseFactory(village=world.village, name="Taller sin consentimiento")
    f.ProductFactory(enterprise=ruiz, title="Tapete de lana", category="Hogar > Tapetes")
    f.ProductFactory(enterprise=ruiz, title="Cojín bordado", category="Hogar > Cojines",
                     description="Relleno de lana de borrego.")
    f.ProductFactory(enterprise=mendoza, title="Rebozo de algodón", category="Ropa > Rebozos")
    f.ProductFactory(enterprise=hidden, title="Tapete oculto", category="Hogar > Ocultos")
    return world.village


def get(client, village, **params):
    return client.get(f"/aldeas/{village.slug}/", params)


def titles(response):
    return [p.title for p in response.context["page"].object_list]


def test_search_finds_products_by_title_description_and_producer(client, village):
    assert titles(get(client, village, q="tapete de")) == ["Tapete de lana"]
    assert titles(get(client, village, q="BORREGO")) == ["Cojín bordado"]
    assert titles(get(client, village, q="mendoza")) == ["Rebozo de algodón"]
    # The producer's name matches all her products; a hidden producer's never show.
    assert titles(get(client, village, q="tapete")) == ["Cojín bordado", "Tapete de lana"]
    body = get(client, village, q="tapete de").content.decode()
    assert "1 product found." in body and "Tapete oculto" not in body
    assert 'value="tapete de"' in body  # the box keeps what was typed


def test_category_filter_lists_only_the_categories_on_show(client, village):
    response = get(client, village)
    assert response.context["categories"] == ["Hogar > Cojines", "Hogar > Tapetes", "Ropa > Rebozos"]
    assert "Hogar &gt; Ocultos" not in response.content.decode()
    assert titles(get(client, village, category="Hogar > Cojines")) == ["Cojín bordado"]
    assert titles(get(client, village, q="lana", category="Hogar > Tapetes")) == ["Tapete de lana"]


def test_an_unknown_category_is_ignored_and_the_producers_are_shown(client, village):
    response = get(client, village, category="Hogar > Ocultos")
    assert response.status_code == 200 and not response.context["searching"]
    assert [p.name for p in response.context["page"].object_list] == ["Tapetes Ruiz", "Textiles Mendoza"]


def test_a_search_with_no_match_says_so(client, village):
    body = get(client, village, q="zzz").content.decode()
    assert "0 products found." in body and "No product matches" in body


def test_the_search_works_as_a_plain_get_form(client, village):
    body = get(client, village).content.decode()
    form = body.split('role="search"', 1)[0].rsplit("<form", 1)[1] + body.split('role="search"', 1)[1].split("</form>", 1)[0]
    assert 'method="get"' in form and 'name="q"' in form and 'name="category"' in form and 'type="submit"' in form


def test_pages_are_short_and_the_pager_keeps_the_search(client, world, village, monkeypatch):
    monkeypatch.setattr(showcase_views, "RESULTS_PER_PAGE", 2)
    first = get(client, village, q="o")
    assert len(first.context["page"].object_list) == 2
    body = first.content.decode()
    assert 'href="?q=o&amp;page=2"' in body
    assert titles(get(client, village, q="o", page=2)) == ["Tapete de lana"]
    assert showcase_views.PRODUCERS_PER_PAGE <= 10


def test_the_showcase_shows_uploaded_thumbnails_and_links_each_product_page(client, world, village):
    product = world.village.enterprises.get(name="Tapetes Ruiz").products.get(title="Tapete de lana")
    photo = add_product_photo(user=world.manager, product=product, upload=upload(width=800, height=800))
    for response in (get(client, village), get(client, village, q="tapete")):
        body = response.content.decode()
        assert f'src="/photos/{photo.token}-thumb.webp"' in body
        assert f'href="/showcase/{village.slug}/{product.enterprise.code}/{product.sku}"' in body
    assert client.get(f"/showcase/{village.slug}/{product.enterprise.code}/{product.sku}").status_code == 200


def _queries(client, village, **params):
    with CaptureQueriesContext(connection) as ctx:
        assert get(client, village, **params).status_code == 200
    return len(ctx.captured_queries)


def _grow(world, village, size):
    for _ in range(size):
        producer = f.EnterpriseFactory(village=village, has_showcase_consent=True)
        for _ in range(size):
            product = f.ProductFactory(enterprise=producer, title="Tapete extra", category="Hogar > Tapetes")
            add_product_photo(user=world.manager, product=product, upload=upload(width=20, height=20))
            f.ListingFactory(product=product, status=Listing.Status.LIVE, live_on=datetime.date(2025, 1, 1),
                             url="https://shop.example/p")


@pytest.mark.parametrize("params", [{}, {"q": "tapete"}, {"category": "Hogar > Tapetes"}])
def test_query_count_does_not_grow_with_the_data(params, client, world, village):
    _grow(world, village, 2)
    small = _queries(client, village, **params)
    _grow(world, village, 4)
    large = _queries(client, village, **params)
    assert small == large <= 16


def test_the_search_speaks_spanish_first(client, village, settings):
    settings.LANGUAGE_CODE = "es-mx"
    body = get(client, village, q="tapete de").content.decode()
    assert "Buscar productos" in body and "Todas las categorías" in body and "1 producto encontrado." in body


def test_a_refused_photo_is_explained_in_spanish(world, login, settings):
    settings.LANGUAGE_CODE = "es-mx"
    response = login(world.msme_owner).post("/msmes/owned/products/add/", {
        "title": "Tapete", "sku": "T1", "price": "10", "stock": "1", "is_handmade": "on",
        "photo": upload(b"no es una foto"),
    })
    assert response.status_code == 400
    assert "Este archivo no es una foto que Aldea pueda leer" in response.content.decode()
