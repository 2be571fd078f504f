"""Spanish (Mexico) first, then Portuguese (Brazil) and English: the interface follows the choice."""

import pytest
from django.urls import reverse


@pytest.fixture
def spanish_default(settings):
    settings.LANGUAGE_CODE = "es-mx"


def test_a_manager_sees_the_overview_in_spanish_by_default(spanish_default, login, world):
    html = login(world.manager).get(reverse("workspace:overview")).content.decode()
    assert '<html lang="es-mx">' in html
    assert "Aldeas" in html and "Cerrar sesión" in html


def test_choosing_portuguese_switches_the_overview_and_it_stays_chosen(spanish_default, login, world):
    client = login(world.manager)
    response = client.post(reverse("set_language"), {"language": "pt-br", "next": reverse("workspace:overview")})
    assert response.status_code == 302
    html = client.get(reverse("workspace:overview")).content.decode()
    assert '<html lang="pt-br">' in html
    assert "Aldeias" in html and "Sair" in html
    # The next page too: the choice is kept in the language cookie.
    assert "Aldeias" in client.get(reverse("workspace:villages")).content.decode()


def test_english_is_available_from_the_switcher(spanish_default, login, world):
    client = login(world.manager)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("workspace:villages")).content.decode()
    assert '<html lang="en">' in html and "Log out" in html


def test_model_choices_are_translated_too(spanish_default, login, world):
    client = login(world.manager)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    world.village.status = "active"
    world.village.save()
    html = client.get(reverse("workspace:villages")).content.decode()
    assert "Active" in html and "Activa" not in html
