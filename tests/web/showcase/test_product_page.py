"""A product's public page at the address the feeds link to, and the photos' public files."""

import datetime
from decimal import Decimal

import pytest

from aldea.enterprises.services import add_product_photo
from aldea.outcomes.models import Listing
from tests import factories as f
from tests.photos import upload

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def rug(world):
    producer = f.EnterpriseFactory(village=world.village, code="tapetes-ruiz", name="Tapetes Ruiz",
                                   has_showcase_consent=True)
    return f.ProductFactory(enterprise=producer, sku="TAP 1/2", title="Tapete zapoteca", price=Decimal("2450.50"),
                            description="Lana teñida con grana cochinilla.")


def page(product):
    return f"/showcase/{product.enterprise.village.slug}/{product.enterprise.code}/{product.sku.replace(' ', '%20')}"


def test_the_product_page_shows_photo_name_price_description_and_live_listings(client, world, rug):
    photo = add_product_photo(user=world.manager, product=rug, upload=upload(width=900, height=900))
    shop = f.SalesChannelFactory(name="Mercado Libre")
    f.ListingFactory(product=rug, channel=shop, status=Listing.Status.LIVE, live_on=datetime.date(2025, 1, 1),
                     url="https://shop.example/tapete")
    f.ListingFactory(product=rug, channel=f.SalesChannelFactory(name="Amazon"), status=Listing.Status.DRAFT,
                     url="https://amazon.example/x")
    response = client.get(page(rug))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tapete zapoteca" in body and "2,450.50 MXN" in body and "Lana teñida con grana cochinilla." in body
    assert f'src="/photos/{photo.token}.jpg"' in body
    assert 'href="https://shop.example/tapete"' in body and "Buy on Mercado Libre" in body
    assert "amazon.example" not in body
    assert f'href="/aldeas/{world.village.slug}/"' in body


def test_the_share_card_uses_the_public_address(client, world, rug, settings):
    settings.PUBLIC_URL = "https://aldea.example.mx"
    photo = add_product_photo(user=world.manager, product=rug, upload=upload(width=900, height=900))
    body = client.get(page(rug)).content.decode()
    assert f'<meta property="og:image" content="https://aldea.example.mx/photos/{photo.token}.jpg">' in body
    assert f'<link rel="canonical" href="https://aldea.example.mx{page(rug)}">' in body


def test_a_product_with_only_a_photo_url_shows_it(client, rug):
    rug.image_urls = ["https://img.example/tapete.jpg"]
    rug.save()
    assert 'src="https://img.example/tapete.jpg"' in client.get(page(rug)).content.decode()


def test_products_not_on_show_are_not_found(client, world, rug):
    private = f.ProductFactory(enterprise=f.EnterpriseFactory(village=world.village, code="privada"), sku="P1")
    assert client.get(page(private)).status_code == 404
    candidate = f.VillageFactory(programme=world.programme, status="candidate")
    hidden = f.ProductFactory(enterprise=f.EnterpriseFactory(village=candidate, code="candidata",
                                                             has_showcase_consent=True), sku="C1")
    assert client.get(page(hidden)).status_code == 404
    # The right product under another village's address is no page either.
    assert client.get(page(rug).replace(world.village.slug, world.second_village.slug)).status_code == 404
    assert client.get(page(rug) + "-no").status_code == 404


def test_signed_in_people_see_the_same_public_page(client, world, rug):
    client.force_login(world.outsider)
    assert client.get(page(rug)).status_code == 200


# --- photo files -----------------------------------------------------------------------------


def test_a_photo_of_a_product_on_show_is_public_and_cached(client, world, rug):
    photo = add_product_photo(user=world.manager, product=rug, upload=upload(width=900, height=600))
    response = client.get(f"/photos/{photo.token}.jpg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"].startswith("public")
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    thumbnail = client.get(f"/photos/{photo.token}-thumb.webp")
    assert (thumbnail.status_code, thumbnail["Content-Type"]) == (200, "image/webp")
    assert len(b"".join(thumbnail.streaming_content)) < photo.image.size


@pytest.mark.parametrize(("name", "status"), [(None, 404), ("outsider", 404), ("msme_owner", 200), ("consultant", 200)])
def test_a_photo_of_a_private_product_is_seen_only_by_those_who_see_the_product(name, status, world, personas, login):
    product = f.ProductFactory(enterprise=world.owned_msme)  # no showcase consent
    photo = add_product_photo(user=world.manager, product=product, upload=upload(width=50, height=50))
    response = login(personas[name] if name else None).get(f"/photos/{photo.token}.jpg")
    assert response.status_code == status
    if status == 200:
        assert response["Cache-Control"].startswith("private")


def test_an_unknown_photo_is_not_found(client, db):
    assert client.get("/photos/nosuchphoto.jpg").status_code == 404
