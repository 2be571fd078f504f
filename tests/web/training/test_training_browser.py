"""In a real browser: a trainer takes attendance on a phone; a manager certifies and anyone verifies."""

import re

from aldea.training.models import Attendance, Certificate
from tests.web.conftest import htmx_is_served
from tests.web.training.conftest import fill_cohort


def test_trainer_takes_attendance_in_a_few_taps(browser_page, world, cohort):
    enrolments = fill_cohort(cohort, 3)
    Attendance.objects.filter(session__number=1).delete()
    page = browser_page(world.trainer)
    page.goto(f"{page.base}/training/cohort/{cohort.code}/")
    page.get_by_role("link", name=re.compile(r"Take attendance: #1 ")).click()
    page.wait_for_load_state("networkidle")
    url_before = page.url

    for enrolment, status in zip(enrolments[:2], ["absent", "present"], strict=True):
        row = page.locator(f"#enrolment-{enrolment.pk}")
        row.locator(f"button.{status}").click()
        page.locator(f"#enrolment-{enrolment.pk} button.{status}[aria-pressed=true]").wait_for()

    page.shot("training-attendance")
    assert dict(Attendance.objects.filter(session__number=1).values_list("enrolment_id", "status")) == {
        enrolments[0].pk: "absent", enrolments[1].pk: "present",
    }
    if htmx_is_served():
        assert page.url == url_before  # saved by htmx, no reload


def test_manager_issues_a_certificate_that_the_public_page_confirms(browser_page, world, cohort):
    eligible = fill_cohort(cohort, 3)[0]
    page = browser_page(world.manager)
    page.goto(f"{page.base}/training/cohort/{cohort.code}/")
    page.locator(f"#enrolment-{eligible.pk}").get_by_role("button", name="Issue certificate").click()
    page.wait_for_load_state("networkidle")
    page.shot("training-cohort")
    certificate = Certificate.objects.get(enrolment=eligible)
    assert certificate.code in page.content()

    public = browser_page(None)
    public.goto(f"{public.base}/verify/{certificate.code}/")
    public.shot("training-verify")
    assert "Valid certificate" in public.content()
    assert str(eligible.person) in public.content()
