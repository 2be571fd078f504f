"""A drop carries a coded reason, with words for "other"; reopening clears it."""

import pytest
from django.db import IntegrityError, transaction

from aldea.consulting.models import DropReason, Engagement, Stage, StageChange
from aldea.consulting.services import move_engagement
from aldea.core.exceptions import DomainError
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_coded_reason_needs_no_words():
    engagement = f.EngagementFactory()
    move_engagement(engagement=engagement, to_stage=Stage.DROPPED, drop_reason_code=DropReason.NO_INTERNET)
    engagement.refresh_from_db()
    assert (engagement.stage, engagement.drop_reason_code, engagement.drop_reason) == ("dropped", "no_internet", "")
    assert StageChange.objects.get().reason == "No internet"


def test_other_needs_words():
    engagement = f.EngagementFactory()
    with pytest.raises(DomainError, match="Describe the reason when it is «Other reason»"):
        move_engagement(engagement=engagement, to_stage=Stage.DROPPED, drop_reason_code=DropReason.OTHER, reason=" ")
    move_engagement(engagement=engagement, to_stage=Stage.DROPPED, drop_reason_code="other", reason="Le robaron el telar")
    engagement.refresh_from_db()
    assert (engagement.drop_reason_code, engagement.drop_reason) == ("other", "Le robaron el telar")


def test_words_alone_are_an_other_reason_and_an_unknown_code_is_refused():
    engagement = f.EngagementFactory()
    with pytest.raises(DomainError, match="«bored» is not a reason for dropping out"):
        move_engagement(engagement=engagement, to_stage=Stage.DROPPED, drop_reason_code="bored")
    move_engagement(engagement=engagement, to_stage=Stage.DROPPED, reason="Se fue a la ciudad")
    engagement.refresh_from_db()
    assert engagement.drop_reason_code == "other"


def test_reopening_clears_the_reason():
    engagement = f.EngagementFactory()
    move_engagement(engagement=engagement, to_stage=Stage.DROPPED, drop_reason_code=DropReason.NO_TIME)
    move_engagement(engagement=engagement, to_stage=Stage.DIAGNOSED)
    engagement.refresh_from_db()
    assert (engagement.drop_reason_code, engagement.drop_reason, engagement.closed_on) == ("", "", None)


def test_the_database_refuses_a_drop_without_a_code_or_an_other_without_words():
    engagement = f.EngagementFactory()
    with transaction.atomic(), pytest.raises(IntegrityError):
        Engagement.objects.filter(pk=engagement.pk).update(stage="dropped", drop_reason="words")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Engagement.objects.filter(pk=engagement.pk).update(stage="dropped", drop_reason_code="other")
