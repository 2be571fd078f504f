"""In a real browser: a manager switches the workspace to Portuguese and reads the overview."""

import pytest


@pytest.mark.slow
def test_manager_switches_to_portuguese_and_sees_the_overview_in_portuguese(browser_page, world):
    page = browser_page(world.manager)
    page.goto(f"{page.base}/programme/")
    page.select_option("#language-switcher", "pt-br")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "pt-br"
    assert page.get_by_role("link", name="Aldeias").first.is_visible()
    assert "Sair" in page.content()
    page.shot("overview-pt-br")
    # The choice holds on the next page.
    page.goto(f"{page.base}/programme/villages/")
    assert page.locator("html").get_attribute("lang") == "pt-br"
