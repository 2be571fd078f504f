"""Programme pages: the overview (home of managers, partners and analysts), villages, a village."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aldea.accounts import scoping
from aldea.core.charts import figure_json
from aldea.core.exceptions import DomainError
from aldea.core.navigation import STAFF, roles_of
from aldea.enterprises.models import Enterprise
from aldea.programmes import figures
from aldea.programmes.equity import store_equity_report
from aldea.programmes.forms import VillageStatusForm
from aldea.programmes.models import VillageStatus
from aldea.programmes.services import change_village_status
from aldea.territories.figures import geojson_url

OVERVIEW_ROLES = frozenset({"manager", "analyst", "partner", STAFF})
MSMES_PER_PAGE = 50


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _link(url_name: str, **kwargs) -> str | None:
    """The URL of another app's page, or None while that page does not exist."""
    try:
        return reverse(url_name, kwargs=kwargs)
    except NoReverseMatch:
        return None


@login_required
def overview(request):
    if not roles_of(request.user) & OVERVIEW_ROLES:
        raise PermissionDenied
    slug = request.GET.get("programme")
    programme, programmes = figures.choose_programme(
        request.user, slug, only_ids=figures.overview_programme_ids(request.user)
    )
    if programme is None:
        if slug:
            raise Http404
        return render(request, "programmes/overview.html", {"programme": None})
    data = figures.programme_overview(request.user, programme, today=timezone.localdate())
    equity = figures.equity_panel(data.equity.figures) if data.equity else None
    context = {
        "programme": programme,
        "programmes": programmes,
        "data": data,
        "tiles": data.tiles,
        "cascade_json": figure_json(figures.cascade_figure(figures.cascade_stages(data.values))),
        "sales_json": figure_json(figures.sales_figure(data.sales, programme.currency))
        if data.sales.months
        else None,
        "map_json": figure_json(figures.village_map_figure(data.villages, geojson_url("states")))
        if data.villages
        else None,
        "equity": equity,
        "lorenz_json": figure_json(figures.lorenz_figure(data.equity.figures.get("lorenz", [])))
        if equity and not equity["empty"]
        else None,
        "can_manage": figures.manages(request.user, programme),
    }
    return render(request, "programmes/overview.html", context)


@login_required
@require_POST
def compute_equity(request):
    """Compute the programme's equity report now (managers), then show the overview again."""
    programme = get_object_or_404(
        scoping.programmes_visible_to(request.user), slug=request.POST.get("programme", "")
    )
    if not scoping.programmes_managed_by(request.user).filter(pk=programme.pk).exists():
        raise PermissionDenied
    report = store_equity_report(programme)
    messages.success(
        request,
        _("Equity figures computed for %(count)s participants.") % {"count": report.participants},
    )
    return redirect(f"{reverse('programmes:overview')}?programme={programme.slug}")


@login_required
def villages(request):
    queryset = (
        scoping.villages_visible_to(request.user)
        .select_related("programme", "municipality__parent")
        .annotate(
            msmes=Count("enterprises", filter=Q(enterprises__group=Enterprise.Group.PARTICIPANT))
        )
        .order_by("programme__name", "name")
    )
    status = request.GET.get("status", "")
    if status in VillageStatus.values:
        queryset = queryset.filter(status=status)
    rows = list(queryset)
    for village in rows:
        village.progress = (
            min(100, round(100 * village.msmes / village.target_msmes))
            if village.target_msmes
            else None
        )
    return render(
        request,
        "programmes/villages.html",
        {
            "villages": rows,
            "statuses": VillageStatus.choices,
            "status": status,
            "show_programme": len({v.programme_id for v in rows}) > 1,
        },
    )


def _village_context(request, village, status_form=None):
    user = request.user
    enterprises = scoping.enterprises_visible_to(user).filter(village=village)
    progress = figures.msme_progress(enterprises)
    cascade = figures.village_cascade(village)
    sales = figures.monthly_sales(
        scoping.outcome_records_visible_to(user).filter(enterprise__village=village)
    )
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    pages = max(1, -(-progress["participants"] // MSMES_PER_PAGE))
    page = min(page, pages)
    start = (page - 1) * MSMES_PER_PAGE
    msmes = list(
        enterprises.filter(group=Enterprise.Group.PARTICIPANT).order_by("name", "code")[
            start : start + MSMES_PER_PAGE
        ]
    )
    detail_available = _link("enterprises:detail", code="x") is not None
    for msme in msmes:
        msme.url = _link("enterprises:detail", code=msme.code) if detail_available else None
    cohorts = list(
        scoping.cohorts_visible_to(user)
        .filter(village=village)
        .select_related("course")
        .annotate(enrolled=Count("enrolments"))
        .order_by("-starts_on", "code")
    )
    cohort_page = _link("training:cohort", code="x") is not None
    for cohort in cohorts:
        cohort.url = _link("training:cohort", code=cohort.code) if cohort_page else None
    stages = [
        (_("Trainers"), cascade.trainer_count),
        (_("Consultants"), cascade.consultant_count),
        (_("MSMEs served"), cascade.msme_count),
        (_("MSMEs listed"), progress["listed"]),
        (_("MSMEs selling online"), progress["first_sale"]),
    ]
    can_manage = figures.manages(user, village.programme)
    if can_manage and status_form is None:
        status_form = VillageStatusForm(village=village)
    target = village.target_msmes
    return {
        "village": village,
        "history": list(
            scoping.village_status_changes_visible_to(user)
            .filter(village=village)
            .select_related("changed_by")
            .order_by("changed_at")
        ),
        "partner_roles": list(
            scoping.village_partner_roles_visible_to(user)
            .filter(village=village)
            .select_related("organisation")
            .order_by("role", "organisation__name")
        ),
        "cohorts": cohorts,
        "cascade": cascade,
        "cascade_json": figure_json(figures.cascade_figure(stages)),
        "progress": progress,
        "target_percent": min(100, round(100 * progress["participants"] / target))
        if target
        else None,
        "sales": sales,
        "sales_total": sum(sales.totals.get(Enterprise.Group.PARTICIPANT, []), 0),
        "sales_json": figure_json(figures.village_sales_figure(sales, village.programme.currency))
        if sales.months
        else None,
        "msmes": msmes,
        "page": page,
        "pages": pages,
        "can_manage": can_manage,
        "status_form": status_form if can_manage else None,
    }


def _visible_village(request, slug):
    return get_object_or_404(
        scoping.villages_visible_to(request.user).select_related(
            "programme", "municipality__parent", "locality"
        ),
        slug=slug,
    )


@login_required
def village(request, slug):
    village = _visible_village(request, slug)
    return render(request, "programmes/village.html", _village_context(request, village))


@login_required
@require_POST
def village_status(request, slug):
    """Managers move the village along its lifecycle through ``change_village_status``."""
    village = _visible_village(request, slug)
    if not scoping.villages_writable_by(request.user).filter(pk=village.pk).exists():
        raise PermissionDenied
    form = VillageStatusForm(request.POST, village=village)
    if form.is_valid():
        try:
            change_village_status(
                village=village,
                to_status=form.cleaned_data["to_status"],
                user=request.user,
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            form.add_error("to_status", str(error))
        else:
            messages.success(
                request,
                _("The village is now %(status)s.")
                % {"status": VillageStatus(form.cleaned_data["to_status"]).label},
            )
            url = reverse("programmes:village", args=[village.slug])
            if _is_htmx(request):
                response = render(
                    request,
                    "programmes/partials/status_form.html",
                    {"village": village, "status_form": None},
                )
                response["HX-Redirect"] = url
                return response
            return redirect(url)
    if _is_htmx(request):
        return render(
            request,
            "programmes/partials/status_form.html",
            {"village": village, "status_form": form},
            status=400,
        )
    return render(
        request,
        "programmes/village.html",
        _village_context(request, village, status_form=form),
        status=400,
    )
