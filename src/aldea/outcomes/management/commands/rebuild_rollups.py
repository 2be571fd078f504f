from django.core.management.base import BaseCommand

from aldea.outcomes.rollups import rebuild_outcome_rollups
from aldea.programmes.commands import add_programme_option, chosen_programmes


class Command(BaseCommand):
    help = (
        "Rebuild the monthly roll-ups of outcome figures (per village, month and disaggregation) "
        "that the overview reads; `aldea compute_analytics` does it too."
    )

    def add_arguments(self, parser):
        add_programme_option(parser)

    def handle(self, *args, programme=None, **options):
        programmes = chosen_programmes(programme)
        for each in programmes:
            self.stdout.write(f"{each.slug}: {rebuild_outcome_rollups(each)} roll-up rows")
