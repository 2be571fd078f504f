"""Engagement lifecycle: every stage move is recorded with who, when and, for drops, why."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aldea.consulting.models import Engagement, Stage, StageChange
from aldea.core.exceptions import DomainError

CLOSED_STAGES = {Stage.GRADUATED, Stage.DROPPED}


def record_stage_change(
    *, engagement: Engagement, from_stage: str, to_stage: str, user=None, reason: str = ""
) -> StageChange:
    """One line of an engagement's stage history (from_stage "" when the engagement starts)."""
    return StageChange.objects.create(
        engagement=engagement, from_stage=from_stage, to_stage=to_stage,
        changed_at=timezone.now(), changed_by=user, reason=reason,
    )


@transaction.atomic
def move_engagement(
    *, engagement: Engagement, to_stage: str, user=None, reason: str = "", on: datetime.date | None = None
) -> Engagement:
    """Move an engagement to ``to_stage`` and record the change.

    Any open engagement may move to any stage (consultants correct mistakes on the board), but a
    drop needs a reason and a closed engagement (graduated or dropped) must be reopened to
    "diagnosed" first. Raises DomainError.
    """
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if to_stage not in Stage.values:
        raise DomainError(_("«%(stage)s» is not a stage") % {"stage": to_stage})
    if to_stage == engagement.stage:
        return engagement
    reason = reason.strip()
    if to_stage == Stage.DROPPED and not reason:
        raise DomainError(_("Say why the MSME dropped out."))
    if engagement.stage in CLOSED_STAGES and to_stage != Stage.DIAGNOSED:
        raise DomainError(_("A closed engagement can only be reopened at the diagnosed stage."))
    record_stage_change(
        engagement=engagement, from_stage=engagement.stage, to_stage=to_stage, user=user, reason=reason
    )
    engagement.stage = to_stage
    engagement.drop_reason = reason if to_stage == Stage.DROPPED else ""
    engagement.closed_on = (on or timezone.localdate()) if to_stage in CLOSED_STAGES else None
    engagement.save(update_fields=["stage", "drop_reason", "closed_on", "updated_at"])
    return engagement
