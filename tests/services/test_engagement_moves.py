import pytest

from aldea.accounts.models import Role
from aldea.consulting.models import Stage, StageChange
from aldea.consulting.services import ALLOWED_MOVES, move_engagement, next_stage, start_engagement
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


def test_the_allowed_moves_are_one_stage_forward_any_open_stage_back_a_drop_or_a_reopening():
    assert ALLOWED_MOVES == {
        Stage.DIAGNOSED: (Stage.ACTION_PLAN, Stage.DROPPED),
        Stage.ACTION_PLAN: (Stage.LISTING, Stage.DIAGNOSED, Stage.DROPPED),
        Stage.LISTING: (Stage.FIRST_SALE, Stage.ACTION_PLAN, Stage.DIAGNOSED, Stage.DROPPED),
        Stage.FIRST_SALE: (Stage.GRADUATED, Stage.LISTING, Stage.ACTION_PLAN, Stage.DIAGNOSED, Stage.DROPPED),
        Stage.GRADUATED: (Stage.DIAGNOSED,),
        Stage.DROPPED: (Stage.DIAGNOSED,),
    }
    assert [next_stage(stage) for stage in (Stage.DIAGNOSED, Stage.FIRST_SALE, Stage.GRADUATED, Stage.DROPPED)] == [
        Stage.ACTION_PLAN, Stage.GRADUATED, None, None,
    ]


def test_a_jump_from_diagnosed_to_graduated_is_refused_naming_the_allowed_moves():
    engagement = f.EngagementFactory()
    with pytest.raises(DomainError) as refused:
        move_engagement(engagement=engagement, to_stage=Stage.GRADUATED)
    assert str(refused.value) == (
        "An engagement at «Diagnosed» cannot move to «Graduated»; it may move to «Action plan», «Dropped»."
    )
    engagement.refresh_from_db()
    assert engagement.stage == Stage.DIAGNOSED and not StageChange.objects.exists()


def test_an_engagement_walks_forward_to_graduation_and_every_step_is_in_its_history():
    engagement = f.EngagementFactory()
    for stage in (Stage.ACTION_PLAN, Stage.LISTING, Stage.FIRST_SALE, Stage.LISTING, Stage.FIRST_SALE, Stage.GRADUATED):
        move_engagement(engagement=engagement, to_stage=stage)
    engagement.refresh_from_db()
    assert engagement.stage == Stage.GRADUATED and engagement.closed_on is not None
    assert list(StageChange.objects.filter(engagement=engagement).values_list("to_stage", flat=True)) == [
        "action_plan", "listing", "first_sale", "listing", "first_sale", "graduated",
    ]


def test_starting_an_engagement_records_its_first_line_and_checks_the_consultants_role():
    enterprise = f.EnterpriseFactory()
    consultant = f.MembershipFactory(programme=enterprise.programme, role=Role.CONSULTANT).person
    user = f.UserFactory()
    engagement = start_engagement(enterprise=enterprise, consultant=consultant, started_on=f.START, user=user)
    assert engagement.stage == Stage.DIAGNOSED
    assert list(StageChange.objects.values_list("from_stage", "to_stage", "changed_by")) == [("", "diagnosed", user.pk)]
    trainer = f.MembershipFactory(programme=enterprise.programme, role=Role.TRAINER).person
    with pytest.raises(DomainError, match="is not an active consultant of the MSME's programme"):
        start_engagement(enterprise=enterprise, consultant=trainer, started_on=f.START)
