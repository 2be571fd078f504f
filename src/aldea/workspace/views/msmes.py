"""The MSME list in the user's scope, and an MSME's profile."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from aldea.accounts.models import Role
from aldea.consulting.models import Engagement, Stage
from aldea.core.access import visible_or_404
from aldea.core.charts import figure_json
from aldea.diagnostics.models import Assessment, MaturityLevel
from aldea.enterprises.models import ChannelKind
from aldea.enterprises.queries import (
    enterprises_visible_to,
    enterprises_with_editable_products,
    villages_open_for_registration_by,
)
from aldea.outcomes.models import Listing
from aldea.outcomes.queries import enterprises_with_enterable_outcomes
from aldea.people.queries import disclosure
from aldea.programmes.queries import villages_visible_to
from aldea.showcase.queries import is_on_show
from aldea.workspace.charts import msme as charts
from aldea.workspace.figures import msme as figures
from aldea.workspace.forms import MsmeFilterForm
from aldea.workspace.navigation import DIAGNOSING_ROLES, roles_of

PAGE_SIZE = 25
LEVEL_LABELS = dict(MaturityLevel.choices)
STAGE_LABELS = dict(Stage.choices)


def _list_queryset(user):
    """Visible MSMEs with the figures the list shows, each computed in SQL (no per-row query)."""
    latest_assessment = Assessment.objects.filter(enterprise=OuterRef("pk")).order_by("-assessed_on", "-pk")
    latest_engagement = Engagement.objects.filter(enterprise=OuterRef("pk")).order_by("-started_on", "-pk")
    live = (
        Listing.objects.filter(product__enterprise=OuterRef("pk"), status=Listing.Status.LIVE)
        .order_by().values("product__enterprise").annotate(n=Count("pk")).values("n")
    )
    return (
        enterprises_visible_to(user)
        .select_related("village")
        .annotate(
            latest_level=Subquery(latest_assessment.values("level")[:1]),
            latest_score=Subquery(latest_assessment.values("score")[:1]),
            current_stage=Subquery(latest_engagement.values("stage")[:1]),
            live_listings=Subquery(live),
        )
        .order_by("name", "pk")
    )


@login_required
def msme_list(request):
    visible = enterprises_visible_to(request.user)
    if roles_of(request.user) == {Role.MSME_OWNER}:
        own = list(visible.values_list("code", flat=True)[:2])
        if len(own) == 1:
            return redirect("workspace:msme", code=own[0])
    form = MsmeFilterForm(request.GET or None, villages=villages_visible_to(request.user).order_by("name"))
    queryset = form.apply(_list_queryset(request.user))
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for enterprise in page.object_list:
        enterprise.level_label = LEVEL_LABELS.get(enterprise.latest_level, "")
        enterprise.stage_label = STAGE_LABELS.get(enterprise.current_stage, "")
    filtering = any(request.GET.get(name) for name in ("village", "sector", "stage", "women_led", "group"))
    context = {"form": form, "page": page, "filtering": filtering,
               "can_register": villages_open_for_registration_by(request.user).exists()}
    template = "workspace/partials/msme_results.html" if request.htmx else "workspace/msmes.html"
    return render(request, template, context)


def _assessment_url(enterprise, pk) -> str | None:
    try:
        return reverse("diagnostics:assessment", kwargs={"code": enterprise.code, "pk": pk})
    except NoReverseMatch:  # the diagnostics pages are not installed
        return None


def _diagnostic_url(user, enterprise) -> str | None:
    if not roles_of(user) & DIAGNOSING_ROLES:
        return None
    try:
        return reverse("diagnostics:new", kwargs={"code": enterprise.code})
    except NoReverseMatch:
        try:
            return reverse("diagnostics:new") + f"?enterprise={enterprise.code}"
        except NoReverseMatch:  # the diagnostics pages are not installed
            return None


@login_required
def msme_detail(request, code):
    enterprise = visible_or_404(
        enterprises_visible_to(request.user).select_related(
            "programme", "village", "owner", "municipality__parent", "locality"
        ),
        code=code,
    )
    assessments = list(enterprise.assessments.select_related("assessor"))
    products = list(
        enterprise.products.order_by("title").prefetch_related(
            "photos",
            Prefetch("listings", queryset=Listing.objects.select_related("channel").order_by("channel__name"))
        )
    )
    outcomes = list(enterprise.outcomes.order_by("month"))
    engagements = list(enterprise.engagements.select_related("consultant", "supervisor").order_by("-started_on"))
    history = figures.maturity_history(assessments)
    for row in history:
        row["url"] = _assessment_url(enterprise, row["pk"])
    channels, matrix = figures.listing_matrix(products)
    can_edit = enterprises_with_editable_products(request.user).filter(pk=enterprise.pk).exists()
    context = {
        "enterprise": enterprise,
        "currency": enterprise.programme.currency,
        "disclosure": disclosure(request.user, enterprise.owner),
        "history": history,
        "latest": history[-1] if history else None,
        "maturity_chart": figure_json(charts.maturity_figure(history)) if len(history) > 1 else None,
        "products": products,
        "channels": channels,
        "matrix": matrix,
        "listing_counts": figures.listing_status_counts(products),
        "outcomes": outcomes,
        "recent_outcomes": outcomes[-12:][::-1],
        "summary": figures.outcome_summary(outcomes),
        "outcomes_chart": figure_json(charts.outcomes_figure(outcomes, enterprise.programme.currency))
        if outcomes else None,
        "engagements": engagements,
        "can_edit_products": can_edit,
        "can_enter_outcomes": enterprises_with_enterable_outcomes(request.user).filter(pk=enterprise.pk).exists(),
        "diagnostic_url": _diagnostic_url(request.user, enterprise),
        "baseline_channels": _channel_labels(enterprise.baseline_channels),
        "showcase_url": reverse("showcase:village", kwargs={"slug": enterprise.village.slug})
        if enterprise.has_showcase_consent and is_on_show(enterprise.village) else None,
    }
    return render(request, "workspace/msme.html", context)


def _channel_labels(values) -> list[str]:
    labels = dict(ChannelKind.choices)
    return [str(labels.get(value, value)) for value in values or []]


