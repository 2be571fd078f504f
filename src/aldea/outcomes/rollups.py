"""Monthly roll-ups of the outcome figures, so that pages need not sum every outcome record.

At 100,000 MSMEs a programme holds about 2.4 million outcome records, and summing them on each
view of the overview took two seconds. ``OutcomeRollup`` keeps the sums per village × month ×
disaggregation (group, sex, age band, indigenous-language speaker, marginalisation degree): a
few thousand rows.

Freshness rule: the analytics run (``aldea compute_analytics``, ``aldea rebuild_rollups``)
rebuilds a programme's roll-ups from the records; every save of a month's results through the
outcomes service, the API or an import refreshes that village's month at once. What changes an
MSME itself (its village, group or owner) is picked up at the next rebuild. A programme whose
roll-ups were never built has none, and its pages read the live records.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Case, CharField, Count, F, Max, Min, Q, Sum, Value, When
from django.db.models.functions import ExtractYear
from django.utils import timezone

from aldea.enterprises.models import Enterprise
from aldea.outcomes.models import OutcomeRecord, OutcomeRollup
from aldea.programmes.models import Programme, Village

# Age in the year of the month, in bands the youth-employment literature uses.
AGE_BANDS = (("under_25", 0, 24), ("25_34", 25, 34), ("35_44", 35, 44), ("45_59", 45, 59), ("60_plus", 60, 200))
SUMMED = ("online_sales", "total_sales", "orders", "units", "employees")
# The disaggregations a roll-up keeps, by the names the indicator values use.
DISAGGREGATIONS = {
    "village": "village_id", "sex": "sex", "age_band": "age_band",
    "indigenous": "speaks_indigenous_language", "marginalisation": "marginalisation_degree",
}


def _age_band():
    """The owner's age band in the month's year; "unknown" without an owner or a birth year."""
    year = ExtractYear("month")
    birth_year = "enterprise__owner__birth_year"
    return Case(
        *(When(**{f"{birth_year}__gte": year - high, f"{birth_year}__lte": year - low}, then=Value(band))
          for band, low, high in AGE_BANDS),
        default=Value("unknown"), output_field=CharField(),
    )


def _grouped(records):
    """Rows of roll-up values from an OutcomeRecord queryset: one query."""
    return (
        records.values(
            r_programme=F("enterprise__programme_id"), r_village=F("enterprise__village_id"), r_month=F("month"),
            r_group=F("enterprise__group"), r_sex=F("enterprise__owner__sex"), r_age_band=_age_band(),
            r_indigenous=F("enterprise__owner__speaks_indigenous_language"),
            r_marginalisation=F("enterprise__municipality__marginalisation_degree"),
        )
        .annotate(
            n=Count("id"), exporting_n=Count("id", filter=Q(export_markets__gt=0)),
            **{f"sum_{name}": Sum(name) for name in SUMMED},
        )
        .order_by()
    )


def _rollups_of(rows, computed_at) -> list[OutcomeRollup]:
    return [
        OutcomeRollup(
            programme_id=row["r_programme"], village_id=row["r_village"], month=row["r_month"], group=row["r_group"],
            sex=row["r_sex"], age_band=row["r_age_band"], speaks_indigenous_language=row["r_indigenous"],
            marginalisation_degree=row["r_marginalisation"], records=row["n"], exporting=row["exporting_n"],
            computed_at=computed_at, **{name: row[f"sum_{name}"] or 0 for name in SUMMED},
        )
        for row in rows
    ]


@transaction.atomic
def rebuild_outcome_rollups(programme: Programme | None = None) -> int:
    """Rebuild the roll-ups of ``programme`` (all programmes when None) from its outcome records.
    Returns the number of roll-up rows written."""
    programmes = [programme] if programme is not None else list(Programme.objects.order_by("pk"))
    written = 0
    for each in programmes:
        # Locked like a refresh, so that a save during the rebuild waits rather than being lost.
        Programme.objects.select_for_update().filter(pk=each.pk).first()
        OutcomeRollup.objects.filter(programme=each).delete()
        rows = _grouped(OutcomeRecord.objects.filter(enterprise__programme=each))
        written += len(OutcomeRollup.objects.bulk_create(_rollups_of(rows, timezone.now()), batch_size=2000))
    return written


def refresh_outcome_rollups(*, enterprise_months) -> None:
    """Recompute the roll-ups of the villages' months that ``enterprise_months`` touch, given as
    (enterprise id, month) pairs, after their records were written. Does nothing for a programme
    whose roll-ups were never built (its pages read the live records)."""
    pairs = {(enterprise_id, month) for enterprise_id, month in enterprise_months}
    if not pairs:
        return
    places = {
        pk: (programme_id, village_id)
        for pk, programme_id, village_id in Enterprise.objects.filter(pk__in={e for e, _m in pairs})
        .values_list("pk", "programme_id", "village_id")
    }
    cells = {(*places[e], month) for e, month in pairs if e in places}
    built = set(
        OutcomeRollup.objects.filter(programme_id__in={p for p, _v, _m in cells})
        .values_list("programme_id", flat=True).distinct()
    )
    cells = sorted((c for c in cells if c[0] in built), key=lambda c: (c[0], c[1] or 0, c[2]))
    if not cells:
        return
    with transaction.atomic():
        # Two saves in one village and month must not both insert their sums: the first to lock
        # the village (the programme, for MSMEs outside villages) recomputes, the other waits
        # and recomputes after it. Locks are taken in id order, so two refreshes never deadlock.
        village_ids = sorted({v for _p, v, _m in cells if v is not None})
        if village_ids:
            list(Village.objects.select_for_update().filter(pk__in=village_ids).order_by("pk").values_list("pk"))
        outside = sorted({p for p, v, _m in cells if v is None})
        if outside:
            list(Programme.objects.select_for_update().filter(pk__in=outside).order_by("pk").values_list("pk"))
        where = Q()
        for programme_id, village_id, month in cells:
            where |= Q(programme_id=programme_id, village_id=village_id, month=month)
        OutcomeRollup.objects.filter(where).delete()
        records = Q()
        for programme_id, village_id, month in cells:
            records |= Q(enterprise__programme_id=programme_id, enterprise__village_id=village_id, month=month)
        OutcomeRollup.objects.bulk_create(_rollups_of(_grouped(OutcomeRecord.objects.filter(records)), timezone.now()))


def rollups_in(programme_id, *, village_ids=None):
    """The roll-ups of the programme (of ``village_ids`` only, when given)."""
    rollups = OutcomeRollup.objects.filter(programme_id=programme_id)
    return rollups if village_ids is None else rollups.filter(village_id__in=village_ids)


def as_of(rollups) -> datetime.datetime | None:
    """When the oldest of ``rollups`` was computed (the last rebuild): the figures hold every
    record saved through the platform since. One query."""
    return rollups.aggregate(at=Min("computed_at"))["at"]


def monthly_totals(rollups, *, by=("group",)) -> list[dict]:
    """Sums per month and ``by`` (roll-up field names): ``records``, each of ``SUMMED``,
    ``exporting``, with ``first_computed_at`` and ``last_computed_at``. One query."""
    return list(
        rollups.values("month", *by)
        .annotate(
            n=Sum("records"), exporting_n=Sum("exporting"), first_computed_at=Min("computed_at"),
            last_computed_at=Max("computed_at"), **{f"sum_{name}": Sum(name) for name in SUMMED},
        )
        .order_by("month", *by)
    )
