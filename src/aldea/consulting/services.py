"""Engagement lifecycle: every stage move is recorded with who, when and, for drops, why.

The allowed moves (``ALLOWED_MOVES``), stated once here and enforced for every door:

* **forward one stage at a time**: diagnosed → action plan → listing → first online sale →
  graduated. Each stage is a milestone the programme's figures count (an MSME at "first sale"
  made an online sale; the overview counts it), so reaching a stage means every earlier one
  was reached, and a jump from diagnosed to graduated cannot pass for a first sale;
* **back to any earlier open stage**, so a consultant can correct a card moved too far;
* **dropped from any open stage**, with a reason;
* a closed engagement (graduated or dropped) **reopens only at diagnosed**.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aldea.accounts.models import Role
from aldea.accounts.queries import members_of
from aldea.consulting.models import STAGE_ORDER, Engagement, Stage, StageChange
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


def consultant_refusal(*, enterprise, consultant) -> str | None:
    """Why ``consultant`` may not serve ``enterprise``, or None: they must hold an active
    consultant role in the MSME's programme."""
    if not members_of([enterprise.programme_id], roles={Role.CONSULTANT}).filter(pk=consultant.pk).exists():
        return _("%(person)s is not an active consultant of the MSME's programme.") % {"person": consultant}
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


@transaction.atomic
def move_engagement(
    *, engagement: Engagement, to_stage: str, user=None, reason: str = "", on: datetime.date | None = None
) -> Engagement:
    """Move an engagement to ``to_stage`` if ``ALLOWED_MOVES`` allows it, and record the change.

    A drop needs a reason; moving to the stage it is at changes nothing. Raises DomainError,
    naming the stages the engagement may move to.
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
    if to_stage == Stage.DROPPED and not reason:
        raise DomainError(_("Say why the MSME dropped out."))
    record_stage_change(
        engagement=engagement, from_stage=engagement.stage, to_stage=to_stage, user=user, reason=reason
    )
    engagement.stage = to_stage
    engagement.drop_reason = reason if to_stage == Stage.DROPPED else ""
    engagement.closed_on = (on or timezone.localdate()) if to_stage in CLOSED_STAGES else None
    engagement.save(update_fields=["stage", "drop_reason", "closed_on", "updated_at"])
    return engagement
