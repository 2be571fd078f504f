"""The funder report from the overview: asked for, built in the background, downloaded."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from aldea.accounts.queries import sees_whole
from aldea.core.access import visible_or_404
from aldea.programmes.queries import programmes_visible_to
from aldea.reporting.impact.panel import ProgrammeImpactError
from aldea.reporting.models import FunderReport
from aldea.workspace.report.content import REPORT_LANGUAGES
from aldea.workspace.tasks import build_funder_report, period_of


def latest_report(user, programme) -> FunderReport | None:
    """The user's latest report of the programme, without its PDF. One query."""
    return (FunderReport.objects.filter(programme=programme, requested_by=user).defer("pdf")
            .order_by("-created_at").first())


def _report_of(request, pk) -> FunderReport:
    report = get_object_or_404(FunderReport.objects.defer("pdf"), pk=pk, requested_by=request.user)
    # A report is the whole programme's: only for those who still see it whole.
    if not programmes_visible_to(request.user).filter(pk=report.programme_id).exists():
        raise Http404
    if not sees_whole(request.user, report.programme_id):
        raise PermissionDenied
    return report


@login_required
@require_POST
def request_report(request):
    """Queue the report (a background task; immediate where the backend is)."""
    programme = visible_or_404(programmes_visible_to(request.user), slug=request.POST.get("programme", ""))
    if not sees_whole(request.user, programme.id):
        raise PermissionDenied
    language = request.POST.get("language", "es")
    if language not in REPORT_LANGUAGES:
        return HttpResponse(f"unknown language {language!r}", status=400)
    try:
        period = period_of(request.POST.get("period", "").strip())
    except ProgrammeImpactError as exc:
        return HttpResponse(str(exc), status=400)
    report = FunderReport.objects.create(
        programme=programme, requested_by=request.user, language=language,
        period_start=period[0] if period else None, period_end=period[1] if period else None)
    build_funder_report.enqueue(report.pk)
    if request.htmx:
        return report_status(request, report.pk)
    return redirect(f"{reverse('workspace:overview')}?programme={programme.slug}#report")


@login_required
def report_status(request, pk):
    """The report's progress (the partial polls itself until the report is ready)."""
    report = _report_of(request, pk)
    return render(request, "workspace/partials/report_status.html", {"report": report})


@login_required
def report_download(request, pk):
    report = _report_of(request, pk)
    if report.status != FunderReport.Status.DONE:
        raise Http404
    pdf = FunderReport.objects.values_list("pdf", flat=True).get(pk=report.pk)
    response = HttpResponse(bytes(pdf), content_type="application/pdf")
    name = f"{report.programme.slug}-{report.language}-{report.created_at:%Y%m%d-%H%M}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
