"""The public showcase's figures, and the rule that keeps them from exposing any one producer.

An aggregate over fewer than five MSMEs can reveal what a single producer sells (with two
producers, each one knows the other's sales by subtraction), so every aggregate the public
showcase prints goes through ``aggregate_if_enough`` with the number of MSMEs behind it.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum

from aldea.core.months import add_months
from aldea.enterprises.models import Enterprise
from aldea.outcomes.models import OutcomeRecord

# k of k-anonymity for published aggregates.
MINIMUM_CONTRIBUTORS = 5

def aggregate_if_enough(value, contributors: int, *, minimum: int = MINIMUM_CONTRIBUTORS):
    """``value`` when at least ``minimum`` MSMEs stand behind it, else ``None`` (do not show).

    >>> aggregate_if_enough(1200, 5), aggregate_if_enough(1200, 4)
    (1200, None)
    """
    return value if contributors >= minimum else None


@dataclass(frozen=True)
class VillageFigures:
    """What the showcase may publish about a village; ``None`` means "too few MSMEs to show"."""

    producers: int | None
    women_led_share: float | None  # 0–1
    online_sales: Decimal | None  # in the programme's currency, over the window below
    orders: int | None
    period_start: datetime.date | None
    period_end: datetime.date | None

    @property
    def anything(self) -> bool:
        return any(v is not None for v in (self.producers, self.women_led_share, self.online_sales, self.orders))


def village_figures(village, *, today: datetime.date) -> VillageFigures:
    """The village's published aggregates over its participant MSMEs (three queries).

    Online sales and orders cover the 12 months ending with the latest month on record up to
    ``today`` (data arrive with a lag, so the calendar's last 12 months would undercount), and
    count only the MSMEs with a record in that window as standing behind them.
    """
    participants = Enterprise.objects.filter(village=village, group=Enterprise.Group.PARTICIPANT)
    people = participants.aggregate(total=Count("pk"), women_led=Count("pk", filter=Q(is_women_led=True)))
    total = people["total"]
    records = OutcomeRecord.objects.filter(enterprise__in=participants, month__lte=today)
    last = records.aggregate(last=Max("month"))["last"]
    online_sales = orders = start = None
    if last is not None:
        start = add_months(last, -11)
        window = records.filter(month__gte=start).aggregate(
            online=Sum("online_sales"), orders=Sum("orders"), contributors=Count("enterprise", distinct=True)
        )
        online_sales = aggregate_if_enough(window["online"] or Decimal(0), window["contributors"])
        orders = aggregate_if_enough(window["orders"] or 0, window["contributors"])
    return VillageFigures(
        producers=aggregate_if_enough(total, total),
        women_led_share=aggregate_if_enough(people["women_led"] / total if total else 0.0, total),
        online_sales=online_sales,
        orders=orders,
        period_start=start,
        period_end=last,
    )
