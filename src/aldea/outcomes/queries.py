"""Who may see and change listings and outcome records: whoever sees the MSME sees them; whoever
serves it (managers, its consultants) records them."""

from django.db.models import QuerySet

from aldea.enterprises.models import Enterprise
from aldea.enterprises.queries import (
    enterprises_served_by,
    enterprises_visible_to,
    enterprises_with_editable_products,
)
from aldea.outcomes.models import Listing, OutcomeRecord


def listings_visible_to(user) -> QuerySet[Listing]:
    return Listing.objects.filter(product__enterprise__in=enterprises_visible_to(user))


def listings_writable_by(user) -> QuerySet[Listing]:
    return Listing.objects.filter(product__enterprise__in=enterprises_served_by(user))


def outcome_records_visible_to(user) -> QuerySet[OutcomeRecord]:
    return OutcomeRecord.objects.filter(enterprise__in=enterprises_visible_to(user))


def outcome_records_writable_by(user) -> QuerySet[OutcomeRecord]:
    return OutcomeRecord.objects.filter(enterprise__in=enterprises_served_by(user))


def enterprises_with_enterable_outcomes(user) -> QuerySet[Enterprise]:
    """MSMEs whose monthly results the user may enter on a page: those the user serves (managers,
    consultants), and an owner's own MSMEs (she reports her own results)."""
    return enterprises_with_editable_products(user)
