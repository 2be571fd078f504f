"""Who may see and change digital-maturity diagnostics: whoever sees the MSME sees them; whoever
serves it (managers, its consultants) records them."""

from django.db.models import QuerySet

from aldea.diagnostics.models import Answer, Assessment
from aldea.enterprises.queries import enterprises_served_by, enterprises_visible_to


def assessments_visible_to(user) -> QuerySet[Assessment]:
    return Assessment.objects.filter(enterprise__in=enterprises_visible_to(user))


def assessments_writable_by(user) -> QuerySet[Assessment]:
    return Assessment.objects.filter(enterprise__in=enterprises_served_by(user))


def answers_visible_to(user) -> QuerySet[Answer]:
    return Answer.objects.filter(assessment__enterprise__in=enterprises_visible_to(user))
