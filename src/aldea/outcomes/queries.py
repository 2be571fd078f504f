"""Who may see and change listings and outcome records: whoever sees the MSME sees them; whoever
serves it (managers, its consultants) records them."""

from dataclasses import dataclass

from django.db.models import QuerySet

from aldea.accounts.queries import reach_of
from aldea.enterprises.models import Enterprise
from aldea.enterprises.queries import (
    enterprises_served_by,
    enterprises_visible_to,
    enterprises_with_editable_products,
    keyed_within,
    products_visible_to,
)
from aldea.outcomes.models import Listing, OutcomeRecord


def listings_visible_to(user) -> QuerySet[Listing]:
    # By the product, whose own rule then looks up its MSME: a condition on the product's
    # MSME through the join made SQLite hash every product first (0.2 s at 100,000 MSMEs).
    return Listing.objects.filter(keyed_within(user, products_visible_to(user), "product"))


def listings_writable_by(user) -> QuerySet[Listing]:
    return Listing.objects.filter(product__enterprise__in=enterprises_served_by(user))


def outcome_records_visible_to(user) -> QuerySet[OutcomeRecord]:
    return OutcomeRecord.objects.filter(keyed_within(user, enterprises_visible_to(user), "enterprise"))


def outcome_records_writable_by(user) -> QuerySet[OutcomeRecord]:
    return OutcomeRecord.objects.filter(enterprise__in=enterprises_served_by(user))


def enterprises_with_enterable_outcomes(user) -> QuerySet[Enterprise]:
    """MSMEs whose monthly results the user may enter on a page: those the user serves (managers,
    consultants), and an owner's own MSMEs (she reports her own results)."""
    return enterprises_with_editable_products(user)


@dataclass(frozen=True)
class OutcomeScope:
    """The outcome records of one programme that a user sees, as roll-ups can serve them: the
    whole programme, or every MSME of ``village_ids`` plus ``extra`` MSMEs outside them (a
    consultant's engagements elsewhere, an owner's own MSMEs; None when there can be none)."""

    whole: bool
    village_ids: frozenset = frozenset()
    extra: QuerySet[Enterprise] | None = None


def outcome_scope(user, programme_id) -> OutcomeScope:
    """``outcome_records_visible_to(user)`` within the programme, split as ``OutcomeScope``. No
    query (the user's reach is read once per request)."""
    reach = reach_of(user)
    if reach.is_global or programme_id in reach.wide_programme_ids:
        return OutcomeScope(whole=True)
    # Villages whose every MSME the user sees (aldea.enterprises.queries): a trainer's or a
    # partner's oversight, a consultant's own village.
    villages = set(reach.oversight_village_ids)
    if programme_id in reach.consultant_programme_ids:
        villages |= reach.consultant_village_ids
    extra = None
    if programme_id in reach.consultant_programme_ids | reach.owner_programme_ids:
        extra = enterprises_visible_to(user).filter(programme_id=programme_id).exclude(village_id__in=villages)
    return OutcomeScope(whole=False, village_ids=frozenset(villages), extra=extra)
