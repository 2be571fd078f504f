"""The happy path of every endpoint: list, retrieve, create, update, delete (where allowed)."""

import datetime
from decimal import Decimal, InvalidOperation

import pytest

from tests.api.resources import RESOURCES

WRITABLE = [r for r in RESOURCES if not r.read_only]


def _url(resource, key=None):
    return f"/api/{resource.endpoint}/" + (f"{key}/" if key is not None else "")


def _echoes(got, sent):
    """The response echoes a sent value (``"40"`` and ``"40.00"`` are the same amount)."""
    if got == sent:
        return True
    try:
        return Decimal(str(got)) == Decimal(str(sent))
    except InvalidOperation:
        return False


def _same(stored, sent):
    if isinstance(stored, Decimal):
        return stored == Decimal(str(sent))
    if isinstance(stored, datetime.datetime):
        return stored == datetime.datetime.fromisoformat(sent)  # Python 3.11 reads the trailing Z
    if isinstance(stored, datetime.date):
        return stored.isoformat() == sent
    return stored == sent


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_list_and_retrieve_show_a_row_in_scope(resource, world, api_client_for):
    row = resource.make(world)
    client = api_client_for(world.manager)

    listing = client.get(_url(resource))
    assert listing.status_code == 200, listing.content
    # The largest tables page by cursor, without a count (aldea.core.api.CursorListPagination).
    assert {"next", "previous", "results"} <= listing.json().keys()
    assert listing.json().get("count", len(listing.json()["results"])) >= 1

    detail = client.get(_url(resource, resource.key(row)))
    assert detail.status_code == 200, detail.content


@pytest.mark.parametrize("resource", WRITABLE, ids=str)
def test_the_writer_creates_a_row(resource, world, api_client_for):
    client = api_client_for(getattr(world, resource.writer))
    payload = resource.payload(world)

    response = client.post(_url(resource), payload, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    for name, value in payload.items():
        if name in body and name != "answers" and not isinstance(value, list | dict):
            assert _echoes(body[name], value), name


@pytest.mark.parametrize("resource", [r for r in WRITABLE if r.changeable], ids=str)
def test_the_writer_updates_a_row_and_the_change_is_stored(resource, world, api_client_for):
    row = resource.make(world)
    client = api_client_for(getattr(world, resource.writer))

    response = client.patch(_url(resource, resource.key(row)), resource.change, format="json")

    assert response.status_code == 200, response.content
    row.refresh_from_db()
    for name, value in resource.change.items():
        assert _same(getattr(row, name), value), name


@pytest.mark.parametrize("resource", [r for r in WRITABLE if r.deletable], ids=str)
def test_the_writer_deletes_a_row(resource, world, api_client_for):
    row = resource.make(world)
    client = api_client_for(getattr(world, resource.writer))

    response = client.delete(_url(resource, resource.key(row)))

    assert response.status_code == 204, response.content
    assert not type(row).objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("resource", [r for r in RESOURCES if r.read_only or not r.deletable], ids=str)
def test_history_and_certificates_cannot_be_deleted(resource, world, api_client_for):
    row = resource.make(world)

    response = api_client_for(world.staff).delete(_url(resource, resource.key(row)))

    assert response.status_code == 405
    assert type(row).objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("resource", [r for r in RESOURCES if r.read_only], ids=str)
def test_history_cannot_be_written_even_by_staff(resource, world, api_client_for):
    row = resource.make(world)
    client = api_client_for(world.staff)

    assert client.post(_url(resource), {}, format="json").status_code == 405
    assert client.patch(_url(resource, resource.key(row)), {}, format="json").status_code == 405
