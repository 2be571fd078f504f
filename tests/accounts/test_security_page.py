"""The user's page of signed-in browsers and API tokens: list, end, revoke, create."""

from django.contrib.sessions.models import Session
from django.test import Client

from aldea.accounts.credentials import ApiToken, SignedInSession
from aldea.accounts.tokens import issue_token
from tests.factories import PASSWORD


def log_in(username):
    client = Client(HTTP_USER_AGENT=f"Browser of {username}")
    assert client.post("/accounts/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def test_the_page_lists_the_user_s_sessions_and_tokens_only(world):
    phone, laptop = log_in("manager"), log_in("manager")
    log_in("analyst")
    issue_token(user=world.manager, name="Kobo sync")
    issue_token(user=world.analyst, name="someone else's")

    page = laptop.get("/accounts/security/")

    assert page.status_code == 200
    assert [s.user_id for s in page.context["sessions"]] == [world.manager.pk] * 2
    assert [t.name for t in page.context["tokens"]] == ["Kobo sync"]
    assert page["Cache-Control"].count("no-store") == 1
    del phone


def test_ending_another_session_signs_that_browser_out(world):
    phone, laptop = log_in("manager"), log_in("manager")
    phone_session = SignedInSession.objects.get(session_key=phone.session.session_key)

    response = laptop.post(f"/accounts/security/sessions/{phone_session.pk}/end/")

    assert response.status_code == 302
    assert phone.get("/accounts/security/").status_code == 302  # back to the login page
    assert laptop.get("/accounts/security/").status_code == 200
    assert not Session.objects.filter(session_key=phone_session.session_key).exists()


def test_nobody_ends_or_revokes_what_is_not_theirs(world):
    theirs = log_in("analyst")
    their_session = SignedInSession.objects.get(session_key=theirs.session.session_key)
    their_token, _key = issue_token(user=world.analyst)
    mine = log_in("manager")

    assert mine.post(f"/accounts/security/sessions/{their_session.pk}/end/").status_code == 404
    assert mine.post(f"/accounts/security/tokens/{their_token.pk}/revoke/").status_code == 404
    assert theirs.get("/accounts/security/").status_code == 200
    assert ApiToken.objects.filter(pk=their_token.pk).exists()


def test_a_token_made_on_the_page_is_shown_once_and_works(world):
    client = log_in("manager")
    page = client.post("/accounts/security/", {"name": "Field laptop"})
    key = page.context["new_key"]

    assert key and key in page.content.decode()
    assert client.get("/accounts/security/").content.decode().count(key) == 0
    api = Client().get("/api/programmes/", HTTP_AUTHORIZATION=f"Token {key}")
    assert api.status_code == 200

    token = ApiToken.objects.get(user=world.manager, name="Field laptop")
    assert client.post(f"/accounts/security/tokens/{token.pk}/revoke/").status_code == 302
    assert Client().get("/api/programmes/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_a_password_change_signs_out_the_other_browsers(world):
    phone, laptop = log_in("manager"), log_in("manager")
    response = laptop.post("/accounts/password/change/", {
        "old_password": PASSWORD, "new_password1": "Otra-Clave-de-campo-77", "new_password2": "Otra-Clave-de-campo-77",
    })
    assert response.status_code == 302
    assert phone.get("/accounts/security/").status_code == 302
    page = laptop.get("/accounts/security/")
    assert page.status_code == 200 and len(page.context["sessions"]) == 1
