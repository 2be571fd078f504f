"""Fixtures for page tests: a signed-in test client, and a real browser against a live server."""

import pytest


@pytest.fixture
def login(client):
    """``login(user)`` → the test client signed in as ``user`` (``None``: anonymous)."""

    def _login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return _login


# --- browser tests --------------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"


def htmx_is_served() -> bool:
    """Whether the static finders serve the vendored htmx (they do once STATICFILES_DIRS lists
    Aldea's own static folder); without it pages fall back to plain form posts."""
    from django.contrib.staticfiles import finders

    return bool(finders.find("vendor/htmx/htmx.min.js"))


@pytest.fixture
def browser_page(transactional_db, live_server, tmp_path, monkeypatch):
    """``browser_page(user, width=375)`` → a Playwright page of the system Chromium, signed in
    through the login form, and a ``shot(name)`` helper that saves a screenshot."""
    import os

    from django.db import connections
    from playwright import sync_api as playwright_api

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (.ci/run does)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between browser steps are still synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # The live server's request threads would keep their connections for CONN_MAX_AGE, and
    # PostgreSQL then refuses to drop the test database at the end of the session.
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    shots = os.environ.get("ALDEA_SCREENSHOT_DIR") or str(tmp_path)
    manager = playwright_api.sync_playwright().start()
    browser = manager.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])

    test_body_connections = []

    def open_page(user=None, *, width=375, password="secret-pass-123"):
        from aldea.accounts.models import User

        test_body_connections.append(connections["default"])
        page = browser.new_page(viewport={"width": width, "height": 900})
        if user is not None:
            stored = User.objects.get(pk=user.pk)
            stored.set_password(password)
            stored.save(update_fields=["password"])
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("#id_username", stored.username)
            page.fill("#id_password", password)
            page.click("form button[type=submit]")
            page.wait_for_load_state("networkidle")

        def shot(name):
            page.screenshot(path=os.path.join(shots, f"{name}.png"), full_page=True)

        page.shot = shot
        page.base = live_server.url
        return page

    yield open_page
    browser.close()
    manager.stop()
    # While Playwright runs, the test body's ORM calls get a Django connection of their own
    # (another async context); nothing else closes it, and PostgreSQL would then refuse to
    # drop the test database.
    for connection in test_body_connections:
        if connection is not connections["default"]:
            connection.close()


@pytest.fixture
def demo_programme(transactional_db):
    """A small demo programme (aldea.demo, 16 MSMEs) with its analytics computed, so the
    overview's equity and impact panels and the territory map have figures: the pages the demo's
    people reach, as `aldea demo` shows them. Its logins are catalogue.DEMO_USERS."""
    import io

    from django.core.management import call_command

    from aldea.demo.generator import generate_demo

    generate_demo(scale=16)
    call_command("compute_analytics", stdout=io.StringIO())
