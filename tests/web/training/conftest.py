"""A cohort of the shared ``world`` (trained by the trainer persona) filled to a chosen size."""

import datetime
from decimal import Decimal

import pytest

from aldea.training.models import Attendance, CourseLevel, Enrolment
from tests import factories as f


def fill_cohort(cohort, participants: int, *, sessions: int = 5):
    """``participants`` enrolments: every third attends all sessions with a passing score, the
    others miss sessions or fail, and one withdrew; returns the enrolments."""
    session_rows = [
        f.TrainingSessionFactory(cohort=cohort, number=number, held_on=cohort.starts_on + datetime.timedelta(days=7 * number))
        for number in range(1, sessions + 1)
    ] if not cohort.sessions.exists() else list(cohort.sessions.all())
    enrolments = []
    for index in range(participants):
        enrolment = f.EnrolmentFactory(
            cohort=cohort,
            status=Enrolment.Status.WITHDRAWN if index == participants - 1 and participants > 2 else Enrolment.Status.ENROLLED,
        )
        attended = len(session_rows) if index % 3 == 0 else index % len(session_rows)
        for number, session in enumerate(session_rows):
            f.AttendanceFactory(
                enrolment=enrolment, session=session,
                status=Attendance.Status.PRESENT if number < attended else Attendance.Status.ABSENT,
            )
        if index % 4 != 3:
            f.AssessmentResultFactory(enrolment=enrolment, name="Examen", score=Decimal(90 if index % 3 == 0 else 55))
            f.AssessmentResultFactory(enrolment=enrolment, name="Proyecto", score=Decimal(80))
        enrolments.append(enrolment)
    return enrolments


@pytest.fixture
def course(world):
    # Re-read so decimals carry the database's scale (70.00), as on the pages.
    created = f.CourseFactory(
        programme=world.programme, code="consultores", title="Consultoría digital",
        level=CourseLevel.CONSULTANT, passing_score=Decimal(70), min_attendance=Decimal("0.80"),
    )
    return type(created).objects.get(pk=created.pk)


@pytest.fixture
def cohort(world, course):
    return f.CohortFactory(course=course, code="teotitlan-2024", village=world.village, trainers=[world.trainer.person])


@pytest.fixture
def other_cohort(world):
    """A cohort of the other programme: out of everyone's scope but the outsider's."""
    other_course = f.CourseFactory(programme=world.other, code="otro-curso")
    return f.CohortFactory(course=other_course, code="far-away-2024", village=world.other_village)


@pytest.fixture
def second_trainer(world):
    """A trainer of the same programme who does not train ``cohort``."""
    from aldea.accounts.models import Role
    from tests.conftest import make_persona

    return make_persona(Role.TRAINER, world.programme, username="second-trainer")


@pytest.fixture
def login(client):
    """``login(user)`` → the test client signed in as ``user`` (``None``: anonymous).

    The user is re-read first: UserFactory sets the password after saving without saving
    again, so the in-memory hash differs from the stored one and force_login's session would
    be dropped on the next request."""
    from aldea.accounts.models import User

    def _login(user):
        client.logout()
        if user is not None:
            client.force_login(User.objects.get(pk=user.pk))
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

    playwright_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.skip("the system Chromium is not installed")
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
