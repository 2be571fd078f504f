"""The OpenAPI schema documents what the API really answers: error statuses and nulls."""

import pytest

from aldea.core.openapi import reads_nullable_model_field
from tests import factories as f


@pytest.fixture
def schema(db, client):
    client.force_login(f.UserFactory())  # the schema is for signed-in users only
    return client.get("/api/schema/", {"format": "json"}).json()


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


def test_every_operation_documents_its_error_statuses(schema):
    undocumented = []
    for path, method, operation in _operations(schema):
        missing = {"400", "401", "403", "404", "409"} - operation["responses"].keys()
        if missing:
            undocumented.append(f"{method.upper()} {path}: {sorted(missing)}")
    assert undocumented == []
    assert len(list(_operations(schema))) > 150


def test_error_bodies_are_described(schema):
    components = schema["components"]["schemas"]
    assert components["Error"]["required"] == ["detail"]
    responses = schema["paths"]["/api/enterprises/{code}/"]["delete"]["responses"]
    assert responses["409"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert responses["400"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ValidationError"}


def test_the_success_responses_are_kept(schema):
    enterprise = schema["paths"]["/api/enterprises/{code}/"]
    assert "200" in enterprise["get"]["responses"] and "204" in enterprise["delete"]["responses"]
    assert "201" in schema["paths"]["/api/enterprises/"]["post"]["responses"]


@pytest.mark.parametrize(("component", "field"), [
    ("Attendance", "recorded_by"),
    ("Certificate", "issued_by"),
    ("StageChange", "changed_by"),
    ("VillageStatusChange", "changed_by"),
])
def test_who_recorded_a_change_is_declared_nullable(schema, component, field):
    # The user who recorded it may be gone (SET_NULL), or it came from an import.
    assert schema["components"]["schemas"][component]["properties"][field]["nullable"] is True


def test_fields_that_are_never_null_are_not_declared_nullable(schema):
    properties = schema["components"]["schemas"]["StageChange"]["properties"]
    assert "nullable" not in properties["engagement"] and "nullable" not in properties["to_stage"]


def test_nullability_follows_the_models_fields_through_relations():
    from aldea.consulting.api import StageChangeSerializer
    from aldea.training.api import AttendanceSerializer

    stage_change = StageChangeSerializer().fields
    assert reads_nullable_model_field(stage_change["changed_by"])
    assert not reads_nullable_model_field(stage_change["engagement"])
    assert reads_nullable_model_field(AttendanceSerializer().fields["recorded_by"])


def test_a_path_no_endpoint_serves_answers_the_apis_json_404(world, api_client_for):
    client = api_client_for(world.manager)
    for url in ["/api/enterprises/a.b/", "/api/no-such-resource/", "/api/enterprises/x/y/"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"detail": "Not found."}
    # The real routes, the schema and the docs are unaffected.
    assert client.get("/api/enterprises/").status_code == 200
    assert client.get("/api/schema/").status_code == 200
    assert f.EnterpriseFactory(code="here", village=world.village)
    assert client.get("/api/enterprises/here/").status_code == 200


def test_the_cascade_is_documented_as_the_list_it_answers(schema, world, api_client_for):
    documented = schema["paths"]["/api/villages/{slug}/cascade/"]["get"]["responses"]["200"]
    assert documented["content"]["application/json"]["schema"]["type"] == "array"
    assert isinstance(api_client_for(world.manager).get(f"/api/villages/{world.village.slug}/cascade/").json(), list)
