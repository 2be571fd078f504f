"""The interop services that commands, pages and tasks call: one function per door."""

import re

from aldea.interop.importers.base import VALID_ROWS, ImportReport, run_import
from aldea.interop.importers.registries import IMPORTERS

REGISTRIES = tuple(IMPORTERS)


def import_registry(kind: str, path, *, mode: str = VALID_ROWS, dry_run: bool = False, rejects_path=None,
                    programme: str | None = None, sheet: str | None = None, user=None,
                    batch_size: int | None = None, name: str | None = None, progress=None,
                    cohort: str | None = None) -> ImportReport:
    """Import a CSV/XLSX/Parquet file into one registry (``enterprises``, ``people``, ...).

    With a ``user``, the import updates only records that user may change and refers only to
    records they may use, as the access policy says (importers/scope.py); ``user=None`` is the
    command line, which reaches everything. ``name`` is what the user calls the file, for messages;
    ``progress`` is called with the rows read after each batch.
    Never raises for bad content: the report lists every rejected row (line, column, reason) and a
    refused file in ``file_error``. A committed import is recorded in the audit trail
    (``trail.record_import``: one entry per programme written). Raises ValueError for an unknown ``kind`` or ``mode``.
    ``programme`` and ``cohort`` fill rows that leave those columns out.
    """
    if kind not in IMPORTERS:
        raise ValueError(f"unknown registry {kind!r}; choose one of {', '.join(REGISTRIES)}")
    from aldea.interop import trail
    from aldea.ops import audit

    defaults = {key: value for key, value in (("programme", programme), ("cohort", cohort)) if value}
    importer = IMPORTERS[kind](defaults=defaults, user=user)
    extra = {"batch_size": batch_size} if batch_size else {}
    # Rows the importer saves one by one (people's updates) are on the trail as the import's too.
    with audit.acting(door=audit.Door.IMPORT, actor=user):
        report = run_import(importer, path, mode=mode, dry_run=dry_run, rejects_path=rejects_path, sheet=sheet,
                            name=name, progress=progress, **extra)
        trail.record_import(report, model=importer.model, user=user)
    return report


# --- web uploads: a dry run first, then the same file committed ---------------------------------

UPLOAD_DIR_NAME = "interop-uploads"
UPLOAD_MAX_AGE = 60 * 60  # seconds a previewed upload may wait for its commit
UPLOAD_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".parquet")
# The names preview_upload gives stored files; the sweep deletes nothing else in the folder.
STORED_UPLOAD_NAME = re.compile(r"^[0-9a-f]{32}\.(?:csv|txt|tsv|xlsx|parquet)$")
# A commit that passed its token check just before expiry must still find its file.
UPLOAD_PURGE_GRACE = 60
# Managers import into their own programmes; localities and people are reference data for staff.
MANAGER_REGISTRIES = ("enterprises", "products", "outcomes", "enrolments")
# Trainers enrol participants in the cohorts they train (the importer keeps to those cohorts).
TRAINER_REGISTRIES = ("enrolments",)


class UploadRefused(Exception):
    """The user may not import this, or the upload token is invalid or expired."""


def registries_importable_by(user) -> tuple:
    from aldea.accounts.models import Role
    from aldea.accounts.queries import reach_of
    from aldea.core.access import is_global
    from aldea.programmes.queries import programmes_managed_by

    if is_global(user):
        return REGISTRIES
    if programmes_managed_by(user).exists():
        return MANAGER_REGISTRIES
    if reach_of(user).holds({Role.TRAINER}):
        return TRAINER_REGISTRIES
    return ()


def upload_dir():
    from pathlib import Path

    from django.conf import settings

    directory = Path(settings.MEDIA_ROOT) / UPLOAD_DIR_NAME
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def purge_expired_uploads(*, dry_run: bool = False) -> int:
    """Delete stored uploads whose commit token has expired; return how many (would be) deleted.

    Only files named as ``preview_upload`` names them and last modified more than
    ``UPLOAD_MAX_AGE`` seconds ago (plus a minute's grace) are deleted.
    """
    import time

    cutoff = time.time() - UPLOAD_MAX_AGE - UPLOAD_PURGE_GRACE
    removed = 0
    for path in upload_dir().iterdir():
        if not STORED_UPLOAD_NAME.match(path.name):
            continue
        try:
            if not path.is_file() or path.stat().st_mtime >= cutoff:
                continue
            if not dry_run:
                path.unlink()
        except FileNotFoundError:  # committed or swept by another request meanwhile
            continue
        removed += 1
    return removed


def store_upload(*, user, kind: str, uploaded_file):
    """Keep an uploaded file in the upload folder under a new id; return its path.

    First deletes the stored files of earlier previews that were never committed and whose token
    has expired (``purge_expired_uploads``). Raises UploadRefused when the user may not import ``kind``.
    """
    import uuid
    from pathlib import Path

    if kind not in registries_importable_by(user):
        raise UploadRefused(f"you may not import {kind}")
    purge_expired_uploads()
    suffix = Path(uploaded_file.name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        suffix = ".csv"
    stored = upload_dir() / f"{uuid.uuid4().hex}{suffix}"
    with open(stored, "wb") as fh:
        fh.writelines(uploaded_file.chunks())
    return stored


def check_stored_upload(*, user, kind: str, stored, name: str, mode: str = VALID_ROWS,
                        progress=None, cohort: str | None = None) -> tuple[ImportReport, str]:
    """Dry-run a stored upload's import; return the report and a signed commit token."""
    import os

    from django.core import signing

    report = import_registry(kind, stored, mode=mode, dry_run=True, user=user, name=name, progress=progress,
                             cohort=cohort)
    # The file's age must never be less than its token's: a long dry run would otherwise let the
    # sweep delete the file of a token that is still valid.
    os.utime(stored)
    # The token names the upload by its id, never by a path: commit_upload finds the file.
    token = signing.dumps({"upload": stored.stem, "format": stored.suffix, "kind": kind, "mode": mode,
                           "user": user.pk, "name": name, "cohort": cohort}, salt="aldea.interop.upload")
    return report, token


def preview_upload(*, user, kind: str, uploaded_file, mode: str = VALID_ROWS,
                   cohort: str | None = None) -> tuple[ImportReport, str]:
    """Store an uploaded file, dry-run its import, and return the report and a signed commit token.

    Raises UploadRefused when the user may not import ``kind`` (``store_upload``).
    """
    stored = store_upload(user=user, kind=kind, uploaded_file=uploaded_file)
    return check_stored_upload(user=user, kind=kind, stored=stored, name=uploaded_file.name, mode=mode, cohort=cohort)


def preview_paste(*, user, cohort: str, pasted: str, mode: str = VALID_ROWS) -> tuple[ImportReport, str]:
    """``preview_upload`` for a list pasted on a cohort's page: the same dry run and token."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from aldea.interop.importers.enrolments import paste_to_table

    table = paste_to_table(pasted).encode("utf-8")
    return preview_upload(user=user, kind="enrolments", mode=mode, cohort=cohort,
                          uploaded_file=SimpleUploadedFile("pasted-list.tsv", table, content_type="text/tab-separated-values"))


def _stored_upload(data: dict):
    """The stored file a token names, inside the upload folder only.

    Even a token signed with the right key (a leaked or published key) names nothing but a file
    ``preview_upload`` could have written: an upload id and one of the accepted formats.
    """
    name = f"{data.get('upload', '')}{data.get('format', '')}"
    if not isinstance(data.get("upload"), str) or not STORED_UPLOAD_NAME.fullmatch(name):
        raise UploadRefused("this upload expired or is not valid; upload the file again")
    directory = upload_dir().resolve()
    stored = (directory / name).resolve()
    if stored.parent != directory:
        raise UploadRefused("this upload expired or is not valid; upload the file again")
    return stored


def read_upload_token(*, user, token: str) -> tuple[dict, object]:
    """The token's data and the stored file it names, for ``user``.

    Raises UploadRefused for a token that is forged, expired, another user's, already used, or
    that names anything but a stored upload.
    """
    from django.core import signing

    try:
        data = signing.loads(token, salt="aldea.interop.upload", max_age=UPLOAD_MAX_AGE)
    except signing.BadSignature as exc:
        raise UploadRefused("this upload expired or is not valid; upload the file again") from exc
    if data.get("user") != user.pk or data.get("kind") not in registries_importable_by(user):
        raise UploadRefused("this upload belongs to another user")
    stored = _stored_upload(data)
    if not stored.exists():
        raise UploadRefused("this upload was already imported; upload the file again")
    return data, stored


def commit_upload(*, user, token: str, progress=None) -> ImportReport:
    """Import a previewed upload for real and delete the stored file.

    Raises UploadRefused as ``read_upload_token`` does.
    """
    data, stored = read_upload_token(user=user, token=token)
    try:
        report = import_registry(data["kind"], stored, mode=data["mode"], user=user, name=data["name"],
                                 progress=progress, cohort=data.get("cohort"))
    finally:
        stored.unlink(missing_ok=True)
    return report
