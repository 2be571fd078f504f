"""Who may see and change engagements, their stage history, meetings and action items: whoever
sees the MSME sees its consultancy; whoever serves it (managers, its consultants) changes it."""

from django.db.models import Exists, Max, OuterRef, Q, QuerySet

from aldea.accounts.queries import reach_of
from aldea.consulting.models import ActionItem, ConsultantChange, Engagement, Meeting, StageChange
from aldea.enterprises.models import Enterprise
from aldea.enterprises.queries import enterprises_served_by, enterprises_visible_to, keyed_within


def engagements_visible_to(user) -> QuerySet[Engagement]:
    # Row by row for a programme or village seen whole (decision O20): a consultant's board
    # starts from their own few engagements instead of the village's 12,500 MSMEs.
    return Engagement.objects.filter(keyed_within(user, enterprises_visible_to(user), "enterprise"))


def engagements_writable_by(user) -> QuerySet[Engagement]:
    return Engagement.objects.filter(keyed_within(user, enterprises_served_by(user), "enterprise"))


def engagements_reassignable_by(user) -> QuerySet[Engagement]:
    """Engagements whose consultant the user may change: every engagement of a programme they
    manage, and a consultant's own (to hand it over); never another consultant's."""
    reach = reach_of(user)
    if reach.is_global:
        return Engagement.objects.all()
    return Engagement.objects.filter(
        Q(enterprise__programme_id__in=reach.manager_programme_ids)
        | Q(keyed_within(user, enterprises_served_by(user), "enterprise"), consultant_id=reach.person_id)
    )


def consultant_changes_visible_to(user) -> QuerySet[ConsultantChange]:
    return ConsultantChange.objects.filter(engagement__enterprise__in=enterprises_visible_to(user))


def stage_changes_visible_to(user) -> QuerySet[StageChange]:
    return StageChange.objects.filter(engagement__enterprise__in=enterprises_visible_to(user))


def meetings_visible_to(user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(engagement__enterprise__in=enterprises_visible_to(user))


def action_items_visible_to(user) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(engagement__enterprise__in=enterprises_visible_to(user))


def enterprises_awaiting_consultant(user):
    """Participant MSMEs of the programmes the user manages with no open engagement: the ones a
    manager still has to give a consultant."""
    reach = reach_of(user)
    managed = Enterprise.objects.all() if reach.is_global else Enterprise.objects.filter(
        programme_id__in=reach.manager_programme_ids
    )
    # Asked row by row (O20): as NOT IN, both databases first built the set of every open
    # engagement's MSME (a quarter of a second at 100,000 MSMEs).
    open_engagement = Engagement.objects.filter(enterprise_id=OuterRef("pk")).exclude(stage__in=["graduated", "dropped"])
    return managed.filter(~Exists(open_engagement), group=Enterprise.Group.PARTICIPANT)


def my_open_engagements(user) -> QuerySet[Engagement]:
    """The open engagements the user serves as consultant, each with ``last_meeting_on``."""
    person_id = reach_of(user).person_id
    return (
        engagements_writable_by(user).filter(consultant_id=person_id)
        .exclude(stage__in=["graduated", "dropped"])
        .annotate(last_meeting_on=Max("meetings__held_on"))
        .select_related("enterprise__village")
    )


def my_open_action_items(user) -> QuerySet[ActionItem]:
    """Open action items of the engagements the user serves as consultant, soonest due first."""
    person_id = reach_of(user).person_id
    return (
        ActionItem.objects.filter(
            engagement__in=engagements_writable_by(user).filter(consultant_id=person_id),
            status=ActionItem.Status.OPEN,
        )
        .select_related("engagement__enterprise")
        .order_by("due_on", "pk")
    )
