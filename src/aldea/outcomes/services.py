"""Writing an MSME's monthly results: the checks every door applies, the outlier warning, and
the one write that keeps each figure's source (the page and the API both call it)."""

import datetime
from decimal import Decimal
from statistics import median

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aldea.accounts.queries import reach_of
from aldea.outcomes.models import Listing, OutcomeRecord
from aldea.outcomes.rollups import refresh_outcome_rollups

# A figure is unusual when it is more than OUTLIER_FACTOR times, or less than 1/OUTLIER_FACTOR of,
# the median of the MSME's own last HISTORY_MONTHS months. A median is robust to the odd bad month
# already on record, and MIN_HISTORY months keep one earlier month from flagging everything.
OUTLIER_FACTOR = 3
HISTORY_MONTHS = 12
MIN_HISTORY = 3
CHECKED_FIGURES = ("total_sales", "online_sales", "orders", "units")


def outcome_problems(*, month: datetime.date | None, values: dict, today: datetime.date | None = None) -> dict:
    """Field → message for what no record may hold: a month not given as its first day or in the
    future, a negative figure, online sales above total sales. Empty when all is well."""
    today = today or timezone.localdate()
    problems = {}
    if month is not None:
        if month.day != 1:
            problems["month"] = _("Give the month's first day (%(day)s).") % {"day": f"{month:%Y-%m}-01"}
        elif month > today.replace(day=1):
            problems["month"] = _("The month cannot be in the future.")
    for figure in OutcomeRecord.FIGURES:
        value = values.get(figure)
        if value is not None and value < 0:
            problems[figure] = _("Cannot be negative.")
    total, online = values.get("total_sales"), values.get("online_sales")
    if total is not None and online is not None and online > total and not problems.keys() & {"total_sales", "online_sales"}:
        problems["online_sales"] = _("Online sales cannot exceed total sales (%(total)s).") % {"total": total}
    return problems


def outlier_warnings(*, enterprise, month: datetime.date, values: dict) -> dict:
    """Field → warning for figures far from the MSME's own median of its last 12 months before
    ``month`` (only figures with at least three earlier months above zero are judged)."""
    history = list(
        OutcomeRecord.objects.filter(enterprise=enterprise, month__lt=month)
        .order_by("-month").values(*CHECKED_FIGURES)[:HISTORY_MONTHS]
    )
    warnings = {}
    for figure in CHECKED_FIGURES:
        value = values.get(figure)
        past = [row[figure] for row in history if row[figure]]
        if value is None or len(past) < MIN_HISTORY:
            continue
        typical = median(past)
        if Decimal(value) > typical * OUTLIER_FACTOR or Decimal(value) * OUTLIER_FACTOR < typical:
            warnings[figure] = _(
                "Unusual: %(value)s against a typical %(typical)s in its last months. Check it, or confirm."
            ) % {"value": value, "typical": typical}
    return warnings


@transaction.atomic
def save_outcome_record(*, record: OutcomeRecord, values: dict, user, source: str = OutcomeRecord.Source.ENTRY
                        ) -> OutcomeRecord:
    """Write ``values`` (figures and other fields) to ``record``, new or stored, and save it.

    Each figure in ``values`` takes ``source`` in ``figure_sources``; the figures not given keep
    theirs. A new record's own ``source`` becomes ``source`` unless ``values`` names one. ``user``
    is the person writing (the caller checked they may). The roll-ups of the record's village and
    month (and of those it leaves, if it moves) are refreshed."""
    before = (record.enterprise_id, record.month) if record.pk is not None else None
    figures = [figure for figure in OutcomeRecord.FIGURES if figure in values]
    record.figure_sources = record.figure_sources_after(figures, source)
    if record.pk is None:
        record.source = source
    for name, value in values.items():
        setattr(record, name, value)
    record.save()
    refresh_outcome_rollups(enterprise_months=[(record.enterprise_id, record.month), *([before] if before else [])])
    return record


def entry_source(*, user, enterprise) -> str:
    """The source of figures ``user`` enters on a page for ``enterprise``: the owner's own entry
    when she owns the MSME, else a platform entry (a consultant's or a manager's)."""
    person_id = reach_of(user).person_id
    if person_id is not None and enterprise.owner_id == person_id:
        return OutcomeRecord.Source.OWNER
    return OutcomeRecord.Source.ENTRY


@transaction.atomic
def delete_outcome_record(*, record: OutcomeRecord, user) -> None:
    """Delete ``record`` and refresh the roll-ups of its village and month. ``user`` is the
    person deleting (the caller checked they may)."""
    place = (record.enterprise_id, record.month)
    record.delete()
    refresh_outcome_rollups(enterprise_months=[place])


def record_monthly_outcome(*, enterprise, month: datetime.date, values: dict, user,
                           source: str = OutcomeRecord.Source.ENTRY) -> OutcomeRecord:
    """The MSME's record of ``month`` with ``values`` written: created, or updated if it exists."""
    with transaction.atomic():
        record = (
            OutcomeRecord.objects.select_for_update().filter(enterprise=enterprise, month=month).first()
            or OutcomeRecord(enterprise=enterprise, month=month, currency=enterprise.programme.currency)
        )
        return save_outcome_record(record=record, values=values, user=user, source=source)


@transaction.atomic
def save_listing(*, product, channel, status: str, url: str = "", user) -> Listing:
    """The listing of ``product`` on ``channel``, created or updated. A listing going live for the
    first time is dated today (a live listing needs its date)."""
    listing = Listing.objects.select_for_update().filter(product=product, channel=channel).first() or Listing(
        product=product, channel=channel)
    listing.status, listing.url = status, url
    if status == Listing.Status.LIVE and listing.live_on is None:
        listing.live_on = timezone.localdate()
    listing.save()
    return listing
