"""`aldea purge_uploads [--dry-run]`: delete Data-page uploads that were previewed but never imported."""

from django.core.management.base import BaseCommand

from aldea.interop.services import UPLOAD_MAX_AGE, purge_expired_uploads


class Command(BaseCommand):
    help = (f"Delete stored Data-page uploads whose import token has expired (older than {UPLOAD_MAX_AGE} s). "
            "Each preview on the page does the same; run this from cron when the page is little used.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count the files, delete nothing")

    def handle(self, *args, dry_run, **options):
        count = purge_expired_uploads(dry_run=dry_run)
        self.stdout.write(f"{'would remove' if dry_run else 'removed'} {count} expired upload(s)")
