"""The funder report holds every part the issue lists, in each language, charts drawn as SVG.

One test: gathering the report's figures estimates four outcomes and who benefits (seconds).
"""

import datetime

import pytest

from aldea.reporting.indicators.templates import apply_template
from aldea.workspace.figures.overview import indicator_tiles
from aldea.workspace.report.content import REPORT_LANGUAGES, collect
from aldea.workspace.report.pdf import render_html
from tests.web.programmes.builders import small_programme

pytestmark = pytest.mark.django_db
SECTIONS = ("summary", "indicators", "villages", "impact", "who-benefits", "data-quality", "definitions")
DATA_QUALITY = {"en": "Data quality", "es": "Calidad de los datos", "pt-br": "Qualidade dos dados"}


@pytest.mark.slow  # about 20 s on a busy machine: four estimates and who benefits, three PDFs' HTML
def test_the_report_has_every_part_in_each_language_with_the_tiles_figures_and_svg_charts(world):
    small_programme(world)
    world.village.launched_on = datetime.date(2025, 2, 1)
    world.village.save()
    apply_template(world.programme, "digital-villages")
    data = collect(world.programme, today=datetime.date(2025, 3, 31))
    assert set(REPORT_LANGUAGES) == set(DATA_QUALITY)
    for language in REPORT_LANGUAGES:
        html = render_html(data, language)
        assert 'class="cover"' in html and DATA_QUALITY[language] in html
        for section in SECTIONS:
            assert f'id="{section}"' in html, (language, section)
        assert html.count("<svg") >= 3 and "<script" not in html  # drawn on the server
        assert data.snapshot_hash in html.replace("\n", "")
    english = render_html(data, "en")
    assert "Training cascade" in english and "Report to funders" in english
    # Indicators against targets come from the function that draws the overview's tiles.
    tiles = indicator_tiles(world.programme, village_ids=None, today=data.as_of, headline_only=False)
    assert len(tiles) == 15 and [i["code"] for i in data.indicators] == [t.key for t in tiles]
    assert [i["value"] for i in data.indicators] == [None if t.value is None else float(t.value) for t in tiles]
