"""A JSON body nested thousands of levels deep is refused as malformed (400), never a 500."""

import json

import pytest

from aldea.core.parsers import MAX_JSON_DEPTH, json_depth_exceeds
from tests.api.resources import RESOURCES
from tests.factories import PASSWORD

WRITABLE = [resource for resource in RESOURCES if not resource.read_only]
# Deep enough that Python's json decoder raises RecursionError (its limit is about 1,000).
DEEP_ARRAY = "[" * 5000 + "]" * 5000
DEEP_OBJECT = '{"a":' * 5000 + "1" + "}" * 5000


def _refused_as_too_deep(response):
    assert response.status_code == 400, response.content[:300]
    assert f"more than {MAX_JSON_DEPTH} levels deep" in response.json()["detail"]


@pytest.mark.parametrize("resource", WRITABLE, ids=str)
def test_every_create_refuses_a_body_nested_5000_levels_deep(resource, world, api_client_for):
    client = api_client_for(world.staff)
    response = client.post(f"/api/{resource.endpoint}/", DEEP_ARRAY, content_type="application/json")
    _refused_as_too_deep(response)


@pytest.mark.parametrize("endpoint", ["enterprises", "outcome-records", "assessments", "people"])
def test_updates_refuse_a_deeply_nested_object(endpoint, world, api_client_for):
    from tests.api.resources import BY_ENDPOINT

    resource = BY_ENDPOINT[endpoint]
    row = resource.make(world)
    client = api_client_for(world.staff)
    for method in (client.patch, client.put):
        response = method(f"/api/{endpoint}/{resource.key(row)}/", DEEP_OBJECT, content_type="application/json")
        _refused_as_too_deep(response)


def test_the_token_endpoint_refuses_a_deep_body(world, client):
    _refused_as_too_deep(client.post("/api/auth/token/", DEEP_ARRAY, content_type="application/json"))
    # Its ordinary JSON body still works.
    body = json.dumps({"username": "manager", "password": PASSWORD})
    assert client.post("/api/auth/token/", body, content_type="application/json").status_code == 200


def test_a_body_parseable_but_past_the_limit_is_refused_too(world, api_client_for):
    # 100 levels parse without recursion trouble, but would travel on into serializers and
    # JSON columns: the limit is the API's, not the decoder's.
    body = json.dumps({"code": "x", "image_urls": json.loads("[" * 100 + "]" * 100)})
    response = api_client_for(world.staff).post("/api/products/", body, content_type="application/json")
    _refused_as_too_deep(response)


def test_ordinary_nesting_passes(world, api_client_for):
    body = {"enterprise": "village-msme", "sku": "A-1", "title": "Tapete", "price": "10.00",
            "image_urls": ["https://example.org/a.jpg"]}
    response = api_client_for(world.manager).post("/api/products/", body, format="json")
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize(("value", "deeper_than_two"), [
    ([], False), ([[1]], False), ({"a": [1, {"b": 2}]}, True), ([[[]]], True), ("[[[[", False),
])
def test_json_depth_counts_objects_and_arrays(value, deeper_than_two):
    assert json_depth_exceeds(value, 2) is deeper_than_two
