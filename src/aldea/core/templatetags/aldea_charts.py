from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from aldea.core.charts import script_safe_json

register = template.Library()

PLOTLY_BUNDLE = "vendor/plotly/plotly-aldea.min.js"


@register.simple_tag(takes_context=True)
def plotly_script(context):
    """aldea/charts.js, which draws the page's charts, and the address of plotly.js (a partial
    bundle with the trace types and locales Aldea uses, built by tools/build_plotly.sh), which
    charts.js loads asynchronously: once per page however many charts it has. The 410 KB bundle
    no longer holds up the rest of the page: htmx, the offline queue and the page's forms start
    as soon as the page is parsed, not after the bundle arrived (2 s and more on a rural link).
    A page's own script waits for ``aldeaCharts.ready`` before it touches a chart. The preload
    starts the bundle's download as soon as the parser meets it, as the deferred script did."""
    if context.get("_plotly_loaded"):
        return ""
    context["_plotly_loaded"] = True
    bundle = static(PLOTLY_BUNDLE)
    return format_html(
        '<link rel="preload" href="{}" as="script"><script src="{}" data-plotly="{}" defer></script>',
        bundle,
        static("aldea/charts.js"),
        bundle,
    )


@register.simple_tag
def chart(element_id: str, figure_json: str, label: str = ""):
    """A responsive Plotly chart: its container, and its figure (JSON made by
    aldea.core.charts.figure_json) as data that aldea/charts.js draws. The figure is escaped as
    json_script does, so nothing in it (a village named ``</script>``) can end the element."""
    figure_id = f"{element_id}-figure"
    return format_html(
        '<div id="{id}" class="chart" role="img" aria-label="{label}" data-figure="{figure_id}"></div>'
        '<script id="{figure_id}" type="application/json">{figure}</script>',
        id=element_id,
        label=label,
        figure_id=figure_id,
        figure=mark_safe(script_safe_json(figure_json)),
    )
