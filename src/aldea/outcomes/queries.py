"""Who may see and change listings and outcome records: whoever sees the MSME sees them; whoever
serves it (managers, its consultants) records them."""

from django.db.models import QuerySet

from aldea.enterprises.queries import enterprises_served_by, enterprises_visible_to
from aldea.outcomes.models import Listing, OutcomeRecord


def listings_visible_to(user) -> QuerySet[Listing]:
    return Listing.objects.filter(product__enterprise__in=enterprises_visible_to(user))


def listings_writable_by(user) -> QuerySet[Listing]:
    return Listing.objects.filter(product__enterprise__in=enterprises_served_by(user))


def outcome_records_visible_to(user) -> QuerySet[OutcomeRecord]:
    return OutcomeRecord.objects.filter(enterprise__in=enterprises_visible_to(user))


def outcome_records_writable_by(user) -> QuerySet[OutcomeRecord]:
    return OutcomeRecord.objects.filter(enterprise__in=enterprises_served_by(user))
