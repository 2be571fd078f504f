"""Background work the workspace asks for: the funder report."""

import datetime as dt

from django.utils import timezone
from django_tasks import task

from aldea.reporting.models import FunderReport
from aldea.workspace.report.content import collect
from aldea.workspace.report.pdf import render_pdf


def _note(report_id: int, **fields) -> None:
    # Each step commits on its own, so the page polling the report sees the progress.
    FunderReport.objects.filter(pk=report_id).update(**fields)


@task()
def build_funder_report(report_id: int) -> int:
    """Build a FunderReport's PDF, noting progress on the row as it goes; returns its size."""
    report = FunderReport.objects.select_related("programme__country").get(pk=report_id)
    _note(report_id, status=FunderReport.Status.RUNNING, progress=1, stage="start")
    period = (report.period_start, report.period_end) if report.period_start else None
    try:
        # No transaction around it: each progress note must be seen by the page polling it.
        data = collect(report.programme, period=period,
                       progress=lambda percent, stage: _note(report_id, progress=percent, stage=stage))
        pdf = render_pdf(data, report.language)
    except Exception as exc:  # the row must say it failed, whatever failed
        _note(report_id, status=FunderReport.Status.FAILED, error=f"{type(exc).__name__}: {exc}",
              finished_at=timezone.now())
        raise
    _note(report_id, status=FunderReport.Status.DONE, progress=100, stage="done", pdf=pdf,
          snapshot_hash=data.snapshot_hash, finished_at=timezone.now())
    return len(pdf)


def period_of(text: str) -> tuple[dt.date, dt.date] | None:
    from aldea.reporting.impact.panel import parse_period

    return parse_period(text) if text else None
