"""On a phone (390 × 844, an iPhone 12-14): a short header, nothing wider than the screen, figures
that never break across lines, charts without a toolbar.

Every page the demo's field and programme people reach (the walk of tests/web/crawl.py) is
checked in the system Chromium, on a small demo programme with its analytics computed.
"""

import pytest

from tests.web.crawl import signed_in_page, walk

PHONE = {"width": 390, "height": 844}
MAX_HEADER_PX = 120

# What a phone shows wrongly, measured in the page: the header's height, the page wider than the
# screen (and the widest element that makes it so), a tile's figure on two lines or wider than its
# tile, a Plotly toolbar.
MEASURE = """() => {
  const width = window.innerWidth;
  const header = document.querySelector("header.site").getBoundingClientRect().height;
  const scrolling = document.scrollingElement.scrollWidth;
  let widest = null;
  if (scrolling > width) {
    for (const el of document.querySelectorAll("body *")) {
      const box = el.getBoundingClientRect();
      if (box.right > width + 1 && box.width > 0 && !el.closest(".table-wrap, .scroll-x, nav.main")) {
        widest = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "") + " right=" + Math.round(box.right);
        break;
      }
    }
  }
  const brokenFigures = [];
  for (const value of document.querySelectorAll(".tile .value")) {
    const text = value.firstChild;
    const range = document.createRange();
    range.selectNodeContents(value);
    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
    let numberLines = 1;
    if (text && text.nodeType === Node.TEXT_NODE && text.textContent.trim()) {
      const r = document.createRange();
      r.selectNodeContents(text);
      numberLines = new Set([...r.getClientRects()].map(rect => Math.round(rect.top))).size;
    }
    if (numberLines > 1 || value.scrollWidth > value.clientWidth + 1) {
      brokenFigures.push(value.textContent.trim().replace(/\\s+/g, " "));
    }
  }
  return {header, scrolling, width, widest, brokenFigures,
          toolbars: document.querySelectorAll(".modebar").length};
}"""


@pytest.mark.slow
@pytest.mark.e2e
def test_pages_fit_a_phone_with_a_short_header_and_unbroken_figures(browser_page, demo_programme):
    problems, walked, seen_routes = [], [], set()
    for username in ("coordinadora", "consultora", "formador", "artesana", "aliada"):
        page = signed_in_page(browser_page, username, width=PHONE["width"], height=PHONE["height"])
        for path in walk(page, limit=40, seen_routes=seen_routes):
            walked.append(path)
            m = page.evaluate(MEASURE)
            where = f"{username} {path}"
            if m["header"] > MAX_HEADER_PX:
                problems.append(f"{where}: header {m['header']:.0f} px")
            if m["scrolling"] > m["width"]:
                problems.append(f"{where}: {m['scrolling']} px wide on a {m['width']} px screen ({m['widest']})")
            if m["brokenFigures"]:
                problems.append(f"{where}: figures broken or cut {m['brokenFigures']}")
            if m["toolbars"]:
                problems.append(f"{where}: {m['toolbars']} chart toolbars")
        page.close()
    assert len(walked) >= 20, walked
    assert not problems, "\n" + "\n".join(problems)
