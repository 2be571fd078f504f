"""In a real browser: chart axes name the months in the page's language (issue 13)."""

import datetime

import pytest

from tests import factories as f

# Month abbreviations that differ between English and the other language (a year of ticks).
NOT_SPANISH = {"Jan", "Apr", "Aug", "Dec"}
SPANISH = {"Ene", "Abr", "Ago", "Dic"}
NOT_PORTUGUESE = {"Feb", "Apr", "May", "Aug", "Sep", "Oct", "Dec"}
PORTUGUESE = {"Fev", "Abr", "Mai", "Ago", "Set", "Out", "Dez"}


def month_ticks(page, code) -> set[str]:
    page.goto(f"{page.base}/msmes/{code}/")
    page.wait_for_selector("#maturity-chart[data-chart-drawn] .xtick text")
    texts = page.locator("#maturity-chart .xtick text").all_text_contents()
    return {word.strip().capitalize() for text in texts for word in text.split()}


def switch_language(page, code):
    with page.expect_navigation():
        page.select_option("#language-switcher", code)
    assert page.locator("html").get_attribute("lang") == code


@pytest.mark.slow
def test_chart_months_follow_the_page_language(browser_page, world):
    msme = world.village_msme
    f.AssessmentFactory(enterprise=msme, assessed_on=datetime.date(2023, 12, 1))
    f.AssessmentFactory(enterprise=msme, assessed_on=datetime.date(2024, 12, 1), score=60)
    page = browser_page(world.manager, width=900)

    english = month_ticks(page, msme.code)
    assert english & NOT_SPANISH and english & NOT_PORTUGUESE, english

    switch_language(page, "es-mx")
    spanish = month_ticks(page, msme.code)
    assert spanish & SPANISH and not spanish & NOT_SPANISH, spanish

    switch_language(page, "pt-br")
    portuguese = month_ticks(page, msme.code)
    assert portuguese & PORTUGUESE and not portuguese & NOT_PORTUGUESE, portuguese
