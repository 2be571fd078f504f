"""What an MSME owner's own page shows: her training and certificates, and for each MSME she
owns its diagnostics, listings and monthly results. Every read goes through the apps' policies;
the owner's filters only narrow them to her own records (a person who also manages another
programme sees her own training here, not that programme's)."""

from django.db.models import Count, Prefetch, Q

from aldea.accounts.queries import reach_of
from aldea.diagnostics.queries import assessments_visible_to
from aldea.enterprises.queries import enterprises_visible_to
from aldea.outcomes.models import Listing
from aldea.outcomes.queries import (
    enterprises_with_enterable_outcomes,
    listings_visible_to,
    outcome_records_visible_to,
)
from aldea.training.models import Attendance
from aldea.training.queries import certificates_visible_to, enrolments_visible_to

# Months of results shown per MSME, latest first.
RESULT_MONTHS = 12


def own_enrolments(user) -> list:
    """The user's own enrolments, newest cohort first, each with ``session_count`` and
    ``attended_count`` (sessions marked present)."""
    person_id = reach_of(user).person_id
    if person_id is None:
        return []
    return list(
        enrolments_visible_to(user).filter(person_id=person_id)
        .select_related("cohort__course", "cohort__village")
        .annotate(
            session_count=Count("cohort__sessions", distinct=True),
            attended_count=Count(
                "attendance", filter=Q(attendance__status=Attendance.Status.PRESENT), distinct=True
            ),
        )
        .order_by("-cohort__starts_on", "-pk")
    )


def own_certificates(user) -> list:
    person_id = reach_of(user).person_id
    if person_id is None:
        return []
    return list(
        certificates_visible_to(user).filter(enrolment__person_id=person_id)
        .select_related("enrolment__cohort__course").order_by("-issued_on", "-pk")
    )


def own_enterprises(user) -> list:
    """The MSMEs the user owns, each with ``assessment_list`` (oldest first), ``listing_list``,
    ``recent_results`` (latest RESULT_MONTHS months first) and ``can_enter_results``."""
    person_id = reach_of(user).person_id
    if person_id is None:
        return []
    enterprises = list(
        enterprises_visible_to(user).filter(owner_id=person_id).select_related("programme", "village")
        .prefetch_related(
            Prefetch("assessments", queryset=assessments_visible_to(user).order_by("assessed_on", "pk"),
                     to_attr="assessment_list"),
        )
        .order_by("name", "code")
    )
    ids = [enterprise.pk for enterprise in enterprises]
    enterable = set(enterprises_with_enterable_outcomes(user).filter(pk__in=ids).values_list("pk", flat=True))
    listings: dict[int, list[Listing]] = {}
    for listing in (
        listings_visible_to(user).filter(product__enterprise_id__in=ids)
        .select_related("product", "channel").order_by("product__title", "channel__name")
    ):
        listings.setdefault(listing.product.enterprise_id, []).append(listing)
    results: dict[int, list] = {}
    for record in outcome_records_visible_to(user).filter(enterprise_id__in=ids).order_by("enterprise_id", "-month"):
        if len(results.setdefault(record.enterprise_id, [])) < RESULT_MONTHS:
            results[record.enterprise_id].append(record)
    for enterprise in enterprises:
        enterprise.listing_list = listings.get(enterprise.pk, [])
        enterprise.recent_results = results.get(enterprise.pk, [])
        enterprise.can_enter_results = enterprise.pk in enterable
    return enterprises
