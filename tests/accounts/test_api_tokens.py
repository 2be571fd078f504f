"""API tokens expire, can be revoked, die with a password change, and are stored as digests."""

from datetime import timedelta

import pytest
from django.utils import timezone

from aldea.accounts.credentials import ApiToken
from aldea.accounts.tokens import issue_token
from tests.factories import PASSWORD


def get_token(client, username="manager", password=PASSWORD, **extra):
    response = client.post("/api/auth/token/", {"username": username, "password": password, **extra})
    assert response.status_code == 200, response.content
    return response.json()


def programmes(client, key):
    return client.get("/api/programmes/", HTTP_AUTHORIZATION=f"Token {key}")


def test_a_token_authenticates_until_it_expires(world, client, settings):
    body = get_token(client)
    assert programmes(client, body["token"]).status_code == 200
    expires_at = timezone.datetime.fromisoformat(body["expires_at"])
    assert timedelta(days=settings.API_TOKEN_DAYS - 1) < expires_at - timezone.now() <= timedelta(days=settings.API_TOKEN_DAYS)

    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = programmes(client, body["token"])
    assert response.status_code == 401 and response.json()["detail"] == "Invalid token."


def test_delete_revokes_the_token_it_is_sent_with_and_no_other(world, client):
    first, second = get_token(client)["token"], get_token(client)["token"]

    response = client.delete("/api/auth/token/", HTTP_AUTHORIZATION=f"Token {first}")

    assert response.status_code == 204
    assert programmes(client, first).status_code == 401
    assert programmes(client, second).status_code == 200


def test_delete_without_a_token_is_refused(world, client):
    client.force_login(world.manager)
    assert client.delete("/api/auth/token/").status_code == 401


def test_a_password_change_ends_every_token(world, client):
    key = get_token(client)["token"]
    world.manager.set_password("a-new-Passphrase-2026")
    world.manager.save()

    assert programmes(client, key).status_code == 401
    assert not ApiToken.objects.filter(user=world.manager).exists()  # deleted once seen dead


def test_a_deactivated_user_s_token_stops_working(world, client):
    key = get_token(client)["token"]
    world.manager.is_active = False
    world.manager.save()
    assert programmes(client, key).status_code == 401


def test_the_key_is_not_stored_only_its_digest(world):
    token, key = issue_token(user=world.manager)
    row = ApiToken.objects.get(pk=token.pk)
    assert key not in {row.key_digest, row.key_prefix} and row.key_prefix == key[:8]
    assert len(key) >= 40


@pytest.mark.parametrize("header", ["Token ", "Token not-a-real-key", "Token " + "x" * 40])
def test_unknown_keys_are_refused(world, client, header):
    assert client.get("/api/programmes/", HTTP_AUTHORIZATION=header).status_code == 401


def test_the_token_request_is_validated(world, client):
    response = client.post("/api/auth/token/", {"username": "manager"})
    assert response.status_code == 400 and "password" in response.json()
