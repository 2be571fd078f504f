"""Authentication, the OpenAPI schema, the interactive docs and the health check."""

import json

import pytest
from django.core.management import call_command

from tests.factories import PASSWORD


def test_token_endpoint_returns_a_token_that_authenticates(world, client):
    response = client.post("/api/auth/token/", {"username": "manager", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]

    listed = client.get("/api/programmes/", HTTP_AUTHORIZATION=f"Token {token}")

    assert listed.status_code == 200
    assert [row["slug"] for row in listed.json()["results"]] == ["main"]


def test_token_endpoint_refuses_a_wrong_password(world, client):
    response = client.post("/api/auth/token/", {"username": "manager", "password": "wrong"})
    assert response.status_code == 400
    assert "token" not in response.json()


def test_session_authentication_works(world, client):
    client.force_login(world.manager)
    assert client.get("/api/enterprises/").status_code == 200


def test_session_writes_need_the_csrf_token(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.manager)
    response = client.patch("/api/enterprises/village-msme/", json.dumps({"employees": 2}), content_type="application/json")
    assert response.status_code == 403


@pytest.mark.parametrize("url", ["/api/", "/api/enterprises/", "/api/countries/", "/api/people/"])
def test_anonymous_users_are_refused(url, db, client):
    assert client.get(url).status_code in (401, 403)


def test_api_index_lists_every_resource(world, api_client_for):
    from tests.api.resources import RESOURCES

    index = api_client_for(world.manager).get("/api/").json()
    assert {r.endpoint for r in RESOURCES} <= index.keys()


def test_schema_is_openapi_3_json(world, client):
    client.force_login(world.analyst)
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/enterprises/{code}/" in schema["paths"]
    assert "/api/areas/{key}/" in schema["paths"]


def test_schema_validates_without_warnings(db, tmp_path):
    # --fail-on-warn turns every drf-spectacular warning (an unresolvable field, a clashing
    # component name) into a failure; --validate checks the result against the OpenAPI 3 spec.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert (tmp_path / "schema.yml").stat().st_size > 10_000


def test_docs_page_serves_swagger_ui_from_the_package(world, client):
    client.force_login(world.analyst)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui" in page
    assert "cdn." not in page and "unpkg.com" not in page and "jsdelivr" not in page
    # Its script comes from its own URL, so no inline script needs the CSP's permission.
    assert "<script>" not in page
    assert client.get("/api/docs/", {"script": ""}).status_code == 200


def test_schema_and_docs_are_for_signed_in_users_only(db, client):
    assert client.get("/api/schema/", {"format": "json"}).status_code == 401
    response = client.get("/api/docs/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_healthz_answers_200_when_the_database_answers(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "worker": "absent"}
