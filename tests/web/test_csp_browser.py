"""In a real browser, under Aldea's Content-Security-Policy: charts draw, htmx swaps, nothing is refused."""

import pytest
from playwright.sync_api import expect

from tests import factories as f

# Records every refusal of the policy before any of the page's own scripts run.
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " " + (event.blockedURI || "inline") + " " + event.sourceFile + ":" + event.lineNumber);
});
"""


@pytest.mark.slow
def test_the_main_pages_work_under_the_policy(browser_page, world):
    for n in range(3):
        f.EnterpriseFactory(village=world.village, code=f"taller-{n}", name=f"Taller {n}")
    admin = f.UserFactory(username="root", is_staff=True, is_superuser=True)
    page = browser_page(world.manager, width=1280)
    page.add_init_script(WATCH_VIOLATIONS)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    def violations():
        return page.evaluate("window.__violations")

    page.goto(f"{page.base}/programme/?programme=main")
    page.locator("#cascade-chart .main-svg").first.wait_for()  # Plotly drew the chart
    assert violations() == []

    page.goto(f"{page.base}/programme/villages/")
    assert violations() == []

    page.goto(f"{page.base}/msmes/")
    page.fill("input[name=q]", "Taller 2")
    expect(page.locator("#results")).not_to_contain_text("Taller 1")
    expect(page.locator("#results")).to_contain_text("Taller 2")
    assert "q=Taller" in page.url  # htmx swapped the results and pushed the URL
    assert violations() == []

    page.goto(f"{page.base}/territory/")
    assert violations() == []

    page.goto(f"{page.base}/aldeas/{world.village.slug}/")
    assert violations() == []

    page.goto(f"{page.base}/api/docs/")
    page.locator(".swagger-ui .info").wait_for()  # Swagger UI ran from its own script URL
    assert violations() == []
    assert errors == []

    admin_page = browser_page(admin, width=1280)
    admin_page.add_init_script(WATCH_VIOLATIONS)
    admin_page.goto(f"{admin_page.base}/admin/enterprises/enterprise/")
    admin_page.locator("#result_list").wait_for()
    assert admin_page.evaluate("window.__violations") == []
