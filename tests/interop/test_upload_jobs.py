"""Large uploads off the request: above the size or row threshold the worker checks and imports
the file, the request returns at once, the page polls a progress bar, then shows the same report."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from interop_files import write_xlsx

from aldea.accounts.models import Membership, Person, User
from aldea.enterprises.models import Enterprise
from aldea.interop import jobs, readers
from aldea.interop.models import UploadJob
from aldea.ops.models import AuditEntry

CSV = "code;name;village;sector\ntapetes-ruiz;Tapetes Ruiz;teotitlan;textiles\nmal;;teotitlan;textiles\n"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def person_with(role, programme, username):
    user = User.objects.create_user(username=username, password="x")
    person = Person.objects.create(given_name=username, user=user)
    Membership.objects.create(person=person, role=role, programme=programme)
    return user


@pytest.fixture
def manager(programme, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return person_with("manager", programme, "manager")


@pytest.fixture
def large(settings):
    """Every upload of more than 10 bytes is large."""
    settings.UPLOAD_WORKER_BYTES = 10


def upload(client, content=CSV, name="mipymes.csv", **headers):
    return client.post(reverse("interop:upload"), {
        "kind": "enterprises", "mode": "valid-rows", "file": SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content)},
        **headers)


def test_a_large_upload_is_queued_for_the_worker_not_run_in_the_request(client, manager, large):
    client.force_login(manager)
    response = upload(client, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    job = UploadJob.objects.get()
    assert (job.status, job.phase, job.report, job.rows_total) == ("queued", "check", None, 2)
    task = DBTaskResult.objects.get()
    assert task.task_path == "aldea.interop.tasks.run_upload_job" and task.args_kwargs["args"] == [job.pk]
    body = response.content.decode()
    assert reverse("interop:job", args=[job.public_id]) in body and 'hx-trigger="every 2s"' in body
    assert "<progress" in body and "Check before importing" not in body


def test_a_small_upload_is_still_checked_in_the_request(client, manager):
    client.force_login(manager)
    response = upload(client)
    assert response.context["report"].created == 1 and not UploadJob.objects.exists()


def test_a_file_of_many_rows_goes_to_the_worker_however_small(client, manager, settings):
    settings.UPLOAD_WORKER_ROWS = 1
    client.force_login(manager)
    upload(client)
    assert UploadJob.objects.get().status == "queued"


def test_the_progress_bar_shows_rows_done_of_the_total(client, manager, large):
    client.force_login(manager)
    upload(client)
    job = UploadJob.objects.get()
    job.rows_total = 10
    job.status = UploadJob.Status.RUNNING
    job.save()
    jobs._note_progress(job, 4)
    response = client.get(reverse("interop:job", args=[job.public_id]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "4 of about 10 rows" in body and 'value="40"' in body
    assert "<h1>" not in body  # htmx gets the region only


def test_the_worker_checks_then_imports_and_the_page_shows_the_same_report(client, manager, large, settings):
    settings.TASKS = IMMEDIATE
    client.force_login(manager)
    checked = upload(client)
    job = UploadJob.objects.get()
    assert job.status == "done" and not Enterprise.objects.exists()
    polled = client.get(reverse("interop:job", args=[job.public_id]))
    report = polled.context["report"]
    assert (report.read, report.created, report.rejected) == (2, 1, 1)
    assert [(e.line, e.column) for e in report.errors] == [(3, "name")]
    assert checked.context["token"] == polled.context["token"] != ""
    imported = client.post(reverse("interop:commit"), {"token": polled.context["token"]})
    final = imported.context["report"]
    assert imported.context["committed"] and final.committed and final.written == 1
    assert Enterprise.objects.filter(code="tapetes-ruiz").exists()
    assert UploadJob.objects.filter(phase="import", status="done").exists()
    entry = AuditEntry.objects.get(door="import")
    assert entry.actor == manager and entry.rows == 1
    assert "Import finished" in imported.content.decode()


def test_another_user_cannot_follow_the_job(client, manager, large, programme):
    client.force_login(manager)
    upload(client)
    job = UploadJob.objects.get()
    client.force_login(person_with("manager", programme, "second-manager"))
    assert client.get(reverse("interop:job", args=[job.public_id])).status_code == 404


def test_a_queued_import_whose_token_expired_says_so(client, manager, large, settings, monkeypatch):
    settings.TASKS = IMMEDIATE
    client.force_login(manager)
    upload(client)
    token = UploadJob.objects.get().token
    monkeypatch.setattr("aldea.interop.services.UPLOAD_MAX_AGE", -1)
    response = client.post(reverse("interop:commit"), {"token": token})
    assert response.status_code == 400 and "expired" in response.content.decode()
    assert not Enterprise.objects.exists()


def test_a_workbook_past_the_expansion_limit_is_refused_on_the_page_saying_the_limit(client, manager, tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_EXPANDED_ROWS", 50)
    path = write_xlsx(tmp_path / "big.xlsx", {"MIPYMES": [["code", "name"], *[[f"c{i}", "x"] for i in range(60)]]})
    client.force_login(manager)
    response = upload(client, path.read_bytes(), name="big.xlsx")
    assert "may hold at most 50 rows" in response.context["report"].file_error
    assert "may hold at most 50 rows" in response.content.decode() and not response.context["token"]


def test_row_estimates_for_each_format(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    csv = tmp_path / "a.csv"
    csv.write_text("code\nx\ny\nz", encoding="utf-8")
    xlsx = write_xlsx(tmp_path / "a.xlsx", {"S": [["code"], ["x"], ["y"]]})
    parquet = tmp_path / "a.parquet"
    pq.write_table(pa.table({"code": ["x", "y", "z", "w"]}), parquet)
    assert [readers.estimate_rows(p) for p in (csv, xlsx, parquet)] == [3, 2, 4]
