"""The villages list and a village's page: its MSMEs, cohorts, cascade, sales and history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aldea.accounts.queries import manages, sees_whole
from aldea.core.access import require_writable, visible_or_404
from aldea.core.charts import figure_json
from aldea.core.exceptions import DomainError
from aldea.enterprises.models import Enterprise
from aldea.enterprises.queries import enterprises_visible_to, participants_of_village
from aldea.outcomes.queries import OutcomeScope, outcome_records_visible_to, outcome_scope
from aldea.partners.queries import village_partner_roles_visible_to
from aldea.programmes.forms import VillageStatusForm
from aldea.programmes.models import VillageStatus
from aldea.programmes.queries import (
    village_status_changes_visible_to,
    villages_visible_to,
    villages_writable_by,
)
from aldea.programmes.services import change_village_status
from aldea.training.queries import cohorts_visible_to
from aldea.workspace.charts import programme as charts
from aldea.workspace.figures import overview as figures
from aldea.workspace.figures import snapshots

MSMES_PER_PAGE = 50
# A village at national scale has hundreds of cohorts and trainers: its page shows the latest
# cohorts and the trainers who reached most MSMEs, and says how many there are in all.
COHORTS_SHOWN = 20
TRAINERS_SHOWN = 20


def _link(url_name: str, **kwargs) -> str | None:
    """The URL of another app's page, or None while that page does not exist."""
    try:
        return reverse(url_name, kwargs=kwargs)
    except NoReverseMatch:
        return None


@login_required
def villages(request):
    queryset = (
        villages_visible_to(request.user)
        .select_related("programme", "municipality__parent")
        .annotate(msmes=participants_of_village())
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
        "workspace/villages.html",
        {
            "villages": rows,
            "statuses": VillageStatus.choices,
            "status": status,
            "show_programme": len({v.programme_id for v in rows}) > 1,
        },
    )


def _village_sales(user, village) -> figures.MonthlySales:
    """The village's monthly sales: from the roll-ups when the user sees every MSME of the
    village (summing its records took most of a second at 100,000 MSMEs), else from the records
    the user sees."""
    scope = outcome_scope(user, village.programme_id)
    if scope.whole or village.id in scope.village_ids:
        sales = figures.monthly_sales_from_rollups(
            village.programme, OutcomeScope(whole=False, village_ids=frozenset({village.id}))
        )
        if sales is not None:
            return sales
    return figures.monthly_sales(outcome_records_visible_to(user).filter(enterprise__village=village))


def _village_context(request, village, status_form=None):
    user = request.user
    enterprises = enterprises_visible_to(user).filter(village=village)
    whole = sees_whole(user, village.programme_id)
    counts = snapshots.counts_for(
        village.programme, snapshots.village_scope(user, village, whole=whole), today=timezone.localdate(),
        compute=lambda: figures.village_counts(user, village), participants=village.msmes,
    )
    progress = counts.figures["progress"]
    cascade = figures.village_cascade_of(counts.figures)
    sales = _village_sales(user, village)
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
    for msme in msmes:
        msme.url = reverse("workspace:msme", kwargs={"code": msme.code})
    village_cohorts = cohorts_visible_to(user).filter(village=village)
    cohorts = list(
        village_cohorts.select_related("course").annotate(enrolled=Count("enrolments"))
        .order_by("-starts_on", "code")[:COHORTS_SHOWN]
    )
    cohort_count = len(cohorts) if len(cohorts) < COHORTS_SHOWN else village_cohorts.count()
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
    can_manage = manages(user, village.programme_id)
    if can_manage and status_form is None:
        status_form = VillageStatusForm(village=village)
    target = village.target_msmes
    return {
        "village": village,
        "history": list(
            village_status_changes_visible_to(user)
            .filter(village=village)
            .select_related("changed_by")
            .order_by("changed_at")
        ),
        "partner_roles": list(
            village_partner_roles_visible_to(user)
            .filter(village=village)
            .select_related("organisation")
            .order_by("role", "organisation__name")
        ),
        "cohorts": cohorts,
        "cohort_count": cohort_count,
        "cascade": cascade,
        "trainers_shown": cascade.trainers[:TRAINERS_SHOWN],
        "cascade_json": figure_json(charts.cascade_figure(stages)),
        "progress": progress,
        "target_percent": min(100, round(100 * progress["participants"] / target))
        if target
        else None,
        "sales": sales,
        "sales_total": sum(sales.totals.get(Enterprise.Group.PARTICIPANT, []), 0),
        "sales_json": figure_json(charts.village_sales_figure(sales, village.programme.currency))
        if sales.months
        else None,
        "msmes": msmes,
        "page": page,
        "pages": pages,
        "can_manage": can_manage,
        "status_form": status_form if can_manage else None,
        "counts_as_of": counts.as_of,
        "counts_max_minutes": snapshots.max_age_minutes(),
    }


def _visible_village(request, slug):
    return visible_or_404(
        villages_visible_to(request.user).select_related("programme", "municipality__parent", "locality")
        .annotate(msmes=participants_of_village()),
        slug=slug,
    )


@login_required
def village(request, slug):
    village = _visible_village(request, slug)
    return render(request, "workspace/village.html", _village_context(request, village))


@login_required
@require_POST
def village_status(request, slug):
    """Managers move the village along its lifecycle through ``change_village_status``."""
    village = _visible_village(request, slug)
    require_writable(villages_writable_by(request.user), village)
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
            url = reverse("workspace:village", args=[village.slug])
            if request.htmx:
                response = render(
                    request,
                    "workspace/partials/status_form.html",
                    {"village": village, "status_form": None},
                )
                response["HX-Redirect"] = url
                return response
            return redirect(url)
    if request.htmx:
        return render(
            request,
            "workspace/partials/status_form.html",
            {"village": village, "status_form": form},
            status=400,
        )
    return render(
        request,
        "workspace/village.html",
        _village_context(request, village, status_form=form),
        status=400,
    )
