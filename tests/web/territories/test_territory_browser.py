"""In a real browser: a manager opens the territory map, switches layer and clicks a municipality."""

import pytest

from tests import factories as f
from tests.web.territories.test_territory_explorer import classify


@pytest.mark.slow
def test_manager_clicks_a_municipality_and_reads_its_card(browser_page, world):
    chiapas = f.StateFactory(code="07", name="Chiapas")
    # The only municipality of the state in the database, so the map zooms onto it.
    area = f.MunicipalityFactory(code="07001", name="Acacoyagua", parent=chiapas, households=4000)
    classify(area, shops=8, qualifies=True)
    page = browser_page(world.manager, width=375)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{page.base}/territory/?state=07")
    shape = page.locator("#explorer-map .choroplethlocation").first
    shape.wait_for()
    page.get_by_label("Digital-village classification").check()
    box = shape.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    card = page.locator('#municipality-card [data-code="07001"]')
    card.wait_for()
    assert "Acacoyagua" in card.inner_text()
    assert "2" in card.locator('[data-figure="active_shops"]').inner_text()  # 8 · 2.0 per 1,000
    page.shot("territory-explorer")
    assert errors == []
