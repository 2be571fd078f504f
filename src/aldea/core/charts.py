"""Plotly figures for pages: built in Python, drawn in the browser by the vendored plotly.min.js."""

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
    """The figure as JSON for the `chart` template tag (safe inside a <script> element)."""
    text = json.dumps(figure.to_plotly_json(), cls=PlotlyJSONEncoder)
    # "</" would close the script element; \u003c keeps the JSON valid.
    return text.replace("</", "<\\/")
