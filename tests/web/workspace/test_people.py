"""The People page: a manager's members, invitations, roles and ended access; and joining."""

import re

import pytest
from django.core import mail

from aldea.accounts.models import Invitation, Membership, Role
from tests import factories as f
from tests.conftest import make_persona

PASSWORD = "a-long-field-password-7"


def _url(world, name="workspace:people", *args):
    from django.urls import reverse

    return reverse(name, args=[world.programme.slug, *args])


def _membership(user, programme):
    return Membership.objects.get(person__user=user, programme=programme)


def test_manager_sees_the_programmes_members_and_not_the_others(world, login):
    response = login(world.manager).get(_url(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert str(world.trainer.person) in html and str(world.consultant.person) in html
    assert str(world.outsider.person) not in html


def test_people_link_sends_a_manager_to_their_programme(world, login):
    response = login(world.manager).get("/programme/people/")
    assert response.status_code == 302 and response["Location"] == _url(world)


def test_manager_of_a_second_programme_gets_404_and_a_trainer_403(world, login):
    other_manager = make_persona(Role.MANAGER, world.other)
    assert login(other_manager).get(_url(world)).status_code == 404
    assert login(world.trainer).get(_url(world)).status_code == 403
    membership = _membership(world.consultant, world.programme)
    assert login(other_manager).post(_url(world, "workspace:membership_end", membership.pk)).status_code == 404
    membership.refresh_from_db()
    assert membership.is_active


def test_invite_with_a_printed_code_then_join_with_it(world, login, client):
    response = login(world.manager).post(_url(world, "workspace:people_invite"), {
        "role": Role.TRAINER, "village": world.village.slug, "given_name": "Lupe", "email": ""})
    assert response.status_code == 200
    code = re.search(r'class="invitation-code">([A-Z0-9-]+)<', response.content.decode()).group(1)
    assert mail.outbox == []
    client.logout()
    typed = client.post("/accounts/join/", {"code": code.lower().replace("-", " ")})
    assert typed.status_code == 302
    page = client.get(typed["Location"])
    assert page.status_code == 200 and "Lupe" in page.content.decode()
    joined = client.post(typed["Location"], {"given_name": "Lupe", "family_name": "Ruiz", "username": "lupe",
                                             "password": PASSWORD})
    assert joined.status_code == 302
    membership = Membership.objects.get(person__user__username="lupe")
    assert (membership.role, membership.village) == (Role.TRAINER, world.village)
    assert client.get("/").status_code == 302  # signed in: sent to their home
    again = client.post("/accounts/join/", {"code": code})
    assert again.status_code == 400 and "already been used" in again.content.decode()


def test_invite_by_email_sends_the_link(world, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(world.manager).post(_url(world, "workspace:people_invite"), {
            "role": Role.CONSULTANT, "email": "ana@example.org"})
    assert response.status_code == 200
    assert mail.outbox[0].to == ["ana@example.org"] and "/accounts/join/" in mail.outbox[0].body


def test_a_bad_invitation_names_the_field(world, login):
    response = login(world.manager).post(_url(world, "workspace:people_invite"), {
        "role": Role.PARTNER, "email": "not-an-email"})
    assert response.status_code == 400
    assert "email" in response.content.decode().lower()
    response = login(world.manager).post(_url(world, "workspace:people_invite"), {"role": Role.PARTNER})
    assert response.status_code == 400 and "organisation" in response.content.decode()
    assert not Invitation.objects.exists()


def test_join_page_with_a_bad_password_keeps_the_code(world, client):
    from aldea.accounts.invitations import invite, pending_invitation

    _invitation, code = invite(user=world.manager, programme=world.programme, role=Role.CONSULTANT)
    response = client.post(f"/accounts/join/{code}/", {"given_name": "X", "username": "x", "password": "1"})
    assert response.status_code == 400
    assert pending_invitation(code)


def test_manager_ends_access_and_changes_a_role(world, login):
    client = login(world.manager)
    trainer = _membership(world.trainer, world.programme)
    consultant = _membership(world.consultant, world.programme)
    assert client.post(_url(world, "workspace:membership_role", trainer.pk), {"role": Role.ANALYST}).status_code == 302
    assert client.post(_url(world, "workspace:membership_end", consultant.pk)).status_code == 302
    trainer.refresh_from_db()
    consultant.refresh_from_db()
    assert trainer.role == Role.ANALYST and not consultant.is_active
    # the ended consultant's pages now hold nothing of the programme
    assert login(world.consultant).get(f"/msmes/{world.village_msme.code}/").status_code == 404


def test_a_staff_accounts_membership_is_not_the_managers_to_change(world, login):
    staff_membership = f.MembershipFactory(person=f.PersonFactory(user=world.staff), role=Role.ANALYST,
                                           programme=world.programme)
    response = login(world.manager).post(_url(world, "workspace:membership_end", staff_membership.pk))
    assert response.status_code == 403
    staff_membership.refresh_from_db()
    assert staff_membership.is_active


def test_a_person_with_roles_in_two_programmes_is_changed_only_in_the_managers_one(world, login):
    person = world.trainer.person
    second = f.MembershipFactory(person=person, role=Role.CONSULTANT, programme=world.other, village=world.other_village)
    other_manager = make_persona(Role.MANAGER, world.other)
    first = _membership(world.trainer, world.programme)
    page = login(other_manager).get(f"/programme/{world.other.slug}/people/").content.decode()
    assert f"/people/{second.pk}/end/" in page and f"/people/{first.pk}/" not in page
    assert login(other_manager).post(_url(world, "workspace:membership_end", first.pk)).status_code == 404
    assert login(other_manager).post(f"/programme/{world.other.slug}/people/{second.pk}/end/").status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_active and not second.is_active


@pytest.mark.parametrize("language,word", [("es-mx", "Invitar"), ("pt-br", "Convidar")])
def test_the_page_speaks_spanish_and_portuguese(world, login, settings, language, word):
    settings.LANGUAGE_CODE = language
    response = login(world.manager).get(_url(world), HTTP_ACCEPT_LANGUAGE=language)
    assert word in response.content.decode()


def test_a_member_enrolled_from_a_list_is_invited_to_sign_in_from_their_row(world, login):
    student = f.PersonFactory(given_name="Ana")
    membership = f.MembershipFactory(person=student, role=Role.CONSULTANT, programme=world.programme,
                                     village=world.village)
    client = login(world.manager)
    assert "Invite to sign in" in client.get(_url(world)).content.decode()
    response = client.post(_url(world, "workspace:people_invite"), {
        "person": student.pk, "role": membership.role, "village": world.village.slug})
    assert response.status_code == 200
    assert Invitation.objects.get().person == student


def test_a_person_of_another_programme_cannot_be_named_in_an_invitation(world, login):
    response = login(world.manager).post(_url(world, "workspace:people_invite"), {
        "person": world.outsider.person.pk, "role": Role.CONSULTANT})
    assert response.status_code == 400 and not Invitation.objects.exists()


def _add_consultants(world, n, family_name="Pérez"):
    for i in range(n):
        f.MembershipFactory(person=f.PersonFactory(family_name=f"{family_name} {i:03d}"), role=Role.CONSULTANT,
                            programme=world.programme, village=world.village)


def _names_shown(response):
    return [row["membership"].person.family_name for row in response.context["rows"]]


def test_members_come_50_a_page_and_every_one_is_on_some_page(world, login):
    _add_consultants(world, 60)
    client = login(world.manager)
    first = client.get(_url(world))
    second = client.get(_url(world) + "?page=2")
    total = Membership.objects.filter(programme=world.programme).count()
    assert len(first.context["rows"]) == 50 and len(second.context["rows"]) == total - 50
    assert {r["membership"].pk for r in first.context["rows"] + second.context["rows"]} == set(
        Membership.objects.filter(programme=world.programme).values_list("pk", flat=True))
    assert 'rel="next"' in first.content.decode() and 'rel="prev"' in second.content.decode()


def test_members_can_be_narrowed_to_a_role_and_a_name_across_pages(world, login):
    _add_consultants(world, 55)
    _add_consultants(world, 3, family_name="Zapata")
    client = login(world.manager)
    consultants = client.get(_url(world) + "?role=consultant")
    assert {r["membership"].role for r in consultants.context["rows"]} == {Role.CONSULTANT}
    assert "role=consultant" in consultants.content.decode().split('rel="next"')[0].rsplit("href=", 1)[1]
    zapatas = client.get(_url(world) + "?role=consultant&q=zapa")
    assert sorted(_names_shown(zapatas)) == ["Zapata 000", "Zapata 001", "Zapata 002"]
    assert "Nobody matches." in client.get(_url(world) + "?q=nobody-by-this-name").content.decode()


def test_a_team_is_listed_by_name_and_a_national_list_in_the_order_people_joined(world, login, monkeypatch):
    _add_consultants(world, 3, family_name="Zapata")
    _add_consultants(world, 3, family_name="Alvarado")
    client = login(world.manager)
    by_name = _names_shown(client.get(_url(world) + "?role=consultant"))
    assert by_name.index("Alvarado 000") < by_name.index("Zapata 000")
    monkeypatch.setattr("aldea.workspace.views.people.MEMBERS_SORTED_BY_NAME", 2)
    joined = _names_shown(client.get(_url(world) + "?role=consultant"))
    assert joined.index("Zapata 000") < joined.index("Alvarado 000")
