"""Figures for pages, built in Python as plain dicts, drawn in the browser by plotly.js
(aldea_charts.plotly_script).

A figure is what plotly.js's ``Plotly.react`` takes: ``{"data": [trace, ...], "layout": {...}}``,
each trace a dict with its ``type``. They used to be built with Plotly's Python package, which
wrote the same JSON; it weighed 39 MB of the install for nothing the pages need, so the charts
write the dicts themselves (tests/core/test_chart_figures.py checks them against what the
package wrote, and against its validators).

A page carries each figure as data in a ``<script type="application/json">`` element (the
``chart`` template tag writes it), and one static script, ``aldea/charts.js``, draws them all: no
inline code per chart.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import json
import math
from pathlib import Path

from django.utils.functional import Promise

# One look for every chart: the brand colour first, readable on a phone.
PALETTE = ["#0f6e5a", "#c8553d", "#f2b705", "#3d7ea6", "#7a5195", "#8a9a5b", "#5b6b70"]

# Plotly's default template ("plotly"), as Plotly's Python package 7.1.0 put it in every figure
# (plotly.py's package_data/templates/plotly.json, MIT licence, as the vendored plotly.js):
# the grid, axis and colour-scale defaults the charts were designed with.
_TEMPLATE_FILE = Path(__file__).with_name("plotly_template.json")
# The bare template of a figure made with ``template="none"``.
NO_TEMPLATE = {"data": {"scatter": [{"type": "scatter"}]}}


@functools.cache
def plotly_template() -> dict:
    return json.loads(_TEMPLATE_FILE.read_text(encoding="utf-8"))


def figure(*traces: dict, template: dict | None = None) -> dict:
    """A figure of ``traces`` with Plotly's default template (or ``template``)."""
    return {"data": list(traces), "layout": {"template": template if template is not None else plotly_template()}}


def trace(kind: str, **attributes) -> dict:
    """A trace of plotly.js type ``kind`` ("scatter", "bar", ...); attributes left ``None`` are
    left out, as Plotly's package left them."""
    return {**{k: v for k, v in attributes.items() if v is not None}, "type": kind}


def update_layout(fig: dict, **attributes) -> dict:
    """Merge ``attributes`` into the layout, dicts key by key (as ``Figure.update_layout``); a
    ``None`` removes the attribute."""
    _merge(fig["layout"], attributes)
    return fig


def _merge(target: dict, update: dict) -> None:
    for key, value in update.items():
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict) and isinstance(target.get(key), dict):
            target[key] = dict(target[key])
            _merge(target[key], value)
        else:
            target[key] = value


def hline(fig: dict, y: float, line: dict) -> dict:
    """A horizontal line across the plot at ``y`` (``Figure.add_hline``)."""
    fig["layout"].setdefault("shapes", []).append(
        {"line": line, "type": "line", "x0": 0, "x1": 1, "xref": "x domain", "y0": y, "y1": y, "yref": "y"}
    )
    return fig


def vline(fig: dict, x: float, line: dict) -> dict:
    """A vertical line up the plot at ``x`` (``Figure.add_vline``)."""
    fig["layout"].setdefault("shapes", []).append(
        {"line": line, "type": "line", "x0": x, "x1": x, "xref": "x", "y0": 0, "y1": 1, "yref": "y domain"}
    )
    return fig


def styled(fig: dict, *, height: int | None = 340) -> dict:
    return update_layout(
        fig,
        height=height,
        margin={"l": 40, "r": 10, "t": 30, "b": 40},
        colorway=PALETTE,
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        legend={"orientation": "h", "y": -0.2},
        font={"family": "system-ui, sans-serif", "size": 13},
    )


def _json_default(value):
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if hasattr(value, "tolist"):  # a NumPy array or number
        return value.tolist()
    if isinstance(value, Promise):  # a lazy translation
        return str(value)
    raise TypeError(f"{type(value).__name__} in a figure")


def _finite(value):
    """NaN and infinities as null, as JSON has neither (plotly.js draws a gap)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def figure_json(fig: dict) -> str:
    """The figure as JSON text, for the `chart` template tag (which escapes it for the page)."""
    try:
        return json.dumps(fig, default=_json_default, allow_nan=False)
    except ValueError:  # a NaN or an infinity somewhere
        return json.dumps(_finite(fig), default=_json_default, allow_nan=False)


# What json_script escapes (<, > and &, so no text in the data can end the <script> element or
# open a comment in it), and the two line separators that old JavaScript parsers read as line
# ends. Each becomes a JSON \u escape, so the text stays the same JSON.
_SCRIPT_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def script_safe_json(text: str) -> str:
    """JSON text made safe as the content of a <script type="application/json"> element."""
    return str(text).translate(_SCRIPT_ESCAPES)
