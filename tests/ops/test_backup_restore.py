"""`aldea backup` and `aldea restore`: every table and every file identical after a round trip.

Each side is a real Aldea (its own data folder and database) run as the `aldea` command, as an
operator would: the demo programme in the source, nothing in the target.
"""

import io
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

ALDEA = [sys.executable, "-m", "aldea"]


def aldea(*args, data_dir: Path, database_url: str = "", check=True) -> subprocess.CompletedProcess:
    env = {**os.environ, "ALDEA_DEBUG": "true", "ALDEA_DATA_DIR": str(data_dir), "ALDEA_DATABASE_URL": database_url}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run([*ALDEA, *args], env=env, capture_output=True, text=True, timeout=600, check=False)
    if check and result.returncode != 0:
        raise AssertionError(f"aldea {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def files_under(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def put_uploads(data_dir: Path) -> None:
    media = data_dir / "media"
    (media / "interop-uploads").mkdir(parents=True, exist_ok=True)
    (media / "interop-uploads" / f"{uuid.uuid4().hex}.csv").write_text("code,name\nA1,Taller Ñandú\n", encoding="utf-8")
    (media / "photos" / "2026" / "05").mkdir(parents=True)
    (media / "photos" / "2026" / "05" / "rug.jpg").write_bytes(bytes(range(256)) * 40)


def sqlite_tables(path: Path) -> dict[str, list]:
    with sqlite3.connect(path) as db:
        names = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {name: sorted(db.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr) for name in names}


def source_with_demo(tmp_path, database_url=""):
    source = tmp_path / "source"
    aldea("migrate", "--verbosity", "0", data_dir=source, database_url=database_url)
    aldea("load_demo", "--scale", "16", data_dir=source, database_url=database_url)
    put_uploads(source)
    return source


def test_a_sqlite_backup_restores_every_table_and_file(tmp_path):
    source = source_with_demo(tmp_path)
    backup = tmp_path / "backups" / "aldea.tar"
    aldea("backup", "--out", str(backup), data_dir=source)
    target = tmp_path / "target"

    restored = aldea("restore", str(backup), data_dir=target)

    assert "Restored the sqlite database and 2 files" in restored.stdout
    before, after = sqlite_tables(source / "aldea.sqlite3"), sqlite_tables(target / "aldea.sqlite3")
    assert before.keys() == after.keys() and len(before) > 40
    assert sum(len(rows) for rows in before.values()) > 1000
    for table in before:
        assert before[table] == after[table], table
    assert files_under(source / "media") == files_under(target / "media")
    # The restored site works: its migrations are all applied, and it can be backed up again.
    assert "[ ]" not in aldea("showmigrations", data_dir=target).stdout


def test_restore_refuses_a_target_that_is_not_empty_unless_forced(tmp_path):
    source = source_with_demo(tmp_path)
    backup = tmp_path / "aldea.tar"
    aldea("backup", "--out", str(backup), data_dir=source)
    backed_up = sqlite_tables(source / "aldea.sqlite3")
    aldea("load_demo", "--reset", "--seed", "7", "--scale", "16", data_dir=source)  # a bad day's changes
    (source / "media" / "photos" / "2026" / "05" / "rug.jpg").unlink()
    assert sqlite_tables(source / "aldea.sqlite3") != backed_up

    refused = aldea("restore", str(backup), data_dir=source, check=False)
    assert refused.returncode != 0 and "the target is not empty" in refused.stderr
    assert sqlite_tables(source / "aldea.sqlite3") != backed_up  # nothing was touched

    aldea("restore", str(backup), "--force", data_dir=source)
    assert sqlite_tables(source / "aldea.sqlite3") == backed_up
    assert (source / "media" / "photos" / "2026" / "05" / "rug.jpg").read_bytes() == bytes(range(256)) * 40


def test_a_damaged_backup_is_refused_before_anything_is_touched(tmp_path):
    source = source_with_demo(tmp_path)
    backup = tmp_path / "aldea.tar"
    aldea("backup", "--out", str(backup), data_dir=source)
    with tarfile.open(backup) as archive:
        members = [(m, archive.extractfile(m).read()) for m in archive.getmembers()]
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(damaged, "w") as archive:
        for member, body in members:
            if member.name.endswith("rug.jpg"):
                body = body[:-1] + b"!"
            archive.addfile(member, io.BytesIO(body))
    target = tmp_path / "target"

    refused = aldea("restore", str(damaged), data_dir=target, check=False)

    assert refused.returncode != 0 and "does not match its checksum" in refused.stderr
    assert not (target / "media").exists() or not any((target / "media").rglob("*.jpg"))


# --- PostgreSQL ---------------------------------------------------------------------------------

POSTGRES_URL = os.environ.get("ALDEA_DATABASE_URL", "")
needs_postgres = pytest.mark.skipif(
    not POSTGRES_URL.startswith(("postgres://", "postgresql://")),
    reason="runs in make test's PostgreSQL pass (ALDEA_DATABASE_URL=postgres://...)",
)


@pytest.fixture
def two_postgres_databases():
    import psycopg

    base = POSTGRES_URL.rsplit("/", 1)[0]
    names = [f"aldea_backup_test_{uuid.uuid4().hex[:8]}_{side}" for side in ("source", "target")]
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    yield [f"{base}/{name}" for name in names]
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_contents(url: str) -> tuple[dict, dict]:
    import psycopg

    with psycopg.connect(url) as db:
        names = [row[0] for row in db.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
        tables = {name: sorted(db.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr) for name in names}
        # Sequences too: after a restore, new rows must not collide with restored ones.
        sequences = dict(db.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'").fetchall())
    return tables, sequences


@needs_postgres
def test_a_postgresql_backup_restores_every_table_and_file(tmp_path, two_postgres_databases):
    source_url, target_url = two_postgres_databases
    source = source_with_demo(tmp_path, source_url)
    backup = tmp_path / "aldea.tar"
    aldea("backup", "--out", str(backup), data_dir=source, database_url=source_url)
    target = tmp_path / "target"

    refused_into_sqlite = aldea("restore", str(backup), data_dir=tmp_path / "sqlite-target", check=False)
    restored = aldea("restore", str(backup), data_dir=target, database_url=target_url)

    assert "of a postgresql database and this Aldea uses sqlite" in refused_into_sqlite.stderr
    assert "Restored the postgresql database and 2 files" in restored.stdout
    (before, before_sequences), (after, after_sequences) = postgres_contents(source_url), postgres_contents(target_url)
    assert before.keys() == after.keys() and len(before) > 40
    for table in before:
        assert before[table] == after[table], table
    assert before_sequences == after_sequences
    assert files_under(source / "media") == files_under(target / "media")


def test_backups_are_documented_with_a_schedule_and_a_restore_drill():
    deploy = (Path(settings.BASE_DIR).parent.parent / "docs" / "deploy.md").read_text(encoding="utf-8")
    assert "aldea backup --out" in deploy and "aldea restore" in deploy
    assert "Restore drill" in deploy and "Schedule" in deploy
