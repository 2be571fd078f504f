"""Issue 12, "Proof": from an empty database to a programme with results, all through the pages.

A superuser signs in on a new installation, sets up a programme and its targets, a village, a
partner, a course and a cohort; invites a trainer and a consultant, who join in their own browser
pages; the trainer runs the cohort from a phone and the consultant an MSME; the overview tiles then
show what they entered. No page under /admin/ or /api/ is ever requested.
"""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from aldea.enterprises.models import Product
from aldea.interop.feeds.channels import write_feed
from aldea.workspace.views.setup import _municipalities_of
from tests import factories as f

PROGRAMME = "Aldeas digitales Sierra Norte"
PHONE = 375
STUDENTS = ["Rosa Martínez López", "Juan Pérez Cruz", "Lucía Hernández Ruiz", "Mateo García Santiago",
            "Elena Ramírez Vásquez"]


@pytest.fixture
def empty_installation(transactional_db):
    """Only what a new installation has: the reference territories (a country, a state, a
    municipality; the loader is off in the test settings) and the superuser of `createsuperuser`."""
    _municipalities_of.cache_clear()
    mexico = f.CountryFactory(code="MX", name="México", currency="MXN")
    oaxaca = f.StateFactory(country=mexico, code="20", name="Oaxaca")
    f.MunicipalityFactory(country=mexico, parent=oaxaca, code="20546", name="Teotitlán del Valle")
    f.MunicipalityFactory(country=mexico, parent=oaxaca, code="20067", name="Oaxaca de Juárez")
    return f.UserFactory(username="root", is_superuser=True, is_staff=True)


def watch_requests(page, seen):
    """Record the path of every request a page makes (documents, forms, htmx, static files)."""
    base = page.base
    page.on("request", lambda request: seen.append(request.url.removeprefix(base)))


def submit(page, name):
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state("networkidle")


def create_programme(page):
    """1. The wizard: name, country, currency, dates and the standard template; then a target."""
    page.goto(f"{page.base}/")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/programme/new/")  # a new installation lands on the wizard
    page.fill("#id_name", PROGRAMME)
    page.select_option("#id_country", "MX")
    page.fill("#id_currency", "MXN")
    page.fill("#id_starts_on", "2026-01-01")
    page.fill("#id_ends_on", "2027-12-31")
    page.select_option("#id_template", "digital-villages")
    submit(page, re.compile("Create"))
    assert "/targets/" in page.url, page.content()
    slug = page.url.split("/programme/")[1].split("/")[0]
    targets = {"consultores-certificados": "20", "mipymes-diagnosticadas": "10", "mipymes-primera-venta": "8"}
    for indicator, target in targets.items():
        page.select_option("#indicator-choice", indicator)
        submit(page, "Show")
        page.fill("input[name=p-2026]", target)
        submit(page, re.compile("Save"))
        # Shown back as a decimal ("20.00") even for a count of people.
        expect(page.locator("input[name=p-2026]")).to_have_value(re.compile(rf"^{target}([.,]0+)?$"))
    return slug, targets


def add_village_partner_course_and_cohort(page, slug):
    """2. A village found by its municipality's name, a partner organisation tied to it, an
    agreement, a course and a cohort with 4 sessions from the schedule generator."""
    page.goto(f"{page.base}/programme/{slug}/villages/new/")
    page.fill("#municipality-search", "teotitlan")  # accents aside
    page.locator("[data-choose='20546']").click()
    expect(page.locator("[data-chosen]")).to_contain_text("Teotitlán del Valle")
    page.fill("#id_name", "Teotitlán")
    page.fill("#id_speciality", "Textiles de lana")
    page.fill("#id_target_msmes", "30")
    submit(page, "Add the village")
    assert "/programme/village/" in page.url, page.content()
    village = page.url.rstrip("/").rsplit("/", 1)[1]

    page.goto(f"{page.base}/partners/organisations/new/?programme={slug}")
    page.fill("#id_name", "Universidad de la Sierra")
    page.fill("#id_slug", "unisierra")
    page.select_option("#id_kind", "university")
    submit(page, "Save")
    assert page.url.endswith("/partners/unisierra/"), page.content()
    page.goto(f"{page.base}/partners/unisierra/villages/new/")
    page.select_option("#id_village", label="Teotitlán")
    page.select_option("#id_role", "host_institution")
    page.fill("#id_starts_on", "2026-01-15")
    submit(page, "Save")
    assert page.url.endswith("/partners/unisierra/"), page.content()

    page.goto(f"{page.base}/partners/agreements/new/")
    page.fill("#id_code", "convenio-unisierra")
    page.fill("#id_title", "Convenio de colaboración con la Universidad de la Sierra")
    page.get_by_label("Universidad de la Sierra").check()
    page.fill("#id_signed_on", "2026-01-10")
    page.fill("#id_starts_on", "2026-01-10")
    page.fill("#id_ends_on", "2027-12-31")
    page.select_option("#id_status", "signed")
    submit(page, "Save")
    assert "/agreements/new/" not in page.url, page.content()

    page.goto(f"{page.base}/training/course/new/")
    page.fill("#id_code", "consultores-digitales")
    page.fill("#id_title", "Consultores digitales")
    page.select_option("#id_level", "consultant")
    submit(page, "Add the course")
    assert page.url.endswith("/training/"), page.content()

    page.goto(f"{page.base}/training/cohort/new/")
    page.fill("#id_code", "teotitlan-2026")
    page.select_option("#id_village", label="Teotitlán")
    page.fill("#id_starts_on", "2026-10-05")
    page.fill("#id_ends_on", "2026-11-30")
    page.fill("#id_capacity", "25")
    submit(page, "Add the cohort")
    assert page.url.endswith("/training/cohort/teotitlan-2026/sessions/"), page.content()
    page.fill("#id_count", "4")
    page.select_option("#id_weekday", "0")  # Mondays
    page.fill("#id_first_on", "2026-10-05")
    submit(page, "Generate sessions")
    expect(page.get_by_text("4 sessions added")).to_be_visible()
    return village, "teotitlan-2026"


def invite(page, slug, role, village=None):
    """The manager makes an invitation without an email; the code is shown once, on the page."""
    page.goto(f"{page.base}/programme/{slug}/people/")
    page.select_option("#id_role", role)
    if village:
        page.select_option("#id_village", village)
    submit(page, "Make the invitation")
    return page.locator(".invitation-code").inner_text().strip()


def join(page, code, *, given_name, family_name, username, password):
    """In their own browser: the code, then their name and a password of their own; then sign in."""
    page.goto(f"{page.base}/accounts/join/")
    page.fill("#id_code", code)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    page.fill("#id_given_name", given_name)
    page.fill("#id_family_name", family_name)
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    # Signed in by joining; sign out and back in with the new password.
    page.context.clear_cookies()
    page.goto(f"{page.base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/accounts/login/" not in page.url, page.content()


def invite_trainer_and_consultant(manager, browser_page, slug, village, cohort, seen):
    """3. Invitations for a trainer and a consultant, who accept them; the trainer then runs the cohort."""
    trainer_code = invite(manager, slug, "trainer", village)
    consultant_code = invite(manager, slug, "consultant", village)
    trainer = browser_page(None, width=PHONE)
    watch_requests(trainer, seen)
    join(trainer, trainer_code, given_name="Carmen", family_name="Luna", username="carmen",
         password="Telar-de-cintura-26")
    consultant = browser_page(None, width=PHONE)
    watch_requests(consultant, seen)
    join(consultant, consultant_code, given_name="Diego", family_name="Santos", username="diego",
         password="Grana-cochinilla-26")
    manager.goto(f"{manager.base}/training/cohort/{cohort}/edit/")
    manager.get_by_label("Luna").check()
    submit(manager, "Save the cohort")
    assert manager.url.endswith(f"/training/cohort/{cohort}/"), manager.content()
    return trainer, consultant


def run_the_cohort(trainer, manager, cohort):
    """4. On a phone: the trainer enrols a pasted list, takes attendance in taps and enters the
    scores; the manager then certifies everyone eligible. Elena misses session 2 of 4, below the
    course's minimum attendance, so 4 of the 5 are certified."""
    trainer.goto(f"{trainer.base}/training/cohort/{cohort}/")
    trainer.get_by_role("link", name="Enrol a list").click()
    trainer.wait_for_load_state("networkidle")
    trainer.fill("#id_pasted", "\n".join(STUDENTS))
    submit(trainer, "Check the list")
    submit(trainer, re.compile(r"Import 5 rows"))
    trainer.goto(f"{trainer.base}/training/cohort/{cohort}/")
    for student in STUDENTS:
        expect(trainer.locator("tr[id^=enrolment-] td").get_by_text(student, exact=True)).to_be_visible()

    for number in range(1, 5):
        trainer.goto(f"{trainer.base}/training/cohort/{cohort}/")
        trainer.get_by_role("link", name=re.compile(rf"Take attendance: #{number} ")).click()
        trainer.wait_for_load_state("networkidle")
        if number == 2:
            row = trainer.locator("form", has_text="Elena Ramírez Vásquez")
            row.locator("button.absent").click()
            row.locator("button.absent[aria-pressed=true]").wait_for()
        submit(trainer, "Mark everyone not recorded present")
        expect(trainer.locator("button.present[aria-pressed=true]")).to_have_count(4 if number == 2 else 5)

    trainer.goto(f"{trainer.base}/training/cohort/{cohort}/")
    trainer.fill("#id_name", "Proyecto final")
    for student, score in zip(STUDENTS, ["92", "85", "78", "88", "95"], strict=True):
        trainer.get_by_label(student, exact=True).fill(score)
    submit(trainer, "Save scores")
    trainer.shot("own-programme-cohort-trainer")

    manager.goto(f"{manager.base}/training/cohort/{cohort}/")
    while manager.get_by_role("button", name="Issue certificate").count():
        manager.get_by_role("button", name="Issue certificate").first.click()
        manager.wait_for_load_state("networkidle")
    expect(manager.locator("tbody .badge.ok", has_text="Certified")).to_have_count(4)
    return 4


def serve_an_msme(consultant, manager, village):
    """5. On a phone: the consultant registers an MSME (its owner consents to the showcase) and a
    product with a photo, runs its diagnostic, moves its engagement to its first online sale and
    records a month's results."""
    consultant.goto(f"{consultant.base}/msmes/new/")
    consultant.fill("#id_name", "Tapetes Bii Daüüd")
    consultant.select_option("#id_village", village)
    consultant.select_option("#id_sector", "textiles")
    consultant.fill("#id_employees", "3")
    consultant.fill("#id_owner_given_name", "Guadalupe")
    consultant.fill("#id_owner_family_name", "Bautista")
    consultant.select_option("#id_owner_sex", "female")
    consultant.check("#id_has_showcase_consent")
    submit(consultant, "Register")
    assert re.search(r"/msmes/[^/]+/$", consultant.url), consultant.content()
    msme = consultant.url.rstrip("/").rsplit("/", 1)[1]

    consultant.get_by_role("link", name="Add product").click()
    consultant.wait_for_load_state("networkidle")
    consultant.fill("#id_title", "Tapete de lana teñida con grana cochinilla")
    consultant.fill("#id_sku", "TAP-001")
    consultant.fill("#id_description", "Tapete de lana de borrego teñida con grana cochinilla, tejido en telar de pedal.")
    consultant.fill("#id_category", "Hogar > Tapetes")
    consultant.fill("#id_price", "2400")
    consultant.fill("#id_stock", "6")
    consultant.check("#id_is_handmade")
    consultant.set_input_files("#id_photo", files=[{"name": "tapete.jpg", "mimeType": "image/jpeg",
                                                    "buffer": a_phone_photo()}])
    submit(consultant, "Save")
    expect(consultant.get_by_text("Tapete de lana teñida con grana cochinilla").first).to_be_visible()

    # The manager gives the new MSME its consultant on the consultancy board, which opens its
    # engagement at "diagnosed".
    manager.goto(f"{manager.base}/consultancy/")
    manager.locator(f"form[action$='/assign/{msme}/']").get_by_role("button", name="Assign").click()
    manager.wait_for_load_state("networkidle")

    consultant.goto(f"{consultant.base}/msmes/{msme}/")
    consultant.get_by_role("link", name="New diagnostic").click()
    consultant.wait_for_load_state("networkidle")
    questions = consultant.locator("fieldset.question")
    for index in range(questions.count()):
        questions.nth(index).locator("input[type=radio]").nth(2).check()  # 2 of 0–4 everywhere
    submit(consultant, "Save and score")
    assert "/assessment/" in consultant.url, consultant.content()

    consultant.goto(f"{consultant.base}/consultancy/")
    consultant.locator(".title a[href*='/consultancy/engagement/']", has_text="Tapetes").click()
    consultant.wait_for_load_state("networkidle")
    for stage in ("action_plan", "listing", "first_sale"):
        consultant.select_option("#move select[name$=to_stage]", stage)
        consultant.locator("#move").get_by_role("button", name="Move").click()
        consultant.wait_for_load_state("networkidle")
        expect(consultant.locator("#move select[name$=to_stage]")).to_have_value(stage)
    consultant.shot("own-programme-engagement")

    consultant.goto(f"{consultant.base}/msmes/{msme}/")
    consultant.get_by_role("link", name="Enter a month's results").click()
    consultant.wait_for_load_state("networkidle")
    consultant.fill("#id_month", "2026-11")
    consultant.fill("#id_total_sales", "12000")
    consultant.fill("#id_online_sales", "4500")
    consultant.fill("#id_orders", "3")
    consultant.fill("#id_units", "3")
    consultant.fill("#id_employees", "3")
    submit(consultant, "Save")
    assert consultant.url.endswith(f"/msmes/{msme}/#outcomes"), consultant.content()
    return msme


def a_phone_photo() -> bytes:
    """A real JPEG, as a phone's camera sends it (larger than the 1600 px the platform keeps)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (2000, 1500), (180, 40, 60)).save(out, "JPEG")
    return out.getvalue()


def show_the_product(manager, visitor, village, msme, feed_file):
    """7. The manager selects the village, which puts it on the showcase: the product's public
    page, its photo and its link in the Google feed answer 200 to a visitor who is not signed in."""
    manager.goto(f"{manager.base}/programme/village/{village}/")
    manager.select_option("#village-status-form select[name=to_status]", "selected")
    manager.locator("#village-status-form").get_by_role("button", name="Change status").click()
    expect(manager.get_by_text("The village is now")).to_be_visible()

    product = Product.objects.get(enterprise__code=msme)
    report = write_feed("google", feed_file, base_url=visitor.base)
    with open(feed_file, encoding="utf-8") as tsv:
        rows = list(csv.DictReader(tsv, delimiter="\t"))
    assert report.written == 1 and len(rows) == 1, report.problems
    links = [rows[0]["link"]]
    page = visitor.goto(links[0])
    assert page.status == 200 and links[0].endswith(f"/showcase/{village}/{msme}/{product.sku}")
    expect(visitor.get_by_role("heading", name=product.title)).to_be_visible()
    photo = visitor.locator("img[src*='/photos/']").first
    assert visitor.request.get(f"{visitor.base}{photo.get_attribute('src')}").status == 200


def tile(page, indicator):
    """(value, target line) of an overview tile, as the page shows them."""
    box = page.locator(f".tile[data-indicator='{indicator}']")
    target = box.locator(".target").last.inner_text() if box.locator(".target").count() else ""
    return box.locator(".value").inner_text().split()[0], target


def read_the_overview(page, slug, targets, certified):
    """6. The overview tiles: the figures entered above, against the targets of the wizard."""
    page.goto(f"{page.base}/programme/?programme={slug}")
    page.wait_for_load_state("networkidle")
    page.shot("own-programme-overview")
    expected = {"consultores-certificados": str(certified), "mipymes-diagnosticadas": "1",
                "mipymes-primera-venta": "1"}
    for indicator, value in expected.items():
        shown, target = tile(page, indicator)
        assert shown == value, (indicator, shown)
        assert f"Target {targets[indicator]} " in target, (indicator, target)
    assert tile(page, "aliados")[0] == "1"
    assert tile(page, "convenios")[0] == "1"
    assert tile(page, "ventas-en-linea")[0] == "4,500"
    assert tile(page, "empleos")[0] == "3"


def test_a_programme_from_an_empty_database_to_its_results(browser_page, empty_installation, media_root, tmp_path):
    seen = []
    manager = browser_page(empty_installation, width=1024)
    watch_requests(manager, seen)
    slug, targets = create_programme(manager)
    village, cohort = add_village_partner_course_and_cohort(manager, slug)
    trainer, consultant = invite_trainer_and_consultant(manager, browser_page, slug, village, cohort, seen)
    certified = run_the_cohort(trainer, manager, cohort)
    msme = serve_an_msme(consultant, manager, village)
    read_the_overview(manager, slug, targets, certified)
    show_the_product(manager, browser_page(), village, msme, tmp_path / "google.tsv")

    # Every page was a page: nothing under /admin/ or /api/ was requested, by a click or by the
    # pages' own scripts (htmx calls the pages' own URLs, e.g. the municipality search).
    assert seen and not [url for url in seen if url.startswith(("/admin", "/api"))]
