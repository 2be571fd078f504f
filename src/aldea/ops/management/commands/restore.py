"""`aldea restore FILE`: put a backup back into an empty database and data folder."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aldea.ops.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a file written by `aldea backup`: every checksum is verified first, and a "
        "database with tables or a media folder with files is refused unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup file")
        parser.add_argument("--force", action="store_true",
                            help="replace what the database and the media folder already hold")

    def handle(self, *args, file, force, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            summary = restore_backup(path, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored the {summary.vendor} database and {summary.files:,} files from {summary.path}")
