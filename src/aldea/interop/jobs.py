"""Large uploads off the request: the worker checks and imports them while the page polls.

Above ``settings.UPLOAD_WORKER_BYTES`` the data page stores the file, queues an ``UploadJob`` and
returns at once; the task (``aldea.interop.tasks.run_upload_job``) runs the same services as the
synchronous path (``check_stored_upload``, ``commit_upload``) and keeps their report on the job,
so the page shows exactly the report it would have shown. Progress (rows read) goes to a small
file next to the upload, not to the database: the import's own transaction would hide it from the
page until the end.
"""

import dataclasses
import json
import os
import uuid

from django.conf import settings
from django.utils import timezone

from aldea.interop import readers
from aldea.interop.importers.base import ImportReport, RowError
from aldea.interop.models import UploadJob
from aldea.interop.services import (
    UploadRefused,
    check_stored_upload,
    commit_upload,
    read_upload_token,
    store_upload,
    upload_dir,
)


def runs_in_worker(size: int, rows: int | None) -> bool:
    """Whether a file of ``size`` bytes and about ``rows`` rows is checked and imported by the
    worker. Rows count too: an XLSX of under a megabyte can unpack to 300,000 rows."""
    return size > settings.UPLOAD_WORKER_BYTES or (rows or 0) > settings.UPLOAD_WORKER_ROWS


def _enqueue(job: UploadJob) -> UploadJob:
    from aldea.interop.tasks import run_upload_job

    run_upload_job.enqueue(job.pk)
    job.refresh_from_db()  # an immediate backend (tests, a one-process demo) has run it already
    return job


def _queue(*, user, phase, kind, mode, name, stored, rows, token="") -> UploadJob:
    job = UploadJob.objects.create(
        public_id=uuid.uuid4().hex, user=user, phase=phase, kind=kind, mode=mode, name=name[:255],
        upload=stored.stem, format=stored.suffix, token=token, rows_total=rows,
    )
    return _enqueue(job)


def check_upload(*, user, kind: str, uploaded_file, mode: str) -> tuple[ImportReport | None, str, UploadJob | None]:
    """Store an uploaded file and check it: here for a small file, ``(report, token, None)``; in
    the worker for a large one, ``(None, "", job)``. Raises UploadRefused as ``store_upload`` does."""
    stored = store_upload(user=user, kind=kind, uploaded_file=uploaded_file)
    rows = readers.estimate_rows(stored)
    if runs_in_worker(stored.stat().st_size, rows):
        return None, "", _queue(user=user, phase=UploadJob.Phase.CHECK, kind=kind, mode=mode,
                                name=uploaded_file.name, stored=stored, rows=rows)
    report, token = check_stored_upload(user=user, kind=kind, stored=stored, name=uploaded_file.name, mode=mode)
    return report, token, None


def import_upload(*, user, token: str) -> tuple[ImportReport | None, UploadJob | None]:
    """Import a checked upload: here for a small file, ``(report, None)``; in the worker for a
    large one, ``(None, job)``. Raises UploadRefused for a token ``commit_upload`` refuses."""
    data, stored = read_upload_token(user=user, token=token)
    rows = readers.estimate_rows(stored)
    if runs_in_worker(stored.stat().st_size, rows):
        return None, _queue(user=user, phase=UploadJob.Phase.IMPORT, kind=data["kind"], mode=data["mode"],
                            name=data["name"], stored=stored, rows=rows, token=token)
    return commit_upload(user=user, token=token), None


def _progress_path(job: UploadJob):
    return upload_dir() / f"{job.upload}.progress"


def _note_progress(job: UploadJob, rows: int) -> None:
    path = _progress_path(job)
    temporary = path.with_suffix(".progress-tmp")
    temporary.write_text(json.dumps({"rows": rows}), encoding="utf-8")
    os.replace(temporary, path)  # the page never reads half a file


def rows_done(job: UploadJob) -> int:
    """Rows read so far by a running job (all of them once it is done)."""
    if job.report is not None:
        return job.report.get("read", 0)
    try:
        return json.loads(_progress_path(job).read_text(encoding="utf-8"))["rows"]
    except (FileNotFoundError, ValueError, KeyError):
        return 0


def percent_done(job: UploadJob) -> int:
    if job.status == UploadJob.Status.DONE:
        return 100
    if not job.rows_total:
        return 0
    return min(99, round(100 * rows_done(job) / job.rows_total))


def report_of(job: UploadJob) -> ImportReport | None:
    """The finished job's report, as the synchronous path returned it."""
    if job.report is None:
        return None
    data = dict(job.report)
    errors = [RowError(**error) for error in data.pop("errors", [])]
    known = {f.name for f in dataclasses.fields(ImportReport)}
    return ImportReport(**{k: v for k, v in data.items() if k in known}, errors=errors)


def run(job_id: int) -> None:
    """Run one job (the task's body): its check or its import, with the report kept on the job."""
    job = UploadJob.objects.select_related("user").get(pk=job_id)
    if job.status != UploadJob.Status.QUEUED:
        return  # run once, even if the task is delivered twice
    UploadJob.objects.filter(pk=job.pk).update(status=UploadJob.Status.RUNNING)
    progress = lambda rows: _note_progress(job, rows)
    try:
        if job.phase == UploadJob.Phase.CHECK:
            stored = upload_dir() / f"{job.upload}{job.format}"
            report, token = check_stored_upload(user=job.user, kind=job.kind, stored=stored, name=job.name,
                                                mode=job.mode, progress=progress)
            job.token = token if not report.file_error else ""
        else:
            report = commit_upload(user=job.user, token=job.token, progress=progress)
        job.report = json.loads(json.dumps(dataclasses.asdict(report), default=str))
        job.status = UploadJob.Status.DONE
    except UploadRefused as exc:  # the token expired while the job waited in the queue
        job.status, job.error = UploadJob.Status.FAILED, str(exc)
    except Exception as exc:  # the page must say it failed, whatever failed
        job.status, job.error = UploadJob.Status.FAILED, f"{type(exc).__name__}: {exc}"[:1000]
        raise
    finally:
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "report", "token", "error", "finished_at"])
        _progress_path(job).unlink(missing_ok=True)
