"""A village's name cannot break the pages that chart it.

Chart figures used to be inlined as JavaScript with only ``</`` escaped. A village named
``<!--<script>`` then put the HTML parser into a script's "double escaped" state, where the
chart's own ``</script>`` no longer ends it: the later charts and the footer vanished. Figures
are now data in ``<script type="application/json">`` elements escaped as json_script does, and
one static file draws them. The pages are parsed here with html5lib, which follows the WHATWG
algorithm that browsers do.
"""

import datetime
import json

import html5lib
import pytest
from django.urls import reverse

from aldea.core.charts import script_safe_json
from aldea.reporting.equity import store_equity_report
from tests import factories as f
from tests.web.programmes.builders import small_programme

HOSTILE_NAMES = ["<!--<script>", "</script><script>alert(1)</script>", "Tom & Jerry <b>\u2028\u2029"]


def parse(html: str):
    return html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)


def scripts_of(document):
    return list(document.iter("script"))


def assert_page_is_whole(html: str, chart_ids: list[str], name: str):
    """The footer is there, every chart has its container and its figure, the name is in each
    figure's data exactly, and nowhere in the page unescaped."""
    document = parse(html)
    body = document.find("body")
    footer = [element for element in body if element.tag == "footer"]
    assert footer and "Open-source software" in "".join(footer[0].itertext())
    elements = {element.get("id"): element for element in document.iter() if element.get("id")}
    for chart_id in chart_ids:
        container = elements.get(chart_id)
        assert container is not None, f"chart {chart_id} is missing"
        assert (container.tag, container.get("class"), container.get("role")) == ("div", "chart", "img")
        assert container.get("aria-label")
        figure = elements[container.get("data-figure")]
        assert (figure.tag, figure.get("type")) == ("script", "application/json")
        assert isinstance(json.loads(figure.text)["data"], list)
    # No code is inlined: every script is a file, or data.
    for script in scripts_of(document):
        assert script.get("src") or script.get("type") == "application/json", script.text[:200]
    assert name not in html
    figures = " ".join(
        script.text for script in scripts_of(document) if script.get("type") == "application/json"
    )
    return figures


@pytest.fixture(params=HOSTILE_NAMES, ids=["comment-script", "close-script", "ampersand-separators"])
def hostile(request, world):
    """The world with its main village renamed, and every chart of the overview fed."""
    name = request.param
    world.village.name = name
    # Launched within the outcome months, so net gains have a month before the launch.
    world.village.launched_on = datetime.date(2025, 2, 1)
    world.village.save(update_fields=["name", "launched_on"])
    # A real municipality, so the village has a point on the overview's map.
    world.village.municipality.code = "20546"
    world.village.municipality.save(update_fields=["code"])
    small_programme(world)
    store_equity_report(world.programme)
    return name


def test_the_overview_survives_a_hostile_village_name(hostile, world, login):
    response = login(world.manager).get(reverse("workspace:overview"))
    assert response.status_code == 200
    html = response.content.decode()
    figures = assert_page_is_whole(html, ["cascade-chart", "sales-chart", "village-map", "lorenz-chart"], hostile)
    # The map names the village: escaped in the page, the same name once parsed.
    assert script_safe_json(json.dumps(hostile))[1:-1] in figures
    village_map = json.loads(parse(html).find(".//script[@id='village-map-figure']").text)
    assert any(text.startswith(f"{hostile} · ") for trace in village_map["data"] for text in trace.get("text") or [])


def test_the_territory_explorer_survives_a_hostile_village_name(hostile, world, login):
    f.MunicipalityFactory(code="20901", name="Pobre", households=1000)
    response = login(world.manager).get(reverse("workspace:explorer"))
    assert response.status_code == 200
    html = response.content.decode()
    assert_page_is_whole(html, ["explorer-map"], hostile)
    explorer_map = json.loads(parse(html).find(".//script[@id='explorer-map-figure']").text)
    assert hostile in explorer_map["data"][0]["text"]
    # The page's own script is a file too, after the charts' one.
    sources = [script.get("src") for script in scripts_of(parse(html)) if script.get("src")]
    assert sources.index("/static/aldea/charts.js") < sources.index("/static/aldea/territory-explorer.js")


def test_the_village_page_survives_a_hostile_village_name(hostile, world, login):
    response = login(world.manager).get(reverse("workspace:village", args=[world.village.slug]))
    assert response.status_code == 200
    assert_page_is_whole(response.content.decode(), ["village-cascade", "village-sales"], hostile)


def test_script_safe_json_escapes_what_json_script_does_and_the_line_separators():
    text = json.dumps({"name": "</script><!--<b>&\u2028\u2029"}, ensure_ascii=False)
    escaped = script_safe_json(text)
    assert not set("<>&\u2028\u2029") & set(escaped)
    assert json.loads(escaped) == json.loads(text)


@pytest.mark.slow
def test_a_browser_draws_every_chart_and_the_footer_despite_a_hostile_village_name(browser_page, world):
    world.village.name = "<!--<script>"
    world.village.launched_on = datetime.date(2025, 2, 1)
    world.village.save(update_fields=["name", "launched_on"])
    small_programme(world)
    store_equity_report(world.programme)
    page = browser_page(world.manager, width=1200)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{page.base}/programme/")
    page.wait_for_load_state("load")
    drawn = "ids => ids.every(id => document.getElementById(id).classList.contains('js-plotly-plot'))"
    charts = ["cascade-chart", "sales-chart", "village-map", "lorenz-chart"]
    page.wait_for_function(drawn, arg=charts)
    for chart_id in charts:
        chart = page.locator(f"#{chart_id}")
        assert chart.get_attribute("role") == "img" and chart.get_attribute("aria-label")
        assert chart.bounding_box()["height"] > 100
    assert page.locator("footer.site").is_visible()
    # The responsive config: a narrower window redraws the charts to the narrower cards.
    before = page.locator("#cascade-chart .main-svg").first.bounding_box()["width"]
    page.set_viewport_size({"width": 500, "height": 900})
    page.wait_for_function(
        "width => document.querySelector('#cascade-chart .main-svg').getBoundingClientRect().width < width",
        arg=before,
    )
    assert errors == []
