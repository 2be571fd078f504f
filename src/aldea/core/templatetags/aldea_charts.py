from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from aldea.core.charts import script_safe_json

register = template.Library()

PLOTLY_BUNDLE = "vendor/plotly/plotly-aldea.min.js"


@register.simple_tag(takes_context=True)
def plotly_script(context):
    """plotly.js (a partial bundle with the trace types and locales Aldea uses, built by
    tools/build_plotly.sh) and aldea/charts.js, which draws the page's charts: once per page however
    many charts it has. Deferred, so they run in order once the whole page is parsed, and a
    page's own deferred script after them finds its charts drawn."""
    if context.get("_plotly_loaded"):
        return ""
    context["_plotly_loaded"] = True
    return format_html(
        '<script src="{}" defer></script><script src="{}" defer></script>',
        static(PLOTLY_BUNDLE),
        static("aldea/charts.js"),
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
