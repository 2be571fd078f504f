import io
import subprocess
import sys
import time

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from aldea.demo.catalogue import DEMO_PASSWORD
from aldea.demo.generator import DEFAULT_SEED, generate_demo
from aldea.demo.services import demo_logins, demo_programme
from aldea.ops.static import collect_before_serving
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
            self.stdout.write(_("Loading the demo programme (first run only)…"))
            started = time.monotonic()
            try:
                counts = generate_demo(seed=seed, scale=scale)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(_(
                "Demo loaded in %(seconds).1f s: %(villages)s villages, %(msmes)s MSMEs, "
                "%(consultants)s student consultants."
            ) % {"seconds": time.monotonic() - started, "villages": intcomma(counts["villages"]),
                 "msmes": intcomma(counts["msmes"]), "consultants": intcomma(counts["consultants"])})
            # The overview's equity panel and the territory map read the analytics' results. Its
            # operator's report (English, for logs) stays out of the demo's console, which speaks
            # the installation's language; `aldea compute_analytics` prints it.
            call_command("compute_analytics", stdout=io.StringIO())
            self.stdout.write(_("Figures computed for the overview, the territory map and the impact panel."))
        else:
            load_mexico_reference()
            self.stdout.write(_("Reusing the demo programme already in the database (aldea load_demo --reset regenerates it)."))
        self.stdout.write("\n" + _("Demo logins (password for all: %(password)s):") % {"password": DEMO_PASSWORD})
        logins = demo_logins()
        width = max(len(role) for _username, role, _sees in logins)
        for username, role, sees in logins:
            self.stdout.write(f"  {username:<13} {role:<{width}}  {sees}")
        if no_serve:
            return
        if collect_before_serving():
            # With DEBUG off, pages link the hashed names of collectstatic's manifest, as
            # `aldea serve` does (aldea.ops.static); compressing them takes a minute, once.
            self.stdout.write(_("Preparing the static files (first run only, about a minute)…"))
            self.stdout.flush()
            call_command("collectstatic", interactive=False, verbosity=0)
        url = f"http://127.0.0.1:{port}/"
        self.stdout.write("\n" + _("Serving Aldea on %(url)s (Ctrl+C stops it)") % {"url": url} + "\n")
        # The background work (funder reports, large uploads, the overview's counts) needs a
        # worker, as under `aldea serve`: one runs beside the demo and stops with it.
        worker = subprocess.Popen([sys.executable, "-m", "aldea", "worker"], stdout=subprocess.DEVNULL)
        try:
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=60)
