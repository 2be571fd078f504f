from django.core.management.base import BaseCommand

from aldea.territories.services import load_mexico_reference


class Command(BaseCommand):
    help = (
        "Load the packaged territory reference data: Mexico, its 32 states and 2,469 municipalities "
        "(INEGI Censo 2020 population and dwellings, CONAPO 2020 marginalisation). Safe to re-run."
    )

    def handle(self, *args, **options):
        counts = load_mexico_reference()
        self.stdout.write(
            "Mexico: {states} states ({states_created} created, {states_updated} updated), "
            "{municipalities} municipalities ({municipalities_created} created, "
            "{municipalities_updated} updated)".format(**counts)
        )
