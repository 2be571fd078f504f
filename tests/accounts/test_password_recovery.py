"""Password reset by email, and the one-time link a programme's manager makes for field staff."""

import re

import pytest
from django.core import mail
from django.test import Client

from aldea.accounts.models import Role
from aldea.accounts.recovery import LinkRefused, issue_password_link, users_recoverable_by
from tests import factories as f
from tests.conftest import make_persona
from tests.factories import PASSWORD

NEW_PASSWORD = "Campo-Teotitlan-2026"


def set_password_at(link, password=NEW_PASSWORD):
    client = Client()
    form = client.get(link, follow=True)  # Django swaps the token in the URL for a session one
    assert form.status_code == 200 and form.context["validlink"], form.content[:400]
    done = client.post(form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})
    return done


def logs_in(username, password):
    return Client().post("/accounts/login/", {"username": username, "password": password}).status_code == 302


def test_a_reset_email_carries_a_link_that_sets_a_new_password_once(world, client):
    world.consultant.email = "consultora@example.org"
    world.consultant.save()

    response = client.post("/accounts/password/reset/", {"email": "consultora@example.org"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["consultora@example.org"]
    link = re.search(r"https?://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    assert set_password_at(link).status_code == 302
    assert logs_in("consultant", NEW_PASSWORD) and not logs_in("consultant", PASSWORD)
    # Used once: the same link no longer works.
    assert Client().get(link, follow=True).context["validlink"] is False


def test_an_unknown_address_gets_the_same_answer_and_no_mail(world, client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302 and mail.outbox == []


def test_weak_passwords_are_refused_by_the_standard_validators(world):
    world.consultant.email = "c@example.org"
    world.consultant.save()
    link = issue_password_link(issuer=world.manager, user=world.consultant)
    for weak in ("12345678", "password", "consultant1"):
        response = set_password_at(link, weak)
        assert response.status_code == 200 and response.context["form"].errors, weak
    assert logs_in("consultant", PASSWORD)


def test_a_manager_makes_a_link_for_a_member_of_their_programme(world):
    client = Client()
    client.force_login(world.manager)
    page = client.get("/accounts/password-link/")
    assert page.status_code == 200
    choices = {u.username for u in page.context["form"].fields["user"].queryset}
    assert {"trainer", "consultant", "owner", "analyst", "partner"} <= choices
    assert {"outsider", "staff", "manager"}.isdisjoint(choices)

    made = client.post("/accounts/password-link/", {"user": "trainer"})

    link = made.context["link"]
    assert link.startswith("http://testserver/accounts/password/reset/")
    assert set_password_at(link.removeprefix("http://testserver")).status_code == 302
    assert logs_in("trainer", NEW_PASSWORD)


def test_a_manager_cannot_take_over_someone_who_also_works_in_another_programme(world):
    # The outsider's programme is not the manager's; once the outsider also joins the manager's
    # programme, the manager still must not reset them (they would get into the other programme).
    f.MembershipFactory(person=world.outsider.person, role=Role.CONSULTANT, programme=world.programme)
    assert world.outsider not in users_recoverable_by(world.manager)
    with pytest.raises(LinkRefused):
        issue_password_link(issuer=world.manager, user=world.outsider)
    client = Client()
    client.force_login(world.manager)
    assert client.post("/accounts/password-link/", {"user": "outsider"}).context["link"] is None


@pytest.mark.parametrize("issuer", ["analyst", "trainer", "consultant", "owner", "outsider"])
def test_only_managers_and_staff_see_the_link_page(world, issuer):
    user = {"owner": world.msme_owner}.get(issuer) or getattr(world, issuer)
    client = Client()
    client.force_login(user)
    assert client.get("/accounts/password-link/").status_code == 404
    with pytest.raises(LinkRefused):
        issue_password_link(issuer=user, user=world.trainer)


def test_nobody_makes_a_link_for_a_staff_account(world):
    staff_member = make_persona(Role.CONSULTANT, world.programme, username="staff-too")
    staff_member.is_staff = True
    staff_member.save()
    with pytest.raises(LinkRefused):
        issue_password_link(issuer=world.manager, user=staff_member)
