"""Who may see and record digital-maturity diagnostics: whoever sees the MSME sees them; whoever
serves it (managers, its consultants) and the programme's trainers record them. Owners, partners
and analysts only read them."""

from django.db.models import Q, QuerySet

from aldea.accounts.queries import reach_of
from aldea.diagnostics.models import Answer, Assessment
from aldea.enterprises.models import Enterprise
from aldea.enterprises.queries import (
    enterprises_served_by,
    enterprises_visible_to,
    keyed_within,
)


def enterprises_diagnosable_by(user) -> QuerySet[Enterprise]:
    """MSMEs the user may record a diagnostic of."""
    trainer_programmes = reach_of(user).trainer_programme_ids
    return Enterprise.objects.filter(
        Q(id__in=enterprises_served_by(user).values("id"))
        | Q(id__in=enterprises_visible_to(user).filter(programme_id__in=trainer_programmes).values("id"))
    )


def assessments_visible_to(user) -> QuerySet[Assessment]:
    return Assessment.objects.filter(keyed_within(user, enterprises_visible_to(user), "enterprise"))


def assessments_writable_by(user) -> QuerySet[Assessment]:
    return Assessment.objects.filter(enterprise__in=enterprises_diagnosable_by(user))


def answers_visible_to(user) -> QuerySet[Answer]:
    return Answer.objects.filter(keyed_within(user, assessments_visible_to(user), "assessment"))
