from django.core.management.base import BaseCommand
from django.db import transaction

from aldea.territories.services import load_mexico_reference


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Load the packaged territory reference data: Mexico, its 32 states and 2,469 municipalities "
        "(INEGI Censo 2020 population and dwellings, CONAPO 2020 marginalisation). Safe to re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")

    def handle(self, *args, dry_run, **options):
        try:
            with transaction.atomic():
                counts = load_mexico_reference()
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        prefix = "Dry run, nothing written. " if dry_run else ""
        self.stdout.write(
            prefix + "Mexico: {states} states ({states_created} created, {states_updated} updated), "
            "{municipalities} municipalities ({municipalities_created} created, "
            "{municipalities_updated} updated)".format(**counts)
        )
