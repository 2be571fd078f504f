"""On a phone-sized browser: a visitor searches a village's showcase, opens a product and sees its photo."""

import pytest

from aldea.enterprises.services import add_product_photo
from tests import factories as f
from tests.photos import upload


@pytest.mark.slow
@pytest.mark.usefixtures("media_root")
def test_a_visitor_on_a_phone_searches_and_opens_a_product(browser_page, world):
    ruiz = f.EnterpriseFactory(village=world.village, name="Tapetes Ruiz", has_showcase_consent=True)
    rug = f.ProductFactory(enterprise=ruiz, title="Tapete de grana cochinilla", category="Hogar > Tapetes",
                           description="Lana teñida a mano.")
    f.ProductFactory(enterprise=ruiz, title="Cojín bordado", category="Hogar > Cojines")
    add_product_photo(user=world.manager, product=rug, upload=upload(width=1200, height=900))
    page = browser_page(None, width=375)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{page.base}/aldeas/{world.village.slug}/")
    page.get_by_label("Search products").fill("cochinilla")
    page.get_by_label("Search products").press("Enter")
    page.wait_for_load_state("load")
    assert "1 product found." in page.locator('main [role="status"]').inner_text()
    assert page.locator(".results .product").count() == 1
    page.shot("showcase-search-phone")
    # Nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.locator(".results .product a.title").click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Tapete de grana cochinilla"
    photo = page.locator(".gallery img").first
    photo.wait_for()
    assert page.evaluate("img => img.complete && img.naturalWidth", photo.element_handle()) == 1200
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.shot("showcase-product-phone")
    assert errors == []
