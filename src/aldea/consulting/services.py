"""Engagement lifecycle: every stage move is recorded with who, when and, for drops, why.

The allowed moves (``ALLOWED_MOVES``), stated once here and enforced for every door:

* **forward one stage at a time**: diagnosed → action plan → listing → first online sale →
  graduated. Each stage is a milestone the programme's figures count (an MSME at "first sale"
  made an online sale; the overview counts it), so reaching a stage means every earlier one
  was reached, and a jump from diagnosed to graduated cannot pass for a first sale;
* **back to any earlier open stage**, so a consultant can correct a card moved too far;
* **dropped from any open stage**, with a coded reason (``DropReason``; "other" needs words);
* a closed engagement (graduated or dropped) **reopens only at diagnosed**.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from aldea.accounts.models import Membership, Person, Role
from aldea.accounts.queries import manages, members_of
from aldea.consulting.models import (
    STAGE_ORDER,
    ActionItem,
    ConsultantChange,
    DropReason,
    Engagement,
    Stage,
    StageChange,
)
from aldea.consulting.queries import engagements_reassignable_by
from aldea.core.exceptions import DomainError

CLOSED_STAGES = frozenset({Stage.GRADUATED, Stage.DROPPED})


def _allowed_moves() -> dict[str, tuple[str, ...]]:
    moves = {}
    for index, stage in enumerate(STAGE_ORDER):
        if stage in CLOSED_STAGES:
            continue
        forward = STAGE_ORDER[index + 1: index + 2]
        backward = list(reversed(STAGE_ORDER[:index]))
        moves[stage] = (*forward, *backward, Stage.DROPPED)
    for stage in CLOSED_STAGES:
        moves[stage] = (Stage.DIAGNOSED,)
    return moves


# stage → the stages it may move to, the next stage first.
ALLOWED_MOVES: dict[str, tuple[str, ...]] = _allowed_moves()


def allowed_moves(stage: str) -> tuple[str, ...]:
    """The stages an engagement at ``stage`` may move to, the next stage first."""
    return ALLOWED_MOVES.get(stage, ())


def next_stage(stage: str) -> str | None:
    """The next stage forward, or None at graduated or dropped."""
    if stage in CLOSED_STAGES or stage not in STAGE_ORDER:
        return None
    return STAGE_ORDER[STAGE_ORDER.index(stage) + 1]


def record_stage_change(
    *, engagement: Engagement, from_stage: str, to_stage: str, user=None, reason: str = ""
) -> StageChange:
    """One line of an engagement's stage history (from_stage "" when the engagement starts)."""
    return StageChange.objects.create(
        engagement=engagement, from_stage=from_stage, to_stage=to_stage,
        changed_at=timezone.now(), changed_by=user, reason=reason,
    )


def _consultant_memberships(programme_ids) -> QuerySet[Membership]:
    return Membership.objects.filter(programme_id__in=programme_ids, role=Role.CONSULTANT, is_active=True)


def consultants_for(enterprise) -> QuerySet[Person]:
    """The people who may serve ``enterprise``: active consultants of its programme whose
    membership covers its village (a membership with no village covers all of them)."""
    memberships = _consultant_memberships([enterprise.programme_id]).filter(
        Q(village__isnull=True) | Q(village_id=enterprise.village_id)
    )
    return Person.objects.filter(id__in=memberships.values("person_id")).order_by("family_name", "given_name", "pk")


# Consultants offered on each board card. A village of the 100,000-MSME demo has about 16,000:
# a choice among all of them is neither usable nor quick to send.
OFFERED_CONSULTANTS = 25


def consultants_by_place(enterprises, *, limit: int = OFFERED_CONSULTANTS) -> dict[tuple[int, int | None], list[Person]]:
    """(programme id, village id) → up to ``limit`` consultants who may serve an MSME there,
    those with the fewest open engagements first, for the places of ``enterprises`` (the MSMEs
    of a board's cards), in one query. Look up ``(programme, village)`` and ``(programme, None)``
    (consultants of the whole programme) together: see ``offered_consultants``."""
    programme_ids = {enterprise.programme_id for enterprise in enterprises}
    village_ids = {enterprise.village_id for enterprise in enterprises if enterprise.village_id}
    if not programme_ids:
        return {}
    open_engagements = (
        Engagement.objects.filter(consultant_id=OuterRef("person_id")).exclude(stage__in=CLOSED_STAGES)
        .order_by().values("consultant_id").annotate(n=Count("pk")).values("n")
    )
    rows = (
        _consultant_memberships(programme_ids)
        .filter(Q(village__isnull=True) | Q(village_id__in=village_ids))
        .select_related("person")
        .annotate(open_engagements=Coalesce(Subquery(open_engagements), 0))
        .annotate(rank=Window(
            RowNumber(), partition_by=[F("programme_id"), F("village_id")],
            order_by=[F("open_engagements").asc(), F("person__family_name").asc(), F("person__given_name").asc(),
                      F("person_id").asc()],
        ))
        .filter(rank__lte=limit)
        .order_by("programme_id", "village_id", "rank")
    )
    places: dict[tuple[int, int | None], dict[int, Person]] = {}
    for membership in rows:
        membership.person.open_engagements = membership.open_engagements
        places.setdefault((membership.programme_id, membership.village_id), {})[membership.person_id] = membership.person
    return {place: list(people.values()) for place, people in places.items()}


def least_busy_consultant(enterprise) -> Person | None:
    """Of the consultants who may serve ``enterprise``, the one with the fewest open
    engagements (by name among equals); None when no consultant works in its village."""
    places = consultants_by_place([enterprise], limit=1)
    firsts = [people[0] for key in ((enterprise.programme_id, None), (enterprise.programme_id, enterprise.village_id))
              if (people := places.get(key))]
    return min(firsts, key=lambda p: (p.open_engagements, p.family_name, p.given_name, p.pk), default=None)


def has_consultants():
    """An annotation for MSMEs: whether any consultant may serve them (one index look-up each)."""
    consultants = Membership.objects.filter(programme_id=OuterRef("programme_id"), role=Role.CONSULTANT, is_active=True)
    # Two look-ups, not one with OR: with OR the database reads every membership of the programme.
    return Exists(consultants.filter(village__isnull=True)) | Exists(consultants.filter(village_id=OuterRef("village_id")))


def offered_consultants(places, enterprise, *, current: Person | None = None) -> list[Person]:
    """From ``consultants_by_place``: the consultants offered for ``enterprise``, by name, with
    ``current`` (the card's own consultant) among them."""
    people = {
        person.pk: person
        for key in ((enterprise.programme_id, None), (enterprise.programme_id, enterprise.village_id))
        for person in places.get(key, [])
    }
    if current is not None:
        people.setdefault(current.pk, current)
    return sorted(people.values(), key=lambda person: (person.family_name, person.given_name, person.pk))


def consultant_refusal(*, enterprise, consultant) -> str | None:
    """Why ``consultant`` may not serve ``enterprise``, or None: they must hold an active
    consultant role in the MSME's programme, for its village or for the whole programme."""
    if not members_of([enterprise.programme_id], roles={Role.CONSULTANT}).filter(pk=consultant.pk).exists():
        return _("%(person)s is not an active consultant of the MSME's programme.") % {"person": consultant}
    if not consultants_for(enterprise).filter(pk=consultant.pk).exists():
        return _("%(person)s is a consultant of another village, not of %(village)s.") % {
            "person": consultant, "village": enterprise.village,
        }
    return None


@transaction.atomic
def start_engagement(
    *, enterprise, consultant, started_on: datetime.date, supervisor=None, user=None
) -> Engagement:
    """Open an engagement at the diagnosed stage, its first history line with it. Raises DomainError."""
    refusal = consultant_refusal(enterprise=enterprise, consultant=consultant)
    if refusal:
        raise DomainError(refusal)
    engagement = Engagement.objects.create(
        enterprise=enterprise, consultant=consultant, supervisor=supervisor, started_on=started_on,
        stage=Stage.DIAGNOSED,
    )
    record_stage_change(engagement=engagement, from_stage="", to_stage=Stage.DIAGNOSED, user=user)
    return engagement


def _stage_names(stages) -> str:
    return ", ".join(f"«{Stage(stage).label}»" for stage in stages)


def drop_reason_problem(*, code: str, words: str) -> str | None:
    """Why a drop's reason is not acceptable, or None: a code from ``DropReason``, with words
    when it is "other"."""
    if not code:
        return _("Say why the MSME dropped out.")
    if code not in DropReason.values:
        return _("«%(code)s» is not a reason for dropping out; choose one of %(codes)s.") % {
            "code": code, "codes": ", ".join(DropReason.values),
        }
    if code == DropReason.OTHER and not words.strip():
        return _("Describe the reason when it is «%(other)s».") % {"other": DropReason.OTHER.label}
    return None


@transaction.atomic
def move_engagement(
    *, engagement: Engagement, to_stage: str, user=None, reason: str = "", drop_reason_code: str = "",
    on: datetime.date | None = None,
) -> Engagement:
    """Move an engagement to ``to_stage`` if ``ALLOWED_MOVES`` allows it, and record the change.

    A drop needs a ``drop_reason_code`` (``DropReason``) and, for "other", words in ``reason``;
    words alone count as "other" (the admin action and older API clients send only words).
    Moving to the stage it is at changes nothing. Raises DomainError, naming the stages the
    engagement may move to, or what is missing from the reason.
    """
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if to_stage not in Stage.values:
        raise DomainError(_("«%(stage)s» is not a stage") % {"stage": to_stage})
    if to_stage == engagement.stage:
        return engagement
    if to_stage not in allowed_moves(engagement.stage):
        if engagement.stage in CLOSED_STAGES:
            raise DomainError(_("A closed engagement can only be reopened at the diagnosed stage."))
        raise DomainError(
            _("An engagement at «%(from)s» cannot move to «%(to)s»; it may move to %(allowed)s.")
            % {
                "from": Stage(engagement.stage).label, "to": Stage(to_stage).label,
                "allowed": _stage_names(allowed_moves(engagement.stage)),
            }
        )
    reason = reason.strip()
    code = ""
    if to_stage == Stage.DROPPED:
        code = drop_reason_code or (DropReason.OTHER if reason else "")
        problem = drop_reason_problem(code=code, words=reason)
        if problem:
            raise DomainError(problem)
    history_reason = reason or (str(DropReason(code).label) if code else "")
    record_stage_change(
        engagement=engagement, from_stage=engagement.stage, to_stage=to_stage, user=user, reason=history_reason
    )
    engagement.stage = to_stage
    engagement.drop_reason = reason if to_stage == Stage.DROPPED else ""
    engagement.drop_reason_code = code
    engagement.closed_on = (on or timezone.localdate()) if to_stage in CLOSED_STAGES else None
    engagement.save(update_fields=["stage", "drop_reason", "drop_reason_code", "closed_on", "updated_at"])
    return engagement


@transaction.atomic
def reassign_engagement(*, engagement: Engagement, consultant: Person, user) -> Engagement:
    """Give ``engagement`` to ``consultant``, keeping its stage history, and record who changed it
    and when (``ConsultantChange``). Managers of the MSME's programme may reassign any of its
    engagements; a consultant only their own. The same consultant again changes nothing.

    Raises PermissionDenied when ``user`` may not reassign it, DomainError when ``consultant``
    may not serve the MSME (see ``consultant_refusal``).
    """
    if not engagements_reassignable_by(user).filter(pk=engagement.pk).exists():
        raise PermissionDenied(_("You may not reassign this engagement."))
    engagement = Engagement.objects.select_for_update().select_related("enterprise").get(pk=engagement.pk)
    if engagement.consultant_id == consultant.pk:
        return engagement
    refusal = consultant_refusal(enterprise=engagement.enterprise, consultant=consultant)
    if refusal:
        raise DomainError(refusal)
    previous = engagement.consultant_id
    engagement.consultant = consultant
    try:
        with transaction.atomic():
            engagement.save(update_fields=["consultant", "updated_at"])
    except IntegrityError as error:
        raise DomainError(
            _("%(person)s already has an engagement with this MSME started on the same day.") % {"person": consultant}
        ) from error
    ConsultantChange.objects.create(
        engagement=engagement, from_consultant_id=previous, to_consultant=consultant,
        changed_at=timezone.now(), changed_by=user,
    )
    return engagement


def open_engagement_of(enterprise) -> Engagement | None:
    """The MSME's engagement still open (not graduated or dropped), the latest if several."""
    return (
        Engagement.objects.filter(enterprise=enterprise).exclude(stage__in=CLOSED_STAGES)
        .order_by("-started_on", "-pk").first()
    )


@transaction.atomic
def assign_consultant(*, enterprise, consultant: Person, user, on: datetime.date | None = None) -> Engagement:
    """Give the MSME a consultant: its open engagement is reassigned (``reassign_engagement``),
    or, when it has none, one starts at diagnosed on ``on`` (today by default).

    Raises PermissionDenied unless ``user`` manages the MSME's programme (or reassigns their own
    engagement), DomainError when ``consultant`` may not serve it.
    """
    current = open_engagement_of(enterprise)
    if current is not None:
        return reassign_engagement(engagement=current, consultant=consultant, user=user)
    if not manages(user, enterprise.programme_id):
        raise PermissionDenied(_("Only the programme's managers assign consultants."))
    engagement = start_engagement(
        enterprise=enterprise, consultant=consultant, started_on=on or timezone.localdate(), user=user
    )
    ConsultantChange.objects.create(
        engagement=engagement, from_consultant=None, to_consultant=consultant, changed_at=timezone.now(),
        changed_by=user,
    )
    return engagement


@transaction.atomic
def complete_action_item(*, action: ActionItem, user, on: datetime.date | None = None) -> ActionItem:
    """Mark an action item done (today by default); one already done keeps its date."""
    action = ActionItem.objects.select_for_update().get(pk=action.pk)
    if action.status != ActionItem.Status.DONE:
        action.status = ActionItem.Status.DONE
        action.completed_on = on or timezone.localdate()
        action.save(update_fields=["status", "completed_on"])
    return action
