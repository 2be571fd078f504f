"""Error pages in the site's layout and the visitor's language, with a way home (issue 13).

DEBUG is off, as in production: Django then renders 400.html, 403.html, 403_csrf.html, 404.html
and 500.html instead of its debug pages.
"""

import pytest
from django.test import Client

HEADINGS = {
    400: {"es-mx": "Solicitud incorrecta", "pt-br": "Solicitação inválida", "en": "Bad request"},
    403: {"es-mx": "Sin permiso", "pt-br": "Sem permissão", "en": "Not allowed"},
    404: {"es-mx": "Página no encontrada", "pt-br": "Página não encontrada", "en": "Page not found"},
    500: {"es-mx": "Algo salió mal", "pt-br": "Algo deu errado", "en": "Something went wrong"},
}
HOME = {"es-mx": "Volver al inicio", "pt-br": "Voltar ao início", "en": "Back to the home page"}
EXPIRED = {"es-mx": "El formulario caducó", "pt-br": "O formulário expirou", "en": "The form has expired"}
PATHS = {400: "/test-errors/400/", 403: "/test-errors/403/", 404: "/no-such-page/", 500: "/test-errors/500/"}
LANGUAGES = ["es-mx", "pt-br", "en"]


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.web.errors.urls"


def assert_error_page(response, status, language, heading):
    html = response.content.decode()
    assert response.status_code == status
    assert f'<html lang="{language}">' in html
    assert '<header class="site">' in html and '<footer class="site">' in html
    assert f'<h1 id="error-heading">{heading}</h1>' in html
    assert f'<a class="btn" href="/">{HOME[language]}</a>' in html
    assert "Traceback" not in html and "a bug" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("status", sorted(PATHS))
def test_each_error_page_speaks_the_visitors_language(production, status, language):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)
    response = client.get(PATHS[status])
    assert_error_page(response, status, language, HEADINGS[status][language])


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_form_sent_without_its_csrf_token_explains_itself(production, language):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE=language)
    response = client.post("/accounts/login/", {"username": "someone", "password": "x"})
    assert_error_page(response, 403, language, EXPIRED[language])


@pytest.mark.django_db
def test_a_signed_in_users_404_keeps_the_navigation_and_the_language_switcher(production, login, world):
    client = login(world.manager)
    html = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="language-switcher"' in html and "Log out" in html


@pytest.mark.django_db
def test_a_500_page_has_no_language_switcher_without_a_csrf_token(production):
    html = Client(raise_request_exception=False).get(PATHS[500]).content.decode()
    assert 'id="language-switcher"' not in html
