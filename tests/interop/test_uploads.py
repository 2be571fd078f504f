"""`aldea purge_uploads`: stored uploads whose commit token expired are deleted, nothing else."""

import uuid

from django.core.management import call_command
from interop_files import stored_upload

from aldea.interop.services import UPLOAD_DIR_NAME, UPLOAD_MAX_AGE


def test_purge_uploads_removes_expired_uploads_and_prints_the_count(settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path
    folder = tmp_path / UPLOAD_DIR_NAME
    folder.mkdir()
    expired = [stored_upload(folder, f"{uuid.uuid4().hex}{suffix}", UPLOAD_MAX_AGE * 2) for suffix in (".csv", ".parquet")]
    kept = [stored_upload(folder, f"{uuid.uuid4().hex}.tsv", 30), stored_upload(folder, "keep-me.csv", UPLOAD_MAX_AGE * 2)]
    call_command("purge_uploads", "--dry-run")
    assert capsys.readouterr().out.strip() == "would remove 2 expired upload(s)"
    assert all(p.exists() for p in expired)
    call_command("purge_uploads")
    assert capsys.readouterr().out.strip() == "removed 2 expired upload(s)"
    assert not any(p.exists() for p in expired) and all(p.exists() for p in kept)
    call_command("purge_uploads")
    assert capsys.readouterr().out.strip() == "removed 0 expired upload(s)"
