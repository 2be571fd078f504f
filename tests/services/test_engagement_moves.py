import pytest

from aldea.consulting.models import Stage, StageChange
from aldea.consulting.services import move_engagement
from aldea.core.exceptions import DomainError
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_moving_an_engagement_records_who_when_and_from_where():
    engagement = f.EngagementFactory()
    user = f.UserFactory()
    move_engagement(engagement=engagement, to_stage=Stage.ACTION_PLAN, user=user)
    engagement.refresh_from_db()
    assert engagement.stage == Stage.ACTION_PLAN
    change = StageChange.objects.get(engagement=engagement)
    assert (change.from_stage, change.to_stage, change.changed_by) == (Stage.DIAGNOSED, Stage.ACTION_PLAN, user)
    assert change.changed_at is not None


def test_dropping_needs_a_reason_and_keeps_it():
    engagement = f.EngagementFactory()
    with pytest.raises(DomainError):
        move_engagement(engagement=engagement, to_stage=Stage.DROPPED, reason="  ")
    assert StageChange.objects.count() == 0
    move_engagement(engagement=engagement, to_stage=Stage.DROPPED, reason="Se mudó a la ciudad")
    engagement.refresh_from_db()
    assert engagement.drop_reason == "Se mudó a la ciudad" and engagement.closed_on is not None


def test_a_closed_engagement_reopens_only_at_diagnosed():
    engagement = f.EngagementFactory(stage=Stage.FIRST_SALE)
    move_engagement(engagement=engagement, to_stage=Stage.GRADUATED)
    with pytest.raises(DomainError):
        move_engagement(engagement=engagement, to_stage=Stage.LISTING)
    move_engagement(engagement=engagement, to_stage=Stage.DIAGNOSED)
    engagement.refresh_from_db()
    assert engagement.stage == Stage.DIAGNOSED and engagement.closed_on is None


def test_an_unknown_stage_is_refused():
    with pytest.raises(DomainError):
        move_engagement(engagement=f.EngagementFactory(), to_stage="sold-out")
