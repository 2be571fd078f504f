"""Consultancy pages: the board of engagements by stage and the engagement page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aldea.accounts.models import Person, Role
from aldea.accounts.queries import reach_of
from aldea.consulting.figures import board_columns, column_cards
from aldea.consulting.forms import (
    ActionDoneForm,
    ActionItemForm,
    BoardFilterForm,
    MeetingForm,
    MoveForm,
)
from aldea.consulting.models import ActionItem, Stage
from aldea.consulting.queries import engagements_visible_to, engagements_writable_by
from aldea.consulting.services import move_engagement
from aldea.core.access import changeable_or_404
from aldea.core.exceptions import DomainError
from aldea.diagnostics.queries import assessments_visible_to
from aldea.enterprises.queries import enterprises_served_by
from aldea.ops.idempotency import idempotent_write
from aldea.programmes.queries import villages_visible_to

COLUMN_PAGE_SIZE = 40


def _filter_form(user, data):
    visible = engagements_visible_to(user)
    return BoardFilterForm(
        data,
        villages=villages_visible_to(user).order_by("name"),
        consultants=Person.objects.filter(id__in=visible.values("consultant_id")).order_by("family_name", "given_name"),
    )


def _board_context(request, data, *, move_errors=None):
    """The board for the filters in ``data`` (GET or the hidden fields of a move)."""
    user = request.user
    filters = _filter_form(user, data)
    engagements = filters.apply(engagements_visible_to(user))
    writable = enterprises_served_by(user)
    stage = data.get("stage")
    page = None
    if stage in Stage.values:
        # "Show more": one column, paginated.
        page = Paginator(column_cards(engagements, stage, writable_enterprises=writable), COLUMN_PAGE_SIZE).get_page(
            data.get("page")
        )
        columns = None
    else:
        stage = None
        columns = board_columns(engagements, writable_enterprises=writable)
    move_errors = move_errors or {}
    for card in (page.object_list if page else [card for column in columns for card in column.cards]):
        card.move_form = move_errors.get(card.pk) or MoveForm(
            prefix=f"move-{card.pk}", initial={"to_stage": card.stage}
        )
    return {
        "filters": filters,
        "query": filters.query_string(),
        "columns": columns,
        "single_stage": stage,
        "single_stage_label": Stage(stage).label if stage else "",
        "page": page,
        "stages": Stage.choices,
    }


@login_required
def board(request):
    data = request.GET
    if not data and reach_of(request.user).holds({Role.CONSULTANT}) and hasattr(request.user, "person"):
        # A consultant opens the board on their own cards; "All consultants" shows the village.
        data = QueryDict(mutable=True)
        data["consultant"] = str(request.user.person.pk)
    return render(request, "consulting/board.html", _board_context(request, data))


def _writable_engagement(user, pk):
    """The engagement if the user may change it; 404 when out of sight, 403 when read-only."""
    return changeable_or_404(
        engagements_visible_to(user).select_related("enterprise__village", "enterprise__programme", "consultant", "supervisor"),
        engagements_writable_by(user),
        pk=pk,
    )


@login_required
@require_POST
def move(request, pk):
    """Move a card. From the board (htmx or not) the board comes back; from the engagement page, that page."""
    engagement = _writable_engagement(request.user, pk)
    form = MoveForm(request.POST, prefix=f"move-{engagement.pk}")
    if form.is_valid():
        try:
            move_engagement(
                engagement=engagement, to_stage=form.cleaned_data["to_stage"], user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
    failed = not form.is_valid()
    if request.POST.get("from") == "engagement":
        if failed:
            return _render_engagement(request, engagement, status=400, move_form=form)
        messages.success(request, _("Moved to «%(stage)s».") % {"stage": Stage(form.cleaned_data["to_stage"]).label})
        return redirect("consulting:engagement", pk=engagement.pk)
    if request.htmx:
        context = _board_context(request, request.POST, move_errors={engagement.pk: form} if failed else None)
        return render(request, "consulting/partials/board.html", context, status=400 if failed else 200)
    if failed:
        context = _board_context(request, request.POST, move_errors={engagement.pk: form})
        return render(request, "consulting/board.html", context, status=400)
    filters = _filter_form(request.user, request.POST)
    query = filters.query_string()
    return redirect(reverse("consulting:board") + (f"?{query}" if query else ""))


def _render_engagement(request, engagement, *, status=200, move_form=None, meeting_form=None, action_form=None):
    user = request.user
    can_write = enterprises_served_by(user).filter(pk=engagement.enterprise_id).exists()
    return render(request, "consulting/engagement.html", {
        "engagement": engagement,
        "enterprise": engagement.enterprise,
        "can_write": can_write,
        "history": engagement.stage_changes.select_related("changed_by").order_by("-changed_at"),
        "meetings": engagement.meetings.order_by("-held_on"),
        # Open items first (they have no completion date), each group by due date.
        "action_items": engagement.action_items.order_by(F("completed_on").asc(nulls_first=True), "due_on"),
        "assessments": assessments_visible_to(user).filter(enterprise=engagement.enterprise)
        .select_related("assessor").order_by("-assessed_on", "-pk")[:12],
        "move_form": move_form or MoveForm(prefix=f"move-{engagement.pk}", initial={"to_stage": engagement.stage}),
        "meeting_form": meeting_form or MeetingForm(),
        "action_form": action_form or ActionItemForm(),
        "today": timezone.localdate(),
    }, status=status)


@login_required
def engagement(request, pk):
    item = get_object_or_404(
        engagements_visible_to(request.user).select_related(
            "enterprise__village", "enterprise__programme", "consultant", "supervisor"
        ),
        pk=pk,
    )
    return _render_engagement(request, item)


def _add_to_engagement(request, pk, form_class, form_name: str, done_message: str):
    """Save a meeting or an action item of an engagement the user may write to."""
    item = _writable_engagement(request.user, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        return _render_engagement(request, item, status=400, **{form_name: form})
    with transaction.atomic():
        form.instance.engagement = item
        form.save()
    messages.success(request, done_message)
    return redirect("consulting:engagement", pk=item.pk)


@login_required
@require_POST
@idempotent_write
def add_meeting(request, pk):
    return _add_to_engagement(request, pk, MeetingForm, "meeting_form", _("Meeting recorded."))


@login_required
@require_POST
def add_action_item(request, pk):
    return _add_to_engagement(request, pk, ActionItemForm, "action_form", _("Action item added."))


@login_required
@require_POST
def complete_action_item(request, pk):
    item = _writable_engagement(request.user, pk)
    form = ActionDoneForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    action = get_object_or_404(item.action_items, pk=form.cleaned_data["item"])
    if action.status != ActionItem.Status.DONE:
        action.status = ActionItem.Status.DONE
        action.completed_on = timezone.localdate()
        action.save(update_fields=["status", "completed_on"])
    messages.success(request, _("«%(title)s» marked done.") % {"title": action.title})
    return redirect("consulting:engagement", pk=item.pk)
