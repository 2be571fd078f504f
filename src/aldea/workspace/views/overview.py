"""The programme overview: home of managers, partners and analysts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aldea.accounts.queries import manages
from aldea.core.access import changeable_or_404, is_global
from aldea.core.charts import figure_json
from aldea.partners.figures import renewals_due
from aldea.partners.queries import agreements_visible_to
from aldea.programmes.queries import (
    overview_programmes_of,
    programmes_managed_by,
    programmes_visible_to,
)
from aldea.reporting.equity import store_equity_report
from aldea.reporting.impact.compute import store_impact_estimate
from aldea.territories.geo import geojson_url, has_map
from aldea.workspace.charts import programme as charts
from aldea.workspace.figures import impact as impact_figures
from aldea.workspace.figures import overview as figures
from aldea.workspace.figures import snapshots
from aldea.workspace.navigation import OVERVIEW_ROLES, require_role
from aldea.workspace.report.content import REPORT_LANGUAGES
from aldea.workspace.views.reports import latest_report


@login_required
def overview(request):
    require_role(request.user, OVERVIEW_ROLES)
    slug = request.GET.get("programme")
    programme, programmes = figures.choose_programme(overview_programmes_of(request.user), slug)
    if programme is None:
        if slug:
            raise Http404
        return render(request, "workspace/overview.html", {"programme": None, "can_create": is_global(request.user)})
    data = figures.programme_overview(request.user, programme, today=timezone.localdate())
    # Equity figures are the whole programme's: shown only to those who see it whole.
    equity = figures.equity_panel(data.equity.figures) if data.equity and data.whole_programme else None
    impact = (impact_figures.impact_panel(impact_figures.latest_impact(programme), programme.currency)
              if data.whole_programme else None)
    context = {
        "programme": programme,
        "programmes": programmes,
        "data": data,
        "tiles": data.tiles,
        "cascade_json": figure_json(charts.cascade_figure(figures.cascade_stages(data.values))),
        "sales_json": figure_json(charts.sales_figure(data.sales, programme.currency)) if data.sales.months else None,
        "map_json": figure_json(charts.village_map_figure(
            data.villages, geojson_url("states", country=programme.country.code), programme.country.code))
        if data.villages and has_map(programme.country.code)
        else None,
        "equity": equity,
        "lorenz_json": figure_json(charts.lorenz_figure(data.equity.figures.get("lorenz", [])))
        if equity and not equity["empty"]
        else None,
        "impact": impact,
        "event_study_json": figure_json(charts.event_study_figure(impact["event_study"], programme.currency))
        if impact and "event_study" in impact
        else None,
        "can_manage": manages(request.user, programme.id),
        "can_create": is_global(request.user),
        "renewals": renewals_due(
            agreements_visible_to(request.user).filter(programme=programme).prefetch_related("parties"),
            today=timezone.localdate(),
        ),
        "report": latest_report(request.user, programme) if data.whole_programme else None,
        "report_languages": REPORT_LANGUAGES,
        "counts_max_minutes": snapshots.max_age_minutes(),
    }
    return render(request, "workspace/overview.html", context)


@login_required
@require_POST
def compute_equity(request):
    """Compute the programme's online-sales estimate and, from its net gains, the equity report
    now (managers), then show the overview again."""
    programme = changeable_or_404(
        programmes_visible_to(request.user), programmes_managed_by(request.user),
        slug=request.POST.get("programme", ""),
    )
    estimate = store_impact_estimate(programme, "online_sales")
    report = store_equity_report(programme, estimate.result.get("who_benefits") or {"error": estimate.error})
    messages.success(
        request, _("Equity figures computed for %(count)s participants.") % {"count": report.participants}
    )
    return redirect(f"{reverse('workspace:overview')}?programme={programme.slug}")


