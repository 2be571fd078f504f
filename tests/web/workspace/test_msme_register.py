"""Registering an MSME on a phone form: who may, in which villages, and the checks."""

import pytest

from aldea.accounts.models import Role
from aldea.enterprises.models import Enterprise
from tests import factories as f
from tests.conftest import make_persona

URL = "/msmes/new/"
VALID = {"name": "Tejidos Lupita", "village": "teotitlan", "sector": "textiles", "employees": "2",
         "owner_given_name": "Guadalupe", "owner_family_name": "Ruiz", "owner_sex": "female",
         "owner_birth_year": "1984", "owner_phone": "+52 951 123 4567", "owner_has_contact_consent": "on"}


@pytest.mark.parametrize("name", ["consultant", "manager"])
def test_consultant_and_manager_register_an_msme_with_its_owner(name, world, personas, login):
    client = login(personas[name])
    assert client.get(URL).status_code == 200
    response = client.post(URL, VALID)
    assert response.status_code == 302
    enterprise = Enterprise.objects.get(name="Tejidos Lupita")
    assert response["Location"] == f"/msmes/{enterprise.code}/"
    assert (enterprise.programme, enterprise.village, enterprise.municipality) == (
        world.programme, world.village, world.village.municipality)
    assert enterprise.is_women_led and enterprise.employees == 2 and enterprise.group == "participant"
    owner = enterprise.owner
    assert (owner.given_name, owner.birth_year, owner.phone, owner.has_contact_consent) == (
        "Guadalupe", 1984, "+52 951 123 4567", True)
    assert owner.contact_consent_on is not None
    assert not enterprise.has_showcase_consent  # only when the owner says so


def test_the_owner_s_consent_puts_the_msme_on_the_showcase(world, personas, login):
    login(personas["consultant"]).post(URL, VALID | {"has_showcase_consent": "on"})
    assert Enterprise.objects.get(name="Tejidos Lupita").has_showcase_consent


def test_two_msmes_of_one_name_get_two_codes(world, login):
    client = login(world.manager)
    client.post(URL, VALID)
    client.post(URL, VALID)
    assert len(set(Enterprise.objects.filter(name="Tejidos Lupita").values_list("code", flat=True))) == 2


def test_consultant_registers_only_in_her_own_village(world, login):
    response = login(world.consultant).post(URL, {**VALID, "village": "santa-clara"})
    assert response.status_code == 400
    assert "village" in response.context["form"].errors
    assert not Enterprise.objects.filter(name="Tejidos Lupita").exists()


def test_manager_of_a_second_programme_cannot_register_in_the_first(world, login):
    client = login(make_persona(Role.MANAGER, world.other))
    response = client.post(URL, VALID)
    assert response.status_code == 400
    assert "village" in response.context["form"].errors
    assert not Enterprise.objects.filter(name="Tejidos Lupita").exists()


@pytest.mark.parametrize("name", ["msme_owner", "analyst", "trainer", "partner"])
def test_roles_that_do_not_register_are_forbidden(name, personas, login):
    client = login(personas[name])
    assert client.get(URL).status_code == 403
    assert client.post(URL, VALID).status_code == 403
    assert not Enterprise.objects.filter(name="Tejidos Lupita").exists()


def test_a_person_with_two_roles_registers_where_she_manages(world, login):
    user = make_persona(Role.ANALYST, world.programme)
    f.MembershipFactory(person=user.person, role=Role.MANAGER, programme=world.other)
    client = login(user)
    assert client.post(URL, VALID).status_code == 400
    assert client.post(URL, {**VALID, "village": "far-away"}).status_code == 302
    assert Enterprise.objects.get(name="Tejidos Lupita").programme == world.other


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"sector": "mining"}, "sector"),
        ({"employees": "0"}, "employees"),
        ({"owner_given_name": ""}, "owner_given_name"),
        ({"owner_birth_year": "1850"}, "owner_birth_year"),
        ({"owner_birth_year": "2999"}, "owner_birth_year"),
        ({"owner_phone": "call me"}, "owner_phone"),
        ({"owner_phone": ""}, "owner_phone"),
    ],
)
def test_bad_input_is_refused_beside_its_field(change, field, world, login):
    response = login(world.consultant).post(URL, {**VALID, **change})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert not Enterprise.objects.filter(name="Tejidos Lupita").exists()


def test_the_list_offers_registration_to_those_who_may(world, login):
    assert b"/msmes/new/" in login(world.consultant).get("/msmes/").content
    assert b"/msmes/new/" not in login(world.analyst).get("/msmes/").content
