"""Setting up a programme from the web: the wizard, its targets and its villages."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from aldea.accounts.models import Membership, Role
from aldea.programmes.models import IndicatorTarget, Programme, Village, VillageStatus
from aldea.workspace.views.setup import _municipalities_of, find_municipalities
from tests import factories as f

NEW = reverse("workspace:programme_new")


@pytest.fixture
def superuser(db):
    return f.UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def mexico(db):
    _municipalities_of.cache_clear()
    country = f.CountryFactory(code="MX", name="México", currency="MXN")
    oaxaca = f.StateFactory(country=country, code="20", name="Oaxaca")
    for code, name in (("20546", "Teotitlán del Valle"), ("20553", "San Antonio Arrazola"),
                       ("20067", "Oaxaca de Juárez")):
        f.MunicipalityFactory(country=country, parent=oaxaca, code=code, name=name)
    return country


def wizard(**overrides):
    data = {"name": "Aldeas digitales Oaxaca", "country": "MX", "starts_on": "2026-01-01", "ends_on": "2027-12-31",
            "template": "digital-villages", "description": "", "slug": "", "currency": ""}
    data.update(overrides)
    return data


def test_the_first_superuser_of_a_new_installation_lands_on_the_wizard(login, superuser):
    response = login(superuser).get("/")
    assert response.status_code == 302 and response["Location"] == NEW


def test_only_staff_create_programmes(login, world):
    assert login(world.manager).get(NEW).status_code == 403
    assert login(world.manager).post(NEW, wizard()).status_code == 403


def test_the_wizard_creates_the_programme_its_indicators_and_its_first_manager(login, superuser, mexico):
    response = login(superuser).post(NEW, wizard())
    programme = Programme.objects.get(name="Aldeas digitales Oaxaca")
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:targets", args=[programme.slug])
    assert (programme.slug, programme.currency, programme.country.code) == ("aldeas-digitales-oaxaca", "MXN", "MX")
    assert programme.indicators.count() == 15
    assert programme.indicators.get(code="empleos").name == "Empleos en las MIPYMES participantes"
    assert Membership.objects.filter(person__user=superuser, programme=programme, role=Role.MANAGER).exists()


@pytest.mark.parametrize(("change", "field"), [
    ({"ends_on": "2025-12-31"}, "ends_on"),
    ({"currency": "PESOS"}, "currency"),
    ({"country": "ZZ"}, "country"),
    ({"name": ""}, "name"),
])
def test_the_wizard_refuses_bad_input_naming_the_field(login, superuser, mexico, change, field):
    response = login(superuser).post(NEW, wizard(**change))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Programme.objects.exists()


def test_a_taken_code_is_refused_and_nothing_is_created(login, superuser, mexico):
    f.ProgrammeFactory(slug="oaxaca")
    response = login(superuser).post(NEW, wizard(slug="oaxaca"))
    assert response.status_code == 400
    assert "taken" in response.content.decode()
    assert Programme.objects.count() == 1


def targets_url(programme, indicator=None):
    url = reverse("workspace:targets", args=[programme.slug])
    return f"{url}?indicator={indicator.code}" if indicator else url


def test_a_manager_sets_yearly_targets_for_the_programme_and_a_village(world, login, settings):
    settings.LANGUAGE_CODE = "pt-br"  # a decimal comma: "1.500" is a thousand five hundred
    world.programme.ends_on = datetime.date(2025, 12, 31)
    world.programme.save()
    indicator = f.IndicatorFactory(programme=world.programme, code="msmes")
    data = {"indicator": "msmes", "p-2024": "1.500", "p-2025": "2000", f"v{world.village.pk}-2025": "12,5"}
    response = login(world.manager).post(targets_url(world.programme), data)
    assert response.status_code == 302
    saved = {(t.village_id, t.period_start.year, t.target) for t in IndicatorTarget.objects.filter(indicator=indicator)}
    assert saved == {(None, 2024, Decimal(1500)), (None, 2025, Decimal(2000)), (world.village.pk, 2025, Decimal("12.5"))}
    # Emptying a cell removes its target.
    data["p-2024"] = ""
    login(world.manager).post(targets_url(world.programme), data)
    assert not IndicatorTarget.objects.filter(indicator=indicator, village=None, period_start__year=2024).exists()


def test_a_target_that_is_not_a_number_is_refused_and_nothing_is_saved(world, login):
    f.IndicatorFactory(programme=world.programme, code="msmes")
    response = login(world.manager).post(targets_url(world.programme), {"indicator": "msmes", "p-2024": "10",
                                                                        "p-2025": "muchos"})
    assert response.status_code == 400
    assert "muchos is not a number" in response.content.decode()
    assert not IndicatorTarget.objects.exists()


@pytest.mark.parametrize(("name", "status"), [("analyst", 403), ("partner", 403), ("outsider", 404)])
def test_targets_are_set_by_the_programmes_managers_only(world, login, name, status):
    f.IndicatorFactory(programme=world.programme, code="msmes")
    assert login(getattr(world, name)).get(targets_url(world.programme)).status_code == status


def test_municipalities_are_found_by_name_without_accents_or_case(mexico):
    assert [m["code"] for m in find_municipalities(mexico.id, "teotitlan")] == ["20546"]
    assert [m["code"] for m in find_municipalities(mexico.id, "OAXACA juarez")] == ["20067"]
    assert find_municipalities(mexico.id, "  ") == []


def test_a_manager_adds_a_candidate_village_found_by_municipality(world, login, mexico):
    programme = f.ProgrammeFactory(country=mexico)
    f.MembershipFactory(person=world.manager.person, role=Role.MANAGER, programme=programme)
    client = login(world.manager)
    options = client.get(reverse("workspace:municipality_search", args=[programme.slug]), {"q": "arrazola"})
    assert 'data-choose="20553"' in options.content.decode()
    response = client.post(reverse("workspace:village_new", args=[programme.slug]), {
        "name": "San Antonio Arrazola", "municipality": "20553", "speciality": "Alebrijes", "target_msmes": "40",
    })
    village = Village.objects.get(programme=programme)
    assert response.status_code == 302 and response["Location"] == reverse("workspace:village", args=[village.slug])
    assert (village.status, village.target_msmes, village.municipality.code) == (VillageStatus.CANDIDATE, 40, "20553")
    assert village.status_changes.get().changed_by == world.manager


def test_a_municipality_of_another_country_cannot_hold_the_village(world, login, mexico):
    programme = f.ProgrammeFactory(country=f.CountryFactory(code="BR", name="Brasil", currency="BRL"))
    f.MembershipFactory(person=world.manager.person, role=Role.MANAGER, programme=programme)
    response = login(world.manager).post(reverse("workspace:village_new", args=[programme.slug]), {
        "name": "Arrazola", "municipality": "20553", "speciality": "Alebrijes", "target_msmes": "40",
    })
    assert response.status_code == 400
    assert "municipality" in response.context["form"].errors
    assert not Village.objects.filter(programme=programme).exists()
