"""Who may see and change programmes, villages, their history, indicators and targets.

* Seeing a programme: holding any active role in it.
* Seeing a village: manager and analyst, and partner or trainer with no village, see every village
  of the programme; a trainer or partner narrowed to a village sees the villages they oversee;
  a consultant or owner sees the village of their membership and an owner the villages of their
  own MSMEs.
* Changing: the programme's managers.
"""

from django.db.models import Q, QuerySet

from aldea.accounts.queries import reach_of
from aldea.programmes.models import (
    Indicator,
    IndicatorTarget,
    Programme,
    Village,
    VillageStatusChange,
)


def programmes_visible_to(user) -> QuerySet[Programme]:
    reach = reach_of(user)
    if reach.is_global:
        return Programme.objects.all()
    return Programme.objects.filter(id__in=reach.programme_ids)


def programmes_managed_by(user) -> QuerySet[Programme]:
    """Programmes whose records the user may create, change and delete."""
    reach = reach_of(user)
    if reach.is_global:
        return Programme.objects.all()
    return Programme.objects.filter(id__in=reach.manager_programme_ids)


def overview_programmes_of(user) -> QuerySet[Programme]:
    """Programmes whose overview the user may open: where they manage, analyse or partner."""
    reach = reach_of(user)
    if reach.is_global:
        return Programme.objects.all()
    return Programme.objects.filter(
        id__in=reach.wide_programme_ids | reach.manager_programme_ids | reach.partner_programme_ids
    )


def villages_visible_to(user) -> QuerySet[Village]:
    reach = reach_of(user)
    if reach.is_global:
        return Village.objects.all()
    condition = Q(programme_id__in=reach.wide_programme_ids) | Q(
        id__in=reach.oversight_village_ids | reach.consultant_village_ids | reach.owner_village_ids
    )
    if reach.owner_programme_ids and reach.person_id:
        condition |= Q(
            id__in=Village.objects.filter(
                enterprises__owner_id=reach.person_id,
                enterprises__programme_id__in=reach.owner_programme_ids,
            ).values("id")
        )
    return Village.objects.filter(condition)


def villages_writable_by(user) -> QuerySet[Village]:
    return Village.objects.filter(programme__in=programmes_managed_by(user))


def village_status_changes_visible_to(user) -> QuerySet[VillageStatusChange]:
    return VillageStatusChange.objects.filter(village__in=villages_visible_to(user))


def indicators_visible_to(user) -> QuerySet[Indicator]:
    return Indicator.objects.filter(programme__in=programmes_visible_to(user))


def indicator_targets_visible_to(user) -> QuerySet[IndicatorTarget]:
    return IndicatorTarget.objects.filter(
        Q(village__isnull=True) | Q(village__in=villages_visible_to(user)),
        indicator__programme__in=programmes_visible_to(user),
    )


def programmes_seen_whole_by(user) -> QuerySet[Programme]:
    """Programmes the user sees whole (no village narrowing): the programme-wide figures and
    the budget register are for them (``accounts.queries.sees_whole`` for one programme)."""
    reach = reach_of(user)
    if reach.is_global:
        return Programme.objects.all()
    return Programme.objects.filter(id__in=reach.wide_programme_ids)


def budget_lines_visible_to(user):
    from aldea.programmes.models import BudgetLine

    return BudgetLine.objects.filter(programme__in=programmes_seen_whole_by(user))


def budget_lines_writable_by(user):
    from aldea.programmes.models import BudgetLine

    return BudgetLine.objects.filter(programme__in=programmes_managed_by(user))


def planned_disbursements_visible_to(user):
    from aldea.programmes.models import PlannedDisbursement

    return PlannedDisbursement.objects.filter(programme__in=programmes_seen_whole_by(user))


def planned_disbursements_writable_by(user):
    from aldea.programmes.models import PlannedDisbursement

    return PlannedDisbursement.objects.filter(programme__in=programmes_managed_by(user))


def transactions_visible_to(user):
    from aldea.programmes.models import FinancialTransaction

    return FinancialTransaction.objects.filter(programme__in=programmes_seen_whole_by(user))


def transactions_writable_by(user):
    from aldea.programmes.models import FinancialTransaction

    return FinancialTransaction.objects.filter(programme__in=programmes_managed_by(user))
