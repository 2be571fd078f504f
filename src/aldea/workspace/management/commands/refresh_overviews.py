from django.core.management.base import BaseCommand

from aldea.programmes.commands import add_programme_option, chosen_programmes
from aldea.workspace.figures.overview import refresh_snapshots


class Command(BaseCommand):
    help = (
        "Count again the overview snapshots of large programmes (docs/decisions.md O17), and "
        "the whole view of each, so its first view is quick; the worker does it on demand."
    )

    def add_arguments(self, parser):
        add_programme_option(parser)

    def handle(self, *args, programme=None, **options):
        programmes = chosen_programmes(programme)
        for each in programmes:
            scopes = refresh_snapshots(each)
            self.stdout.write(f"{each.slug}: {len(scopes)} overview snapshots" + (f" ({', '.join(scopes)})" if scopes else ""))
