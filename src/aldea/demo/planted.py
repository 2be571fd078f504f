"""The demo's planted effect, computed exactly from what the simulation added (PlantedEffect).

The estimand of ``aldea impact --programme`` is the average effect on participating MSMEs
from their village's launch month on (aldea.reporting.impact.panel). Over the MSME-months of
a balanced panel, the estimator's *simple* aggregation weights every treated MSME-month
alike, so the planted value is the sum of what the programme added over those months divided
by their number; the event-study value at ``e`` is the same over the months ``e`` after launch.
"""

from __future__ import annotations

from collections import defaultdict

from aldea.demo.models import PlantedEffect

COLUMNS = {"online_sales": "added_online_sales", "total_sales": "added_total_sales", "jobs": "added_jobs"}


def _index(day) -> int:
    return day.year * 12 + day.month - 1


def planted_effect(programme, outcome: str = "online_sales") -> dict:
    """``{"simple": ..., "dynamic": ..., "event_study": {e: ...}}`` of the planted effect."""
    column = COLUMNS[outcome]
    rows = PlantedEffect.objects.filter(village__programme=programme, village__launched_on__isnull=False
                                        ).values_list("village__launched_on", "month", "participants", column)
    added, months = 0.0, 0
    by_event = defaultdict(lambda: [0.0, 0])
    for launched, month, participants, value in rows:
        e = _index(month) - _index(launched)
        if e < 0:
            continue
        added += float(value)
        months += participants
        by_event[e][0] += float(value)
        by_event[e][1] += participants
    event = {e: total / n for e, (total, n) in sorted(by_event.items()) if n}
    return {
        "outcome": outcome,
        "simple": added / months if months else None,
        "dynamic": sum(event.values()) / len(event) if event else None,
        "event_study": event,
        "treated_msme_months": months,
    }
