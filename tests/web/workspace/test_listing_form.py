"""Adding and changing a product's listing on a channel from the MSME profile."""

import pytest

from aldea.accounts.models import Role
from aldea.outcomes.models import Listing, SalesChannel
from tests import factories as f
from tests.conftest import make_persona

URL = "/msmes/{code}/listings/"


@pytest.fixture
def catalogue(world):
    channel = SalesChannel.objects.create(code="mercado-libre", name="Mercado Libre", kind="marketplace")
    product = f.ProductFactory(enterprise=world.village_msme, sku="TAP-01")
    return product, channel


VALID = {"product": "TAP-01", "channel": "mercado-libre", "status": "live", "url": "https://example.com/tap-01"}


@pytest.mark.parametrize("name", ["consultant", "manager"])
def test_consultant_and_manager_add_then_change_a_listing(name, world, personas, catalogue, login):
    client = login(personas[name])
    assert client.get(URL.format(code="village-msme")).status_code == 200
    assert client.post(URL.format(code="village-msme"), VALID).status_code == 302
    listing = Listing.objects.get(product=catalogue[0], channel=catalogue[1])
    assert (listing.status, listing.url, listing.live_on is not None) == ("live", VALID["url"], True)
    assert client.post(URL.format(code="village-msme"), {**VALID, "status": "paused", "url": ""}).status_code == 302
    listing.refresh_from_db()
    assert (Listing.objects.count(), listing.status) == (1, "paused")


def test_another_villages_consultant_and_a_second_programmes_manager_get_404(world, catalogue, login):
    for user in (make_persona(Role.CONSULTANT, world.programme, village=world.second_village),
                 make_persona(Role.MANAGER, world.other)):
        assert login(user).post(URL.format(code="village-msme"), VALID).status_code == 404
    assert not Listing.objects.exists()


def test_analyst_is_forbidden(world, catalogue, login):
    assert login(world.analyst).post(URL.format(code="village-msme"), VALID).status_code == 403


@pytest.mark.parametrize(("change", "field"), [({"url": "not a url"}, "url"), ({"url": ""}, "url"),
                                               ({"product": "NOPE"}, "product"), ({"status": "gone"}, "status")])
def test_bad_input_is_refused_beside_its_field(change, field, world, catalogue, login):
    response = login(world.consultant).post(URL.format(code="village-msme"), {**VALID, **change})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert not Listing.objects.exists()


def test_a_product_of_another_msme_cannot_be_listed_here(world, catalogue, login):
    f.ProductFactory(enterprise=world.owned_msme, sku="OTHER-1")
    response = login(world.consultant).post(URL.format(code="village-msme"), {**VALID, "product": "OTHER-1"})
    assert response.status_code == 400
