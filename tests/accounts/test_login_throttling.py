"""After 10 failed log-ins for one user name, every door refuses it for 15 minutes, even with the
right password: the login page, the API token endpoint and the admin."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import PASSWORD

LIMIT = 10


def fail(door, username, times):
    """``times`` wrong passwords; the tenth is already answered with the lock."""
    for attempt in range(1, times + 1):
        response = door(username, "not-the-password")
        expected = {429} if attempt >= LIMIT else {200, 400}
        assert response.status_code in expected, (attempt, response.status_code)


def login_page(client):
    return lambda username, password: client.post("/accounts/login/", {"username": username, "password": password})


def token_endpoint(client):
    return lambda username, password: client.post("/api/auth/token/", {"username": username, "password": password})


def admin_login(client):
    return lambda username, password: client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}
    )


DOORS = {"login page": login_page, "token endpoint": token_endpoint, "admin": admin_login}


@pytest.mark.parametrize("door_name", DOORS)
def test_ten_failures_lock_the_user_name_out_of_every_door_even_with_the_right_password(world, door_name):
    user = world.staff if door_name == "admin" else world.manager
    door = DOORS[door_name](Client())
    fail(door, user.username, LIMIT)

    refused = door(user.username, PASSWORD)

    assert refused.status_code == 429
    text = refused.content.decode()
    assert "Too many failed attempts" in text and "15 minutes" in text
    assert "_auth_user_id" not in Client().session  # nobody got in
    # The lock is the user name's, at every door: the other doors refuse it too.
    for other_name, other in DOORS.items():
        assert other(Client())(user.username, PASSWORD).status_code == 429, other_name


def test_nine_failures_then_the_right_password_still_logs_in(world, client):
    door = login_page(client)
    fail(door, "manager", LIMIT - 1)

    response = door("manager", PASSWORD)

    assert response.status_code == 302
    # A success clears the count: nine more failures do not lock.
    client.logout()
    fail(door, "manager", LIMIT - 1)
    assert door("manager", PASSWORD).status_code == 302


def test_the_lock_of_one_user_name_does_not_touch_another(world, client):
    fail(login_page(client), "manager", LIMIT)
    assert login_page(Client())("analyst", PASSWORD).status_code == 302


def test_the_cool_off_ends_after_15_minutes(world, client):
    from axes.models import AccessAttempt

    fail(login_page(client), "manager", LIMIT)
    assert login_page(Client())("manager", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    assert login_page(Client())("manager", PASSWORD).status_code == 302


def test_the_api_answers_the_lock_in_json(world, client):
    fail(token_endpoint(client), "manager", LIMIT)
    response = token_endpoint(client)("manager", PASSWORD)
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert "token" not in response.json() and "Too many failed attempts" in response.json()["detail"]


def test_the_login_page_shows_the_lock_as_an_error_on_the_form(world, client):
    fail(login_page(client), "manager", LIMIT)
    response = login_page(client)("manager", PASSWORD)
    assert response.status_code == 429
    assert b'role="alert"' in response.content and b'id="id_username"' in response.content
