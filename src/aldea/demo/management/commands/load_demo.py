import time

from django.core.management.base import BaseCommand, CommandError

from aldea.demo.generator import DEFAULT_SEED, generate_demo
from aldea.demo.services import demo_programme, reset_demo


class Command(BaseCommand):
    help = "Generate the deterministic demo programme (loads the territory reference data first)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="same seed, same data (default %(default)s)")
        parser.add_argument("--scale", type=int, default=None,
                            help="total number of MSMEs, e.g. 100000 for load tests (default: 8 villages × 50 + 200)")
        parser.add_argument("--reset", action="store_true", help="delete an existing demo programme first")

    def handle(self, *args, seed, scale, reset, **options):
        if demo_programme() is not None:
            if not reset:
                raise CommandError("the demo programme is already loaded; use --reset to regenerate it")
            reset_demo()
            self.stdout.write("Deleted the previous demo programme.")
        started = time.monotonic()
        try:
            counts = generate_demo(seed=seed, scale=scale)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        counts.pop("logins")
        self.stdout.write(
            f"Demo programme generated in {time.monotonic() - started:.1f} s (seed {seed}): "
            + ", ".join(f"{key} {value:,}" for key, value in counts.items())
        )
