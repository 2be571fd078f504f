"""In a real browser: a consultant moves an engagement on to "action plan" and fills a diagnostic."""

from playwright.sync_api import expect

from aldea.consulting.models import StageChange
from aldea.diagnostics.models import Assessment
from tests.web.conftest import htmx_is_served


def test_consultant_moves_a_card_and_fills_a_diagnostic(browser_page, world, engagement):
    page = browser_page(world.consultant, width=1280)
    page.goto(f"{page.base}/consultancy/")
    url_before = page.url
    card = page.locator(f"#engagement-{engagement.pk}")
    card.locator("summary", has_text="Move").click()
    card.get_by_label("Move to").select_option("action_plan")
    card.get_by_role("button", name="Move").click()
    page.locator(f"#column-action_plan ~ ul #engagement-{engagement.pk}").wait_for()
    page.shot("consultancy-board")
    engagement.refresh_from_db()
    assert engagement.stage == "action_plan"
    assert StageChange.objects.get(engagement=engagement).changed_by == world.consultant
    if htmx_is_served():
        assert page.url == url_before

    page.goto(f"{page.base}/consultancy/engagement/{engagement.pk}/")
    page.shot("consultancy-engagement")
    page.get_by_role("link", name="New diagnostic").click()
    for question in page.locator("fieldset.question").all():
        question.locator("input[type=radio]").nth(3).check()
    page.get_by_role("button", name="Save and score").click()
    page.wait_for_load_state("networkidle")
    page.locator("#maturity-radar .main-svg").first.wait_for()
    page.shot("diagnostics-assessment")
    assessment = Assessment.objects.get(enterprise=engagement.enterprise)
    assert (float(assessment.score), assessment.level) == (75.0, "avanzado")
    assert "Advanced" in page.content()  # the level, in the English interface


def test_a_manager_opens_change_consultant_and_gets_the_villages_consultants(browser_page, world, engagement):
    from aldea.accounts.models import Role
    from tests.conftest import make_persona

    colleague = make_persona(Role.CONSULTANT, world.programme, village=world.village, username="colleague")
    page = browser_page(world.manager, width=1280)
    page.goto(f"{page.base}/consultancy/")
    card = page.locator(f"#engagement-{engagement.pk}")
    options = card.locator(f"#reassign-{engagement.pk} option")
    assert options.count() == 1  # only the card's own consultant until the list is opened
    card.locator("summary", has_text="Change consultant").click()
    expect(options).to_have_count(2)
    card.locator(f"#reassign-{engagement.pk}").select_option(str(colleague.person.pk))
    card.get_by_role("button", name="Change consultant").click()
    page.wait_for_load_state("networkidle")
    engagement.refresh_from_db()
    assert engagement.consultant == colleague.person
