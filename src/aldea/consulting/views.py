"""Consultancy pages: the board of engagements by stage (with consultant assignment), the
engagement page, a consultant's to-do and the drop-reason report."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aldea.accounts.models import Person, Role
from aldea.accounts.queries import reach_of
from aldea.consulting.figures import board_columns, column_cards, drop_reason_report
from aldea.consulting.forms import (
    ActionDoneForm,
    ActionItemForm,
    AssignForm,
    BoardFilterForm,
    MeetingForm,
    MoveForm,
)
from aldea.consulting.models import Stage
from aldea.consulting.queries import (
    action_items_visible_to,
    engagements_reassignable_by,
    engagements_visible_to,
    engagements_writable_by,
    enterprises_awaiting_consultant,
    my_open_action_items,
    my_open_engagements,
)
from aldea.consulting.services import (
    assign_consultant,
    consultants_by_place,
    consultants_for,
    has_consultants,
    least_busy_consultant,
    move_engagement,
    offered_consultants,
    reassign_engagement,
)
from aldea.consulting.services import (
    complete_action_item as complete_action,
)
from aldea.core.access import changeable_or_404
from aldea.core.exceptions import DomainError
from aldea.diagnostics.queries import assessments_visible_to
from aldea.enterprises.models import Enterprise
from aldea.enterprises.queries import enterprises_served_by, enterprises_visible_to
from aldea.ops.idempotency import idempotent_write
from aldea.programmes.queries import villages_visible_to

COLUMN_PAGE_SIZE = 40
# MSMEs awaiting a consultant shown on the board at once.
AWAITING_SHOWN = 20
AWAITING_COUNTED = 1000
# An open engagement is due a meeting when its last one is older than this (or it has none).
MEETING_DUE_DAYS = 14


def _filter_form(user, data):
    visible = engagements_visible_to(user)
    return BoardFilterForm(
        data,
        villages=villages_visible_to(user).order_by("name"),
        consultants=Person.objects.filter(id__in=visible.values("consultant_id")).order_by("family_name", "given_name"),
        me=_own_person(user),
    )


def _own_person(user):
    """The user's person when they serve as a consultant (offered first in the board's filter)."""
    if not reach_of(user).holds({Role.CONSULTANT}):
        return None
    return Person.objects.filter(user=user).first()


def _mark_reassignable(user, cards, assign_errors=None):
    """Mark the cards whose consultant the user may change (one query). The consultants offered
    are fetched when a card's "Change consultant" is opened (``consultant_choices``): ranking
    every village's consultants for every card took most of the manager's board at national
    scale (decision O21)."""
    cards = list(cards)
    reassignable = set(
        engagements_reassignable_by(user).filter(pk__in=[card.pk for card in cards]).values_list("pk", flat=True)
    )
    for card in cards:
        card.can_reassign = card.pk in reassignable
        card.assign_error = (assign_errors or {}).get(card.pk, "")


def _awaiting(user, filters):
    awaiting = enterprises_awaiting_consultant(user).filter(Exists(enterprises_visible_to(user).filter(pk=OuterRef("pk"))))
    if filters.is_valid() and filters.cleaned_data.get("village"):
        awaiting = awaiting.filter(village=filters.cleaned_data["village"])
    # Counted up to a cap: at national scale tens of thousands await, and counting them all
    # read every participant (a badge of "1,000+" says as much).
    count = awaiting.values("pk")[:AWAITING_COUNTED + 1].count()
    shown = list(awaiting.select_related("village").order_by("name", "code")[:AWAITING_SHOWN]) if count else []
    # Asked of the rows shown only: as an annotation of the list, it was asked of every MSME
    # awaiting a consultant before the first 20 were kept (2.3 s at national scale).
    served = set(
        Enterprise.objects.filter(pk__in=[e.pk for e in shown]).alias(has_consultants=has_consultants())
        .filter(has_consultants=True).values_list("pk", flat=True)
    ) if shown else set()
    for enterprise in shown:
        enterprise.has_consultants = enterprise.pk in served
    counted = min(count, AWAITING_COUNTED)
    total = number_format(counted, force_grouping=True) + ("+" if count > AWAITING_COUNTED else "")
    return {"count": count, "shown": shown, "total": total}


def _board_context(request, data, *, move_errors=None, assign_errors=None):
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
    cards = page.object_list if page else [card for column in columns for card in column.cards]
    for card in cards:
        card.move_form = move_errors.get(card.pk) or MoveForm(
            prefix=f"move-{card.pk}", initial={"to_stage": card.stage}
        )
    _mark_reassignable(user, cards, assign_errors)
    return {
        "awaiting": _awaiting(user, filters),
        "filters": filters,
        "query": filters.query_string(),
        "columns": columns,
        "single_stage": stage,
        "single_stage_label": Stage(stage).label if stage else "",
        "page": page,
        "stages": Stage.choices,
        "drop_reason_choices": MoveForm.base_fields["drop_reason_code"].choices,
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
                reason=form.cleaned_data["reason"], drop_reason_code=form.cleaned_data["drop_reason_code"],
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
        "consultant_changes": engagement.consultant_changes.select_related(
            "from_consultant", "to_consultant", "changed_by"
        ).order_by("-changed_at"),
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
    action = complete_action(action=get_object_or_404(item.action_items, pk=form.cleaned_data["item"]),
                             user=request.user)
    messages.success(request, _("«%(title)s» marked done.") % {"title": action.title})
    return redirect("consulting:engagement", pk=item.pk)


def _board_filters_posted(request) -> QueryDict:
    """The board's filters sent with an assignment form, whose own ``consultant`` field is the
    consultant chosen: the filter travels as ``consultant-filter``."""
    data = QueryDict(mutable=True)
    for name in ("village", "stage", "page", "consultant_name"):
        if request.POST.get(name):
            data[name] = request.POST[name]
    if request.POST.get("consultant-filter"):
        data["consultant"] = request.POST["consultant-filter"]
    return data


def _back_to_board(request, *, assign_errors=None):
    """After an assignment: the board region for htmx, else the board with its filters."""
    data = _board_filters_posted(request)
    if request.htmx:
        context = _board_context(request, data, assign_errors=assign_errors)
        return render(request, "consulting/partials/board.html", context, status=400 if assign_errors else 200)
    for error in (assign_errors or {}).values():
        messages.error(request, error)
    query = _filter_form(request.user, data).query_string()
    return redirect(reverse("consulting:board") + (f"?{query}" if query else ""))


def _reassignable_engagement(user, pk):
    """The engagement if the user may hand it over; 404 when out of sight, 403 otherwise."""
    engagement = get_object_or_404(
        engagements_visible_to(user).select_related("enterprise__programme", "consultant"), pk=pk
    )
    if not engagements_reassignable_by(user).filter(pk=engagement.pk).exists():
        raise PermissionDenied
    return engagement


def _awaiting_enterprise(user, code):
    """The MSME if it awaits a consultant the user may give it; 404 when out of sight, 403 otherwise."""
    enterprise = get_object_or_404(enterprises_visible_to(user).select_related("programme"), code=code)
    if not enterprises_awaiting_consultant(user).filter(pk=enterprise.pk).exists():
        raise PermissionDenied
    return enterprise


@login_required
@require_POST
def reassign(request, pk):
    """Give an engagement to another consultant (managers; a consultant their own engagement)."""
    engagement = _reassignable_engagement(request.user, pk)
    form = AssignForm(request.POST, consultants=consultants_for(engagement.enterprise))
    if not form.is_valid():
        return _back_to_board(request, assign_errors={
            engagement.pk: _("Choose one of the consultants offered for this MSME's village.")
        })
    try:
        reassign_engagement(engagement=engagement, consultant=form.cleaned_data["consultant"], user=request.user)
    except DomainError as error:
        return _back_to_board(request, assign_errors={engagement.pk: str(error)})
    if not request.htmx:
        messages.success(request, _("%(msme)s is now served by %(person)s.") % {
            "msme": engagement.enterprise.name, "person": form.cleaned_data["consultant"]})
    return _back_to_board(request)


@login_required
@require_POST
def assign(request, code):
    """Give an MSME with no open engagement its consultant (managers of its programme)."""
    enterprise = _awaiting_enterprise(request.user, code)
    # "Assign" without choosing gives the MSME the least busy consultant of its village.
    chosen = request.POST.get("consultant") or getattr(least_busy_consultant(enterprise), "pk", None)
    form = AssignForm({"consultant": chosen}, consultants=consultants_for(enterprise))
    if chosen is None:
        messages.error(request, _("No consultant of the programme works in this village yet."))
    elif not form.is_valid():
        messages.error(request, _("Choose one of the consultants offered for this MSME's village."))
    else:
        try:
            assign_consultant(enterprise=enterprise, consultant=form.cleaned_data["consultant"], user=request.user)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(msme)s is now served by %(person)s.") % {
                "msme": enterprise.name, "person": form.cleaned_data["consultant"]})
    data = _board_filters_posted(request)
    query = _filter_form(request.user, data).query_string()
    return redirect(reverse("consulting:board") + (f"?{query}" if query else "") + "#awaiting")


def _render_choices(request, *, offered, current, action: str, title: str, cancel: str):
    """The consultants offered, as the options htmx puts in a card's list when it is opened, or
    (without JavaScript) as a page with the form."""
    context = {"offered": offered, "current": current, "action": action, "title": title, "cancel": cancel}
    if request.htmx:
        return render(request, "consulting/partials/consultant_options.html", context)
    return render(request, "consulting/choose_consultant.html", context)


@login_required
def consultant_choices(request, pk):
    """The consultants an engagement may be handed to: its village's least busy, and its own."""
    engagement = _reassignable_engagement(request.user, pk)
    places = consultants_by_place([engagement.enterprise])
    return _render_choices(
        request, offered=offered_consultants(places, engagement.enterprise, current=engagement.consultant),
        current=engagement.consultant, action=reverse("consulting:reassign", args=[engagement.pk]),
        title=engagement.enterprise.name, cancel=reverse("consulting:board"),
    )


@login_required
def awaiting_choices(request, code):
    """The consultants an MSME awaiting one may be given: its village's least busy."""
    enterprise = _awaiting_enterprise(request.user, code)
    places = consultants_by_place([enterprise])
    return _render_choices(
        request, offered=offered_consultants(places, enterprise), current=None,
        action=reverse("consulting:assign", args=[enterprise.code]), title=enterprise.name,
        cancel=reverse("consulting:board") + "#awaiting",
    )


@login_required
def drop_reasons(request):
    """Why MSMEs dropped out, per reason with its share, overall and by village, within the
    viewer's scope."""
    overall, villages = drop_reason_report(engagements_visible_to(request.user))
    return render(request, "consulting/drop_reasons.html", {"overall": overall, "villages": villages})


def _todo_context(user):
    today = timezone.localdate()
    since = today - datetime.timedelta(days=MEETING_DUE_DAYS)
    engagements = list(my_open_engagements(user).order_by(F("last_meeting_on").asc(nulls_first=True), "pk"))
    return {
        "due": [item for item in engagements if item.last_meeting_on is None or item.last_meeting_on < since],
        "action_items": list(my_open_action_items(user)),
        "today": today,
        "due_days": MEETING_DUE_DAYS,
    }


@login_required
def todo(request):
    """A consultant's to-do: their engagements due a meeting and their open action items."""
    return render(request, "consulting/todo.html", _todo_context(request.user))


@login_required
@require_POST
def todo_done(request, pk):
    """Tap "Done" on the to-do: htmx swaps the item for its done line; otherwise back to the list."""
    action = get_object_or_404(action_items_visible_to(request.user), pk=pk)
    if not engagements_writable_by(request.user).filter(pk=action.engagement_id).exists():
        raise PermissionDenied
    action = complete_action(action=action, user=request.user)
    if request.htmx:
        return render(request, "consulting/partials/todo_item.html", {"action": action, "today": timezone.localdate()})
    messages.success(request, _("«%(title)s» marked done.") % {"title": action.title})
    return redirect("consulting:todo")
