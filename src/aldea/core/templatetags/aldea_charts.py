from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def plotly_script(context):
    """The <script> for plotly.min.js, once per page however many charts it has."""
    if context.get("_plotly_loaded"):
        return ""
    context["_plotly_loaded"] = True
    return format_html('<script src="{}"></script>', static("plotly/plotly.min.js"))


@register.simple_tag(takes_context=True)
def chart(context, element_id: str, figure_json: str, label: str = ""):
    """A responsive Plotly chart drawn from JSON made by aldea.core.charts.figure_json."""
    request = context.get("request")
    return format_html(
        '<div id="{id}" class="chart" role="img" aria-label="{label}"></div>'
        # The Content-Security-Policy runs inline scripts only with the page's nonce.
        '<script nonce="{nonce}">(function(){{var f={fig};'
        'Plotly.newPlot("{id}", f.data, f.layout, {{responsive: true, displaylogo: false}});'
        # Charts in auto-fit grids are measured before the grid settles: size them again on load.
        'window.addEventListener("load", function(){{Plotly.Plots.resize("{id}");}});}})();</script>',
        id=element_id,
        nonce=getattr(request, "csp_nonce", ""),
        label=label,
        fig=mark_safe(figure_json),
    )
