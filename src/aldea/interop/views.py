"""The data page: upload with a dry-run report before commit, and registry downloads."""

import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from aldea.enterprises.queries import enterprises_visible_to, products_visible_to
from aldea.interop import exporters, jobs
from aldea.interop.forms import UploadForm
from aldea.interop.labels import labelled_registries
from aldea.interop.models import UploadJob
from aldea.interop.services import UploadRefused, registries_importable_by
from aldea.outcomes.queries import outcome_records_visible_to
from aldea.people.queries import persons_visible_to
from aldea.workspace.navigation import DATA_ROLES, roles_of

# Who sees the page at all: import needs a manager (or staff), download an analyst too.
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}


def _require_page(user):
    if not roles_of(user) & DATA_ROLES:
        raise Http404


def _page(request, **context):
    kinds = registries_importable_by(request.user)
    context.setdefault("form", UploadForm(kinds=kinds) if kinds else None)
    context.update(kinds=kinds, registries=labelled_registries(exporters.REGISTRIES), formats=exporters.FORMATS)
    partial = request.htmx and ("report" in context or "job" in context)
    if partial:
        template = "interop/partials/job.html" if "job" in context else "interop/partials/report.html"
    else:
        template = "interop/upload.html"
    response = render(request, template, context, status=context.pop("status", 200))
    if request.htmx and not partial:
        # No report to swap into #import-report (the form has errors): redraw the whole page as
        # a boosted link does, never a copy of the page inside the page.
        response = reswap(retarget(response, "body"), "innerHTML")
    return response


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    _require_page(request.user)
    if request.method == "GET":
        return _page(request)
    kinds = registries_importable_by(request.user)
    if not kinds:
        raise PermissionDenied
    form = UploadForm(request.POST, request.FILES, kinds=kinds)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    try:
        report, token, job = jobs.check_upload(user=request.user, kind=form.cleaned_data["kind"],
                                               uploaded_file=form.cleaned_data["file"], mode=form.cleaned_data["mode"])
    except UploadRefused as exc:
        raise PermissionDenied(str(exc)) from exc
    if job is not None:  # a large file: the worker checks it while the page polls
        return _page(request, form=form, **_job_context(job))
    return _page(request, form=form, report=report, token=token if not report.file_error else "")


@login_required
@require_POST
def commit(request):
    _require_page(request.user)
    if not registries_importable_by(request.user):
        raise PermissionDenied
    try:
        report, job = jobs.import_upload(user=request.user, token=request.POST.get("token", ""))
    except UploadRefused as exc:
        return _page(request, error=str(exc), status=400)
    if job is not None:
        return _page(request, **_job_context(job))
    return _page(request, report=report, committed=True)


def _job_context(job) -> dict:
    context = {"job": job, "percent": jobs.percent_done(job), "rows_done": jobs.rows_done(job)}
    if job.status == job.Status.DONE:
        report = jobs.report_of(job)
        committed = job.phase == job.Phase.IMPORT
        context.update(report=report, committed=committed,
                       token=job.token if not committed and not report.file_error else "")
    return context


@login_required
@require_GET
def job(request, public_id):
    """A large upload's progress (htmx polls it), then its report."""
    _require_page(request.user)
    found = UploadJob.objects.filter(public_id=public_id, user=request.user).first()
    if found is None:  # only its own user follows a job
        raise Http404
    return _page(request, **_job_context(found))


def _visible(kind, user):

    querysets = {
        "enterprises": enterprises_visible_to, "people": persons_visible_to,
        "products": products_visible_to, "outcomes": outcome_records_visible_to,
    }
    return querysets[kind](user) if kind in querysets else None  # localities: public reference data


@login_required
@require_GET
def download(request, kind, format):
    _require_page(request.user)
    if kind not in exporters.REGISTRIES or format not in exporters.FORMATS:
        raise Http404
    with tempfile.NamedTemporaryFile(suffix=f".{format}", delete=False) as handle:
        path = Path(handle.name)
    exporters.export_registry(
        kind, path, format=format, queryset=_visible(kind, request.user), viewer=request.user
    )
    stream = open(path, "rb")  # noqa: SIM115 (FileResponse closes it)
    response = FileResponse(stream, as_attachment=True, filename=f"aldea-{kind}.{format}",
                            content_type=CONTENT_TYPES[format])
    path.unlink()  # the open handle keeps the data readable on POSIX until the response is sent
    return response
