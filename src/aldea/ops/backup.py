"""One-file backups of the database and the uploaded files, and their restore.

A backup is a tar file holding:

* ``manifest.json``: what it is (format, Aldea version, database vendor, when), and the size and
  SHA-256 of every other member;
* ``database.sqlite3`` (SQLite's online backup API: a consistent copy while the site runs) or
  ``database.pgdump`` (``pg_dump --format=custom``, one consistent snapshot);
* ``media/…``: every file under MEDIA_ROOT (uploads).

Secrets are not in it (the secret key, database passwords): they come from the environment.
Restoring checks every checksum before touching anything, and refuses a target that is not
empty (a database with tables, a media folder with files) unless told to replace it.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

FORMAT = "aldea-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.pgdump"
MEDIA_PREFIX = "media"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup cannot be written or restored; the message says why and what to do."""


@dataclass
class BackupSummary:
    path: Path
    vendor: str
    files: int
    bytes: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _database():
    return connections["default"].settings_dict


def _vendor() -> str:
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def _pg_environment(db: dict) -> dict:
    """libpq's variables for pg_dump/pg_restore: the password never shows on a command line."""
    environment = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            environment[variable] = str(db[key])
    environment["PGDATABASE"] = db["NAME"]
    return environment


def _run(command: list[str], environment: dict) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed; install the PostgreSQL client tools (postgresql-client)")
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip() or result.stdout.strip()}")


def _dump_database(vendor: str, destination: Path) -> None:
    db = _database()
    if vendor == "sqlite":
        # The online backup API copies page by page under SQLite's own locking: a consistent
        # snapshot while the web server and the worker keep writing (WAL included).
        source = sqlite3.connect(db["NAME"])
        target = sqlite3.connect(destination)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={destination}"],
             _pg_environment(db))


def media_files(media_root: Path) -> list[Path]:
    if not media_root.exists():
        return []
    return sorted(path for path in media_root.rglob("*") if path.is_file() and not path.is_symlink())


def write_backup(out: Path) -> BackupSummary:
    """Write the database and MEDIA_ROOT into one tar file at ``out`` (atomically: a partial
    file is never left under that name)."""
    vendor = _vendor()
    out = Path(out)
    media_root = Path(settings.MEDIA_ROOT)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="aldea-backup-", dir=out.parent) as work:
        database_member = SQLITE_MEMBER if vendor == "sqlite" else POSTGRES_MEMBER
        database_path = Path(work) / database_member
        _dump_database(vendor, database_path)
        members = [(database_member, database_path)]
        members += [(str(PurePosixPath(MEDIA_PREFIX, *path.relative_to(media_root).parts)), path)
                    for path in media_files(media_root)]
        entries = [{"name": name, "size": path.stat().st_size, "sha256": _sha256(path)} for name, path in members]
        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "aldea_version": settings.SPECTACULAR_SETTINGS["VERSION"],
            "database": {"vendor": vendor, "member": database_member},
            "members": entries,
        }
        partial = Path(work) / "backup.tar"
        with tarfile.open(partial, "w") as archive:
            body = json.dumps(manifest, indent=2).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(body)
            info.mtime = int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(body))
            for name, path in members:
                archive.add(path, arcname=name, recursive=False)
        os.replace(partial, out)
    return BackupSummary(out, vendor, len(members) - 1, out.stat().st_size)


# --- restore ----------------------------------------------------------------------------------


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, json.JSONDecodeError, TypeError) as exc:
        raise BackupError("this is not an Aldea backup (no readable manifest.json)") from exc
    if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
        raise BackupError(f"unknown backup format {manifest.get('format')!r} version {manifest.get('version')!r}")
    return manifest


def _safe_member_name(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"the backup holds an unsafe path: {name!r}")
    return path


def extract_verified(archive_path: Path, work: Path) -> dict:
    """Extract every member listed in the manifest into ``work``, checking size and SHA-256.

    Nothing but regular files named in the manifest is extracted, and none outside ``work``.
    """
    try:
        archive = tarfile.open(archive_path, "r")  # noqa: SIM115 (closed by the with below)
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{archive_path} cannot be read as a backup: {exc}") from exc
    with archive:
        manifest = read_manifest(archive)
        for entry in manifest["members"]:
            relative = _safe_member_name(entry["name"])
            try:
                member = archive.getmember(entry["name"])
            except KeyError as exc:
                raise BackupError(f"the backup is incomplete: {entry['name']} is missing") from exc
            if not member.isfile():
                raise BackupError(f"the backup holds {entry['name']} as something other than a file")
            target = work.joinpath(*relative.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with archive.extractfile(member) as source, open(target, "wb") as handle:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    handle.write(chunk)
            if target.stat().st_size != entry["size"] or digest.hexdigest() != entry["sha256"]:
                raise BackupError(f"the backup is damaged: {entry['name']} does not match its checksum")
    return manifest


def database_tables() -> list[str]:
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def target_contents() -> tuple[list[str], list[Path]]:
    """What is already there: the database's tables and the files under MEDIA_ROOT."""
    return database_tables(), media_files(Path(settings.MEDIA_ROOT))


def _restore_sqlite(source: Path) -> None:
    target_path = Path(_database()["NAME"])
    connections.close_all()
    target_path.parent.mkdir(parents=True, exist_ok=True)
    source_db = sqlite3.connect(source)
    target = sqlite3.connect(target_path)
    try:
        # Page by page into the live file (WAL and all), as the backup was taken.
        source_db.backup(target)
    finally:
        target.close()
        source_db.close()


def _restore_postgresql(source: Path, *, replace: bool) -> None:
    db = _database()
    connections.close_all()
    command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
               f"--dbname={db['NAME']}"]
    if replace:
        command += ["--clean", "--if-exists"]
    _run([*command, str(source)], _pg_environment(db))


def _restore_media(source_root: Path, *, replace: bool) -> int:
    media_root = Path(settings.MEDIA_ROOT)
    if replace and media_root.exists():
        for path in media_root.iterdir():
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
    media_root.mkdir(parents=True, exist_ok=True)
    restored = 0
    if source_root.exists():
        for path in sorted(source_root.rglob("*")):
            if path.is_file():
                target = media_root / path.relative_to(source_root)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
                restored += 1
    return restored


def restore_backup(archive_path: Path, *, force: bool = False) -> BackupSummary:
    """Put a backup's database and files back.

    Raises BackupError for a damaged or foreign file, a backup of the other database engine, or
    a target that is not empty (unless ``force``, which replaces what is there).
    """
    archive_path = Path(archive_path)
    vendor = _vendor()
    with tempfile.TemporaryDirectory(prefix="aldea-restore-") as work_dir:
        work = Path(work_dir)
        manifest = extract_verified(archive_path, work)
        if manifest["database"]["vendor"] != vendor:
            raise BackupError(
                f"this backup is of a {manifest['database']['vendor']} database and this Aldea uses {vendor}; "
                "restore it into the same kind of database"
            )
        tables, files = target_contents()
        if (tables or files) and not force:
            raise BackupError(
                f"the target is not empty ({len(tables)} tables in the database, {len(files)} files in "
                f"{settings.MEDIA_ROOT}); restore into an empty database and data folder, or pass --force "
                "to replace them"
            )
        database_file = work / manifest["database"]["member"]
        if vendor == "sqlite":
            _restore_sqlite(database_file)
        else:
            _restore_postgresql(database_file, replace=force)
        restored = _restore_media(work / MEDIA_PREFIX, replace=force)
    return BackupSummary(archive_path, vendor, restored, archive_path.stat().st_size)
