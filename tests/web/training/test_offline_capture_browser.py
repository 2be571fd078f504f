"""In a real browser: a trainer loses the connection, records attendance and a diagnostic, reloads
while still offline, and finds every record on the server exactly once when the connection returns."""

import pytest
from playwright.sync_api import expect

from aldea.diagnostics.instrument import ensure_default_instrument
from aldea.diagnostics.models import Assessment
from aldea.training.models import Attendance
from tests.web.conftest import htmx_is_served
from tests.web.training.conftest import fill_cohort


def wait_for_service_worker(page):
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null")


def in_spanish(page):
    """The trainer chooses Spanish with the language switcher (the browser asks for English)."""
    with page.expect_navigation():
        page.select_option("#language-switcher", "es-mx")


def pending_banner(page):
    return page.locator("#offline-banner .count")


def test_offline_attendance_and_diagnostic_are_kept_and_sent_once(browser_page, world, cohort):
    if not htmx_is_served():
        pytest.skip("the attendance sheet saves by htmx, which the static finders do not serve here")
    ensure_default_instrument()
    enterprise = world.village_msme
    enrolments = fill_cohort(cohort, 2)
    Attendance.objects.filter(session__number=1).delete()
    page = browser_page(world.trainer)
    attendance_url = f"{page.base}/training/cohort/{cohort.code}/session/1/attendance/"
    diagnostic_url = f"{page.base}/diagnostics/msme/{enterprise.code}/new/"
    page.goto(attendance_url)
    in_spanish(page)
    wait_for_service_worker(page)
    # Visited while the worker runs: both pages are kept for offline use.
    page.goto(diagnostic_url)
    page.goto(attendance_url)
    page.wait_for_load_state("networkidle")

    page.context.set_offline(True)
    first, second = enrolments[0], enrolments[1]
    page.locator(f"#enrolment-{first.pk} button.absent").click()
    page.locator(f"#enrolment-{first.pk} .badge.pending:not([hidden])").wait_for()
    page.locator(f"#enrolment-{second.pk} button.present").click()
    page.locator(f"#enrolment-{second.pk} .badge.pending:not([hidden])").wait_for()
    expect(pending_banner(page)).to_have_text("2 cambios pendientes")

    page.goto(diagnostic_url)  # offline: from the worker's cache
    for question in page.locator("fieldset.question").all():
        question.locator("input[type=radio]").nth(3).check()
    page.get_by_role("button", name="Guardar y calcular puntaje").click()
    page.locator(".offline-note").wait_for()
    expect(pending_banner(page)).to_have_text("3 cambios pendientes")

    page.reload()  # still offline: the page opens from the cache and shows what waits
    expect(pending_banner(page)).to_have_text("3 cambios pendientes")
    page.goto(attendance_url)
    page.locator(f"#enrolment-{first.pk} .badge.pending:not([hidden])").wait_for()
    assert page.locator(f"#enrolment-{first.pk} button.absent").get_attribute("aria-pressed") == "true"
    page.shot("offline-attendance-pending")
    assert not Attendance.objects.filter(session__number=1).exists()
    assert not Assessment.objects.filter(enterprise=enterprise).exists()

    page.context.set_offline(False)  # the "online" event sends the queue
    page.locator("#offline-banner").wait_for(state="hidden")
    page.locator(f"#enrolment-{first.pk} .badge.ok").wait_for()
    page.reload()  # and a load sends nothing twice
    page.wait_for_load_state("networkidle")
    assert dict(Attendance.objects.filter(session__number=1).values_list("enrolment_id", "status")) == {
        first.pk: "absent", second.pk: "present",
    }
    assert Assessment.objects.filter(enterprise=enterprise).count() == 1


def test_signing_out_empties_the_kept_pages(browser_page, world, cohort):
    fill_cohort(cohort, 1)
    page = browser_page(world.trainer)
    page.goto(f"{page.base}/training/cohort/{cohort.code}/session/1/attendance/")
    in_spanish(page)
    wait_for_service_worker(page)
    page.reload()
    page.wait_for_function("caches.open('aldea-pages-v1').then(c => c.keys()).then(k => k.length > 0)")
    page.get_by_role("button", name="Cerrar sesión").click()
    page.wait_for_url("**/accounts/login/**")
    page.wait_for_function("caches.keys().then(names => !names.includes('aldea-pages-v1'))")


def test_a_tap_kept_offline_that_meets_another_trainers_mark_shows_the_conflict(browser_page, world, cohort):
    if not htmx_is_served():
        pytest.skip("the attendance sheet saves by htmx, which the static finders do not serve here")
    from aldea.training import services

    (enrolment,) = fill_cohort(cohort, 1)
    Attendance.objects.filter(session__number=1).delete()
    session = cohort.sessions.get(number=1)
    page = browser_page(world.trainer)
    page.goto(f"{page.base}/training/cohort/{cohort.code}/session/1/attendance/")
    in_spanish(page)
    wait_for_service_worker(page)
    page.context.set_offline(True)
    page.locator(f"#enrolment-{enrolment.pk} button.absent").click()
    page.locator(f"#enrolment-{enrolment.pk} .badge.pending:not([hidden])").wait_for()
    # Meanwhile the manager, online, marks the same participant present.
    services.record_attendance(session=session, enrolment=enrolment, status="present", user=world.manager)

    page.context.set_offline(False)
    row = page.locator(f"#enrolment-{enrolment.pk}")
    row.locator(".conflict-choice").wait_for()
    assert "Otra persona registró «Presente» mientras tanto; usted eligió «Ausente»." in row.inner_text()
    assert Attendance.objects.get(enrolment=enrolment, session=session).status == "present"
    page.shot("offline-attendance-conflict")
    row.get_by_role("button", name="Usar «Ausente»").click()
    page.locator(f"#enrolment-{enrolment.pk} .badge.ok").wait_for()
    assert Attendance.objects.get(enrolment=enrolment, session=session).status == "absent"
