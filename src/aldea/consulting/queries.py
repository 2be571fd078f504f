"""Who may see and change engagements, their stage history, meetings and action items: whoever
sees the MSME sees its consultancy; whoever serves it (managers, its consultants) changes it."""

from django.db.models import QuerySet

from aldea.consulting.models import ActionItem, Engagement, Meeting, StageChange
from aldea.enterprises.queries import enterprises_served_by, enterprises_visible_to


def engagements_visible_to(user) -> QuerySet[Engagement]:
    return Engagement.objects.filter(enterprise__in=enterprises_visible_to(user))


def engagements_writable_by(user) -> QuerySet[Engagement]:
    return Engagement.objects.filter(enterprise__in=enterprises_served_by(user))


def stage_changes_visible_to(user) -> QuerySet[StageChange]:
    return StageChange.objects.filter(engagement__enterprise__in=enterprises_visible_to(user))


def meetings_visible_to(user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(engagement__enterprise__in=enterprises_visible_to(user))


def action_items_visible_to(user) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(engagement__enterprise__in=enterprises_visible_to(user))
