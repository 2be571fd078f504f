"""`aldea backup --out FILE`: the database and the uploaded files in one file, with checksums."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aldea.ops.backup import BackupError, write_backup


class Command(BaseCommand):
    help = (
        "Write the database (SQLite online backup, or pg_dump) and every uploaded file into one "
        "tar file with a SHA-256 manifest. Safe while Aldea runs. Restore it with `aldea restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="the backup file to write, e.g. /backups/aldea-2026-05-01.tar")

    def handle(self, *args, out, **options):
        try:
            summary = write_backup(Path(out))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Backed up the {summary.vendor} database and {summary.files:,} files to {summary.path} "
            f"({summary.bytes / 2**20:,.1f} MB)"
        )
