"""The charts write, as plain dicts, the figures Plotly's Python package wrote for them.

tests/core/data/chart_figures.json holds the JSON that the charts built with
``plotly.graph_objects`` (plotly 7.1.0) gave for the numbers of tests/core/chart_cases.py, frozen
just before the package left the platform's dependencies (it is 39 MB of the install). Its
``"<plotly>"`` stands for Plotly's default template, frozen beside the figures.
"""

import json
import math
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from aldea.core.charts import figure, figure_json, plotly_template, trace
from tests.core.chart_cases import CASES

FROZEN = json.loads((Path(__file__).parent / "data" / "chart_figures.json").read_text(encoding="utf-8"))


def built(name: str) -> dict:
    with translation.override("en"):
        return json.loads(figure_json(CASES[name]()))


def test_every_frozen_figure_has_its_case():
    assert set(CASES) == set(FROZEN["figures"])


@pytest.mark.parametrize("name", sorted(FROZEN["figures"]))
def test_the_figure_is_the_one_plotly_wrote(name):
    expected = FROZEN["figures"][name]
    if expected["layout"]["template"] == "<plotly>":
        expected = {**expected, "layout": {**expected["layout"], "template": FROZEN["plotly_template"]}}
    assert built(name) == expected


def test_the_packaged_template_is_plotlys_default():
    assert plotly_template() == FROZEN["plotly_template"]


@pytest.mark.parametrize("name", sorted(FROZEN["figures"]))
def test_plotlys_validators_accept_the_figure_unchanged(name):
    """Plotly's Python package (a dev dependency) reads the dict as a figure and writes it back
    the same: every attribute is one plotly.js knows, in the form Plotly would have written."""
    go = pytest.importorskip("plotly.graph_objects")
    from plotly.utils import PlotlyJSONEncoder

    fig = built(name)
    assert json.loads(json.dumps(go.Figure(fig).to_plotly_json(), cls=PlotlyJSONEncoder)) == fig


def test_the_template_is_the_installed_plotlys_default():
    """When the dev extra's plotly is upgraded (with tools/build_plotly.sh's bundle), refresh
    src/aldea/core/plotly_template.json from it."""
    go = pytest.importorskip("plotly.graph_objects")
    from plotly.utils import PlotlyJSONEncoder

    default = json.dumps(go.Figure().to_plotly_json()["layout"]["template"], cls=PlotlyJSONEncoder)
    assert json.loads(default) == plotly_template()


def test_figure_json_writes_numbers_dates_and_gaps_as_plotly_did():
    import datetime

    fig = figure(trace("scatter", x=[datetime.date(2025, 1, 1)], y=[Decimal("2.50"), math.nan, None]))
    data = json.loads(figure_json(fig))["data"]
    assert data == [{"type": "scatter", "x": ["2025-01-01"], "y": [2.5, None, None]}]
