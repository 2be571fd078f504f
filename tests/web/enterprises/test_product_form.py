"""Adding and editing products: who may, validation beside the field, nothing saved on error."""

from decimal import Decimal

import pytest

from aldea.enterprises.models import Product
from tests import factories as f

ADD = "/msmes/{code}/products/add/"
VALID = {"title": "Tapete de lana", "sku": "TAP-01", "price": "1250.50", "stock": "3", "is_handmade": "on"}


def test_anonymous_is_sent_to_login(world, client):
    response = client.get(ADD.format(code="owned"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", ["consultant", "manager", "msme_owner", "staff"])
def test_people_who_keep_the_catalogue_add_a_product(name, world, personas, login):
    client = login(personas[name])
    assert client.get(ADD.format(code="owned")).status_code == 200
    response = client.post(ADD.format(code="owned"), VALID)
    assert response.status_code == 302
    product = Product.objects.get(enterprise=world.owned_msme, sku="TAP-01")
    assert product.price == Decimal("1250.50")
    assert product.currency == world.programme.currency
    assert product.is_handmade


@pytest.mark.parametrize("name", ["analyst", "partner", "trainer"])
def test_read_only_roles_are_forbidden(name, world, personas, login):
    client = login(personas[name])
    assert client.get(ADD.format(code="owned")).status_code == 403
    assert client.post(ADD.format(code="owned"), VALID).status_code == 403
    assert not Product.objects.filter(sku="TAP-01").exists()


@pytest.mark.parametrize(("name", "code"), [("outsider", "owned"), ("msme_owner", "village-msme"),
                                            ("consultant", "second-village-msme")])
def test_out_of_scope_msme_is_not_found(name, code, personas, login):
    client = login(personas[name])
    assert client.get(ADD.format(code=code)).status_code == 404
    assert client.post(ADD.format(code=code), VALID).status_code == 404
    assert not Product.objects.filter(sku="TAP-01").exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"price": "0"}, "price"),
        ({"price": "-5"}, "price"),
        ({"price": ""}, "price"),
        ({"gtin": "12ab5678"}, "gtin"),
        ({"gtin": "1234567"}, "gtin"),
        ({"gtin": "123456789012345"}, "gtin"),
        ({"is_handmade": ""}, "gtin"),
        ({"title": ""}, "title"),
        ({"image_urls": "not a url"}, "image_urls"),
    ],
)
def test_bad_input_shows_the_error_beside_the_field_and_saves_nothing(change, field, world, login):
    data = {**VALID, **change}
    if data.get("is_handmade") == "":
        del data["is_handmade"]
    response = login(world.consultant).post(ADD.format(code="owned"), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    body = response.content.decode()
    # The message sits in the field's own block, right after its input.
    field_block = body.split(f'id="id_{field}"', 1)[1].split('class="field"', 1)[0]
    assert 'class="errorlist' in field_block
    assert not Product.objects.filter(sku="TAP-01").exists()


def test_a_gtin_makes_handmade_optional(world, login):
    data = {**VALID, "gtin": "7501234567893"}
    del data["is_handmade"]
    assert login(world.consultant).post(ADD.format(code="owned"), data).status_code == 302
    assert Product.objects.get(sku="TAP-01").gtin == "7501234567893"


def test_duplicate_sku_is_rejected(world, login):
    f.ProductFactory(enterprise=world.owned_msme, sku="TAP-01")
    response = login(world.consultant).post(ADD.format(code="owned"), VALID)
    assert response.status_code == 400
    assert "sku" in response.context["form"].errors
    assert Product.objects.filter(sku="TAP-01").count() == 1


def test_same_sku_in_another_msme_is_fine(world, login):
    f.ProductFactory(enterprise=world.village_msme, sku="TAP-01")
    assert login(world.consultant).post(ADD.format(code="owned"), VALID).status_code == 302


def test_owner_edits_their_product(world, login):
    product = f.ProductFactory(enterprise=world.owned_msme, sku="A/B 1", price=Decimal(10))
    url = f"/msmes/owned/products/{product.sku}/edit/"
    client = login(world.msme_owner)
    assert client.get(url).status_code == 200
    response = client.post(url, {**VALID, "sku": "A/B 1", "price": "99.90"})
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.price == Decimal("99.90")
    assert product.title == VALID["title"]


def test_bad_edit_changes_nothing(world, login):
    product = f.ProductFactory(enterprise=world.owned_msme, sku="X1", price=Decimal(10), title="Antes")
    response = login(world.consultant).post("/msmes/owned/products/X1/edit/", {**VALID, "sku": "X1", "price": "0"})
    assert response.status_code == 400
    product.refresh_from_db()
    assert (product.price, product.title) == (Decimal(10), "Antes")


def test_editing_another_msmes_product_is_not_found(world, login):
    f.ProductFactory(enterprise=world.village_msme, sku="X1")
    assert login(world.msme_owner).get("/msmes/owned/products/X1/edit/").status_code == 404
    assert login(world.msme_owner).get("/msmes/village-msme/products/X1/edit/").status_code == 404


def test_profile_shows_add_button_only_to_editors(world, login, client):
    assert b"/products/add/" in login(world.msme_owner).get("/msmes/owned/").content
    client.logout()
    assert b"/products/add/" not in login(world.analyst).get("/msmes/owned/").content
