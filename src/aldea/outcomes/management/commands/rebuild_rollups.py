from django.core.management.base import BaseCommand, CommandError

from aldea.outcomes.rollups import rebuild_outcome_rollups
from aldea.programmes.models import Programme


class Command(BaseCommand):
    help = (
        "Rebuild the monthly roll-ups of outcome figures (per village, month and disaggregation) "
        "that the overview reads; `aldea compute_analytics` does it too."
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
            self.stdout.write(f"{each.slug}: {rebuild_outcome_rollups(each)} roll-up rows")
