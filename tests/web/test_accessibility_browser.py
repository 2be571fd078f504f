"""axe-core in every page the demo's roles reach: no serious or critical violation.

axe-core (tests/web/vendor/axe-core, from the npm registry) runs in the system Chromium on each
page the walk of tests/web/crawl.py reaches, signed in as each of the demo's people, on a small
demo programme with its analytics computed (the overview's equity and impact panels, the map).
"""

from pathlib import Path

import pytest

from aldea.demo.catalogue import ADMIN_USERNAME, DEMO_USERS
from tests.web.crawl import signed_in_page, walk

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = ["serious", "critical"]
PHONE, DESKTOP = 390, 1280

RUN_AXE = """async (blocking) => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations
    .filter(v => blocking.includes(v.impact))
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + ": " + n.failureSummary)}));
}"""


def axe_violations(page) -> list[dict]:
    return page.evaluate(RUN_AXE, BLOCKING)


def report(found: dict[str, list[dict]]) -> str:
    lines = []
    for where, violations in found.items():
        for v in violations:
            lines.append(f"{where}: {v['impact']} {v['id']} ({v['help']})")
            lines.extend(f"    {node}" for node in v["nodes"])
    return "\n".join(lines)


@pytest.mark.slow
@pytest.mark.e2e
def test_every_page_the_demo_roles_reach_has_no_serious_accessibility_violation(browser_page, demo_programme):
    # One walk, each page checked on a phone and on a desktop: the layouts differ (folded tables,
    # the scrolling nav), the pages and their data do not, and a walk per width doubled the time.
    usernames = [username for username, *_rest in DEMO_USERS] + [ADMIN_USERNAME]
    found, walked, seen_routes = {}, [], set()
    for username in usernames:
        page = signed_in_page(browser_page, username, width=PHONE)
        # An init script runs in every document before the page's own, outside its CSP.
        page.add_init_script(path=str(AXE))
        for path in walk(page, limit=40, seen_routes=seen_routes):
            walked.append(path)
            for width in (PHONE, DESKTOP):
                page.set_viewport_size({"width": width, "height": 900})
                violations = axe_violations(page)
                if violations:
                    found[f"{username} {path} at {width} px"] = violations
            page.set_viewport_size({"width": PHONE, "height": 900})
        page.close()
    assert len(walked) >= 25, walked  # the walk reached the site, not only a login page
    assert not found, "\n" + report(found)


@pytest.mark.e2e
def test_the_check_finds_what_the_issue_reported(browser_page):
    """The harness can fail: the old accent on a pressed button and a chart's toolbar inside an image."""
    page = browser_page(None, width=390)
    page.add_init_script(path=str(AXE))
    page.goto(f"{page.base}/accounts/login/")
    page.set_content("""<!doctype html><html lang="es"><head><title>t</title></head><body><main><h1>t</h1>
      <button style="background:#c8553d;color:#fff;font-size:16px;border:0" aria-pressed="true">Ausente</button>
      <div role="img" aria-label="chart"><a href="#zoom">Zoom</a></div></main></body></html>""")
    found = {v["id"] for v in axe_violations(page)}
    assert {"color-contrast", "nested-interactive"} <= found
