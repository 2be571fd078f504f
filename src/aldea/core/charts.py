"""Plotly figures for pages: built in Python, drawn in the browser by plotly.js (aldea_charts.plotly_script).

A page carries each figure as data in a ``<script type="application/json">`` element (the
``chart`` template tag writes it), and one static script, ``aldea/charts.js``, draws them all: no
inline code per chart.
"""

import json

import plotly.graph_objects as go
from plotly.utils import PlotlyJSONEncoder

# One look for every chart: the brand colour first, readable on a phone.
PALETTE = ["#0f6e5a", "#c8553d", "#f2b705", "#3d7ea6", "#7a5195", "#8a9a5b", "#5b6b70"]


def styled(figure: go.Figure, *, height: int = 340) -> go.Figure:
    figure.update_layout(
        height=height,
        margin={"l": 40, "r": 10, "t": 30, "b": 40},
        colorway=PALETTE,
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        legend={"orientation": "h", "y": -0.2},
        font={"family": "system-ui, sans-serif", "size": 13},
    )
    return figure


def figure_json(figure: go.Figure) -> str:
    """The figure as JSON text, for the `chart` template tag (which escapes it for the page)."""
    return json.dumps(figure.to_plotly_json(), cls=PlotlyJSONEncoder)


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
