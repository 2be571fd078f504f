"""Background work of the data page: large uploads (aldea.interop.jobs)."""

from django_tasks import task


@task()
def run_upload_job(job_id: int) -> None:
    """Check or import one large upload (``jobs.run``)."""
    from aldea.interop import jobs

    jobs.run(job_id)
