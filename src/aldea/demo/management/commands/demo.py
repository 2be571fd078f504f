import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from aldea.demo.catalogue import DEMO_PASSWORD
from aldea.demo.generator import DEFAULT_SEED, generate_demo
from aldea.demo.services import demo_logins, demo_programme
from aldea.territories.services import load_mexico_reference


class Command(BaseCommand):
    help = (
        "Prepare and serve the demo: migrate the database, load the reference data and the demo "
        "programme unless already loaded, print the demo logins, then serve on 127.0.0.1."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=None, help="port to serve on (default ALDEA_PORT or 8000)")
        parser.add_argument("--no-serve", action="store_true", help="prepare the data and exit")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--scale", type=int, default=None, help="total number of MSMEs (default: the standard demo)")

    def handle(self, *args, port, no_serve, seed, scale, **options):
        port = port or settings.PORT
        call_command("migrate", interactive=False, verbosity=0)
        if demo_programme() is None:
            self.stdout.write("Loading the demo programme (first run only)…")
            started = time.monotonic()
            try:
                counts = generate_demo(seed=seed, scale=scale)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                f"Demo loaded in {time.monotonic() - started:.1f} s: {counts['villages']} villages, "
                f"{counts['msmes']:,} MSMEs, {counts['consultants']:,} student consultants."
            )
            # The overview's equity panel and the territory map read the analytics' results.
            call_command("compute_analytics", stdout=self.stdout)
        else:
            load_mexico_reference()
            self.stdout.write("Reusing the demo programme already in the database (aldea load_demo --reset regenerates it).")
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for username, role, sees in demo_logins():
            self.stdout.write(f"  {username:<13} {role:<11} {sees}")
        if no_serve:
            return
        self.stdout.write(f"\nServing Aldea on http://127.0.0.1:{port}/ (Ctrl+C stops it)\n")
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
