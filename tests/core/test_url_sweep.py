"""Every page asks for a login, except the few that are public on purpose."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Pages anyone may open: the public showcase (villages, product pages, product photos), certificate
# verification, health check, the web app's manifest and service worker, login, password reset,
# joining with an invitation code, language switch (the API, its schema and docs answer 401/403 or ask for a login).
PUBLIC = re.compile(
    r"^/(healthz|sw\.js|manifest\.webmanifest|accounts/login/|accounts/logout/|accounts/password/reset/|accounts/join/|i18n/|aldeas/|showcase/|photos/|verify/|static/|territory/geo/)"
)


def walk(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def concrete(route: str) -> str:
    """A URL for a route, with every parameter filled with a value that exists nowhere."""
    route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "999999" if m.group(1) in {"pk", "id", "number"} else "nothing-here", route)
    route = route.lstrip("^").rstrip("$").replace("\\Z", "")
    return "/" + route


ROUTES = sorted(
    {concrete(r) for r in walk(get_resolver()) if not r.lstrip("^").startswith(("admin/", "api/")) and "(?P" not in r}
)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ROUTES)
def test_private_pages_redirect_anonymous_visitors_to_login(client, url):
    response = client.get(url)
    if PUBLIC.match(url):
        assert response.status_code in {200, 302, 404, 405}
    else:
        assert response.status_code == 302, f"{url} answered {response.status_code} to an anonymous visitor"
        assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_the_api_refuses_anonymous_clients(client):
    for url in ("/api/enterprises/", "/api/people/"):
        assert client.get(url).status_code in {401, 403, 404}
