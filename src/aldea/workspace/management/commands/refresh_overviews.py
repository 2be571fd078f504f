from django.core.management.base import BaseCommand, CommandError

from aldea.programmes.models import Programme
from aldea.workspace.figures.overview import refresh_snapshots


class Command(BaseCommand):
    help = (
        "Count again the overview snapshots of large programmes (docs/decisions.md O17), and "
        "the whole view of each, so its first view is quick; the worker does it on demand."
    )

    def add_arguments(self, parser):
        parser.add_argument("--programme", help="programme code (slug); default: every programme")

    def handle(self, *args, programme=None, **options):
        programmes = Programme.objects.order_by("slug")
        if programme:
            programmes = programmes.filter(slug=programme)
            if not programmes.exists():
                raise CommandError(f"No programme with code {programme!r}")
        for each in programmes:
            scopes = refresh_snapshots(each)
            self.stdout.write(f"{each.slug}: {len(scopes)} overview snapshots" + (f" ({', '.join(scopes)})" if scopes else ""))
