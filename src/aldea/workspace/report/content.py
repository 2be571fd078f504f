"""The funder report: its figures, gathered once, then rendered in any language as a PDF.

:func:`collect` reads everything the report prints (indicators against their targets, from the
same function and target rule as the overview's tiles; the training cascade; the villages; the
impact estimates of the four outcomes with who benefits; data quality) into plain numbers.
:func:`aldea.workspace.report.pdf.render_pdf` lays them out in one language. The report carries
the data snapshot's date (the latest change to the outcome records) and a SHA-256 of its
figures, so the same data always gives the same hash.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from aldea.enterprises.models import Enterprise
from aldea.programmes.models import Programme
from aldea.reporting.impact.compute import impact_figures
from aldea.reporting.impact.panel import OUTCOMES
from aldea.training.models import Certificate
from aldea.workspace.charts.programme import village_point
from aldea.workspace.figures.overview import certified_people, indicator_tiles, msme_progress

#: The report's languages: the command's names and Django's language codes.
REPORT_LANGUAGES = {"es": "es-mx", "pt-br": "pt-br", "en": "en"}


@dataclass
class ReportData:
    """Everything the report prints, language-free."""

    programme: Programme
    period: tuple[dt.date, dt.date] | None
    as_of: dt.date  # the indicators' "today": the period's last day, else today
    generated_at: dt.datetime
    indicators: list[dict] = field(default_factory=list)
    cascade: dict = field(default_factory=dict)
    villages: list[dict] = field(default_factory=list)
    impact: dict = field(default_factory=dict)  # outcome -> compute_impact(...)
    #: outcome -> the stored estimate the figures were read from ({id, computed_at, data_as_of,
    #: rows_read, snapshot_hash}), or None when they were computed for this report.
    impact_sources: dict = field(default_factory=dict)

    @property
    def online(self) -> dict:
        return self.impact.get("online_sales", {})

    @property
    def data_as_of(self) -> str | None:
        return self.online.get("data_quality", {}).get("data_as_of")

    @property
    def snapshot_hash(self) -> str:
        """SHA-256 of the report's figures (not of when it was generated)."""
        content = {"programme": self.programme.slug, "period": [str(d) for d in self.period or ()],
                   "as_of": str(self.as_of), "indicators": self.indicators, "cascade": self.cascade,
                   "villages": self.villages, "impact": self.impact}
        return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def _end_of_month(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def collect(programme: Programme, *, period: tuple[dt.date, dt.date] | None = None,
            today: dt.date | None = None, progress: Callable[[int, str], None] | None = None) -> ReportData:
    """The report's figures for the whole programme (``period``: first and last month)."""
    step = progress or (lambda percent, stage: None)
    today = today or timezone.localdate()
    as_of = min(_end_of_month(period[1]), today) if period else today
    data = ReportData(programme=programme, period=period, as_of=as_of, generated_at=timezone.now())
    step(5, "indicators")
    for tile in indicator_tiles(programme, village_ids=None, today=as_of, headline_only=False):
        data.indicators.append({
            "code": tile.key, "label": tile.label, "unit": tile.unit, "is_money": tile.is_money,
            "value": None if tile.value is None else float(tile.value),
            "target": None if tile.target is None else float(tile.target),
            "percent": tile.percent, "period": [str(tile.period[0]), str(tile.period[1])],
        })
    step(10, "cascade")
    enterprises = Enterprise.objects.filter(programme=programme)
    msmes = msme_progress(enterprises)
    certified = certified_people(Certificate.objects.filter(enrolment__cohort__course__programme=programme))
    data.cascade = {"certified_trainers": certified["trainers"], "certified_consultants": certified["consultants"],
                    "participants": msmes["participants"], "msmes_diagnosed": msmes["diagnosed"],
                    "msmes_listed": msmes["listed"], "msmes_first_sale": msmes["first_sale"],
                    "jobs": msmes["jobs"]}
    villages = (programme.villages.select_related("municipality__parent", "locality")
                .annotate(msmes=Count("enterprises", filter=Q(enterprises__group=Enterprise.Group.PARTICIPANT)))
                .order_by("name"))
    for village in villages:
        point = village_point(village)
        data.villages.append({
            "name": village.name, "municipality": village.municipality.name,
            "state": village.municipality.parent.name if village.municipality.parent_id else "",
            "status": village.status, "launched_on": str(village.launched_on or ""),
            "participants": village.msmes, "point": list(point) if point else None,
        })
    for i, outcome in enumerate(OUTCOMES):
        step(15 + 20 * i, f"impact: {outcome}")
        # The analytics task's stored estimate when it is fresh (and the report is not for a
        # period): the report then prints the very figures the overview shows.
        data.impact[outcome], stored = impact_figures(programme, outcome=outcome, period=period)
        data.impact_sources[outcome] = None if stored is None else {
            "id": stored.pk, "computed_at": stored.computed_at.isoformat(),
            "data_as_of": stored.data_as_of.isoformat() if stored.data_as_of else None,
            "rows_read": stored.rows_read, "snapshot_hash": stored.snapshot_hash}
    step(95, "layout")
    return data
