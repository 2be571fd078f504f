"""On a phone (390 × 844) every data table folds into cards: one card per row, each cell with its
column's name, nothing cut at the screen's edge, numbers on one line, every action in reach.

The pages are those the walk of tests/web/crawl.py reaches as each of the demo's people, on a small
demo programme with its analytics computed, plus the data page's report of a file with bad rows
(only an upload shows it). The tables keep their semantics (thead, th scope): only their layout
changes, so a screen reader still reads a table, with its headers; the accessibility walk
(test_accessibility_browser.py) checks the same pages with axe-core at this width.
"""

import os
import re
from itertools import chain

import pytest

from aldea.demo.catalogue import ADMIN_USERNAME, DEMO_USERS
from tests.web.crawl import route_of, signed_in_page, walk

PHONE = {"width": 390, "height": 844}

# The routes whose pages show a data table to one of the demo's people: the walk must meet a
# table on each, so a page that stops being reached (or loses its table) is noticed.
ROUTES_WITH_TABLES = {
    "programme/",  # the overview's equity tables
    "programme/villages/",  # the villages
    "programme/village/<slug:slug>/",  # a village: trainers, cohorts, MSMEs
    "programme/<slug:slug>/budget/",  # the budget register
    "programme/<slug:slug>/targets/",  # the targets grid
    "programme/trail/",  # the audit trail
    "territory/",  # the explorer's ranking
    "msmes/",  # the MSME list
    "msmes/<slug:code>/",  # an MSME: diagnostics, products, listings, outcomes, engagements
    "me/",  # an MSME owner's outcomes
    "consultancy/drop-reasons/",  # why MSMEs dropped out
    "diagnostics/msme/<slug:code>/assessment/<int:pk>/",  # a diagnostic's dimension scores
    "partners/",  # the agreements
    "partners/<slug:slug>/",  # a partner institution: its roles and agreements
    "training/",  # an MSME owner's enrolments
    "training/cohort/<slug:code>/",  # a cohort's roster (attendance, scores) and score sheet
    "data/",  # the data page's downloads
    "accounts/security/",  # sessions and API tokens
}

# The walk opens a route once, with the first person who reaches it; these pages show a table to
# another person only (the manager has no training of her own).
MORE_VISITS = {"artesana": ["/training/"]}

# Opened before measuring: a table inside a closed <details> (all diagnostics, monthly results)
# is still a table its reader opens on a phone.
OPEN_DETAILS = "() => document.querySelectorAll('main details').forEach(d => { d.open = true; })"

# Measured in the page for each rendered table under <main>: whether its rows are cards (not
# table rows), and for each cell whether it shows its column's visible header as its label
# (the row's title cell, th[scope=row] or else the first cell, and a cell spanning the whole row
# need none), whether its text and its controls lie inside the screen, and whether a number
# (digits with their separators, 36,571,380 or 12/01/2026 or 83%, but not the digits inside a code
# or a hash, which may break to fit) is on one line. Text a screen reader alone
# reads (.skip-link, .visually-hidden) is off screen by design and left out.
MEASURE_TABLES = r"""() => {
  const width = window.innerWidth;
  const norm = s => (s || "").replace(/\s+/g, " ").trim();
  const hidden = ".skip-link, .visually-hidden";
  const visibleText = el => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll(hidden).forEach(h => h.remove());
    return norm(copy.textContent);
  };
  const labelOf = cell => {
    const style = getComputedStyle(cell, "::before");
    if (style.display === "none" || !style.content || style.content === "none" || style.content === "normal") return "";
    let text = style.content;
    if (text.includes("attr(")) text = cell.getAttribute("data-label") || "";
    return norm(text.replace(/^"|"$/g, "").replace(/\\"/g, '"'));
  };
  const NUMBER = /(?<![\p{L}\p{N}])[+\-−]?\p{N}+(?:[.,:\/]\p{N}+)*%?(?![\p{L}\p{N}])/gu;
  const outside = box => box.width > 0 && (box.left < -1 || box.right > width + 1);
  const problems = [];
  let count = 0;
  for (const table of document.querySelectorAll("main table")) {
    if (!table.getClientRects().length) continue;  // not rendered (a closed <details>)
    count += 1;
    const name = norm(table.querySelector("caption")?.textContent)
      || norm(table.closest("section, .card, article")?.querySelector("h2, h3")?.textContent)
      || "table " + count;
    const headerRow = table.tHead ? table.tHead.rows[table.tHead.rows.length - 1] : null;
    if (!headerRow) { problems.push(`${name}: no header row`); continue; }
    const columns = [];
    for (const th of headerRow.cells) for (let i = 0; i < th.colSpan; i++) columns.push(th);
    const rows = [...table.tBodies].flatMap(b => [...b.rows]).concat(table.tFoot ? [...table.tFoot.rows] : []);
    for (const row of rows) {
      if (getComputedStyle(row).display === "table-row") {
        problems.push(`${name}: rows are table rows, not cards`);
        break;
      }
    }
    for (const row of rows) {
      const rowTitle = row.querySelector(":scope > th[scope=row]") || row.cells[0];
      let column = 0;
      for (const cell of row.cells) {
        const header = columns[column];
        column += cell.colSpan;
        const where = `${name}, "${norm(rowTitle?.textContent).slice(0, 30)}"`;
        const wholeRow = cell.colSpan >= columns.length;
        const label = header ? visibleText(header) : "";
        if (cell !== rowTitle && !wholeRow && label && labelOf(cell) !== label) {
          problems.push(`${where}: the cell under "${label}" shows ${labelOf(cell) ? `"${labelOf(cell)}"` : "no label"}`);
        }
        const texts = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = texts.nextNode(); node; node = texts.nextNode()) {
          if (!node.textContent.trim() || node.parentElement.closest(hidden)) continue;
          const range = document.createRange();
          range.selectNodeContents(node);
          if ([...range.getClientRects()].some(outside)) {
            problems.push(`${where}: "${norm(node.textContent).slice(0, 40)}" (${label}) is cut at the screen's edge`);
          }
          for (const match of node.textContent.matchAll(NUMBER)) {
            const piece = document.createRange();
            piece.setStart(node, match.index);
            piece.setEnd(node, match.index + match[0].length);
            const tops = new Set([...piece.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top / 3)));
            if (tops.size > 1) problems.push(`${where}: "${match[0]}" (${label}) breaks across lines`);
          }
        }
        for (const control of cell.querySelectorAll("a, button, input, select, textarea")) {
          if (control.closest(hidden) || !control.getClientRects().length) continue;
          if (outside(control.getBoundingClientRect())) {
            problems.push(`${where}: the ${control.tagName.toLowerCase()} "${norm(control.textContent || control.name).slice(0, 30)}" (${label}) is off screen`);
          }
        }
      }
    }
  }
  const scrolling = document.scrollingElement.scrollWidth;
  if (scrolling > width) problems.push(`the page is ${scrolling} px wide on a ${width} px screen`);
  return {count, problems};
}"""


def visits(page, paths):
    for path in paths:
        page.goto(page.base + path)
        page.wait_for_load_state("networkidle")
        yield path


# The cells of the rendered tables, as the DOM has them: what Chromium's accessibility tree must
# still expose as a table's cells once the CSS has made them cards.
DOM_TABLES = """() => {
  const tables = [...document.querySelectorAll("table")].filter(t => t.getClientRects().length);
  const cells = tables.flatMap(t => [...t.querySelectorAll("th, td")]).filter(c => getComputedStyle(c).display !== "none");
  return {tables: tables.length, cells: cells.length};
}"""
TABLE_ROLES = {"table", "grid", "treegrid"}
CELL_ROLES = {"cell", "gridcell", "columnheader", "rowheader"}


def accessible_tables(page) -> dict[str, int]:
    """The tables and their cells in Chromium's own accessibility tree (what a screen reader gets)."""
    cdp = page.context.new_cdp_session(page)
    try:
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        cdp.detach()
    roles = [node.get("role", {}).get("value") for node in nodes if not node.get("ignored")]
    return {"tables": sum(role in TABLE_ROLES for role in roles), "cells": sum(role in CELL_ROLES for role in roles)}


def table_problems(page) -> tuple[int, list[str]]:
    """How many tables the page shows, and what a phone shows wrongly in them: in their layout,
    and in what a screen reader is told (still a table, every cell a cell or a header)."""
    page.evaluate(OPEN_DETAILS)
    measured = page.evaluate(MEASURE_TABLES)
    problems = measured["problems"]
    if measured["count"]:
        dom, exposed = page.evaluate(DOM_TABLES), accessible_tables(page)
        if dom != exposed:
            problems.append(f"the accessibility tree has {exposed} where the page has {dom}: tables lost their semantics")
    return measured["count"], problems


@pytest.mark.slow
@pytest.mark.e2e
def test_every_table_the_demo_roles_reach_folds_into_labelled_cards_on_a_phone(browser_page, demo_programme):
    usernames = [username for username, *_rest in DEMO_USERS] + [ADMIN_USERNAME]
    problems, routes_with_tables, seen_routes = [], set(), set()
    for username in usernames:
        page = signed_in_page(browser_page, username, width=PHONE["width"], height=PHONE["height"])
        for path in chain(walk(page, limit=40, seen_routes=seen_routes), visits(page, MORE_VISITS.get(username, []))):
            count, found = table_problems(page)
            if count:
                routes_with_tables.add(route_of(path))
                if os.environ.get("ALDEA_SCREENSHOT_DIR"):  # to look at the cards
                    page.shot(f"tables-{username}-{path.strip('/').replace('/', '-') or 'home'}")
            problems.extend(f"{username} {path}: {problem}" for problem in found)
        page.close()
    missing = sorted(ROUTES_WITH_TABLES - routes_with_tables)
    assert not problems and not missing, "\n".join([*problems, f"no table met on {missing}"])


@pytest.mark.e2e
def test_the_data_pages_report_of_rejected_rows_folds_into_cards(browser_page, demo_programme, tmp_path):
    bad = tmp_path / "resultados.csv"
    bad.write_text("Empresa,Mes,Ventas totales,Ventas en línea,Pedidos\r\n"
                   "no-existe-esta-mipyme-con-un-codigo-largo,2025-01,1000,10,3\r\n"
                   "otra-que-tampoco,2025-13,12345678.50,7,1\r\n", encoding="utf-8")
    page = signed_in_page(browser_page, "coordinadora", width=PHONE["width"], height=PHONE["height"])
    page.goto(f"{page.base}/data/")
    page.select_option("#id_kind", "outcomes")
    page.set_input_files("#id_file", str(bad))
    page.locator("form[enctype] button[type=submit]").click()
    page.locator(".import-report table tbody tr").first.wait_for()
    count, problems = table_problems(page)
    assert count >= 2  # the report's rejected rows and the downloads
    assert not problems, "\n" + "\n".join(problems)


@pytest.mark.e2e
def test_the_check_finds_a_table_that_does_not_fold(browser_page):
    """The harness can fail: an unlabelled table too wide for the screen, a number split in two,
    a table that a screen reader is not told is one."""
    page = browser_page(None, width=PHONE["width"])
    page.set_viewport_size(PHONE)
    page.set_content("""<!doctype html><html lang="es"><head><title>t</title></head><body><main>
      <table><thead><tr><th scope="col">Aldea</th><th scope="col">Municipio</th><th scope="col">MIPYMES</th></tr></thead>
      <tbody><tr><td>San Pedro</td><td style="white-space:nowrap">Teotitlán del Valle, distrito de Tlacolula, Oaxaca, México</td>
      <td><div style="width:4ch;word-break:break-all">36,571,380</div></td></tr></tbody></table>
      <table role="presentation" class="fold"><thead><tr><th>Aldea</th></tr></thead>
      <tbody><tr><td>Tixkokob</td></tr></tbody></table></main></body></html>""")
    count, problems = table_problems(page)
    assert count == 2
    found = "\n".join(problems)
    for expected in ("rows are table rows", 'under "Municipio" shows no label', "cut at the screen's edge",
                     "breaks across lines", "px wide on a 390 px screen", "lost their semantics"):
        assert expected in found, found


# Printed, not shown on a phone: WeasyPrint lays these out on A4 with their own style sheet.
PRINTED_TEMPLATES = {"workspace/report.html", "training/certificate_pdf.html"}


def test_every_table_of_the_sites_templates_is_marked_to_fold():
    """A new page's table folds too: the convention is class="fold" and a data-label per cell."""
    from pathlib import Path

    import aldea

    unmarked, printed = [], set()
    for template in sorted(Path(aldea.__file__).parent.glob("**/templates/**/*.html")):
        name = template.as_posix().split("/templates/", 1)[1]
        text = template.read_text(encoding="utf-8")
        if name in PRINTED_TEMPLATES:
            printed.add(name)
            continue
        for line in text.splitlines():
            if "<table" in line and not re.search(r'<table[^>]*class="[^"]*\bfold\b', line):
                unmarked.append(f"{name}: {line.strip()[:80]}")
    assert printed == PRINTED_TEMPLATES  # the exceptions still exist under these names
    assert not unmarked, "\n".join(unmarked)
