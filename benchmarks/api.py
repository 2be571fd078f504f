"""Latency (p50/p95) and SQL query count of every list endpoint, measured in-process.

Two ways to get data:

* ``--scale N`` loads the demo programme (``aldea.demo.generator.generate_demo``) with N MSMEs,
  or the default demo shape when N is 0; needs the territory reference data shipped with Aldea.
* ``--msmes N`` builds a smaller synthetic programme with the test factories (N MSMEs, each with
  products, a listing, an engagement with a meeting and an action item, an assessment and
  twelve months of outcomes). Used automatically when the demo generator is not installed.

The database is a fresh SQLite file in a temporary folder unless ``--data-dir`` (reused when it
already holds the data) or ``ALDEA_DATABASE_URL`` is given. Requests are made with Django's
test client ``--repeat`` times each (at least 30, so that the p95 is not a maximum) as each of
the roles with the costliest scoping: with the demo, the manager (``coordinadora``, the whole
programme), the village consultant (``consultora``) and a partner narrowed to one village
(``aliada-aldea``, added to the database when missing) and the trainer (``formador``, who oversees
the cohorts she trains); with the factories, the manager.
Lists of the largest tables page by cursor and have no count ("cursor" in the rows column).

Examples::

    .venv/bin/python benchmarks/api.py --msmes 2000
    .venv/bin/python benchmarks/api.py --scale 100000 --data-dir var/bench
    ALDEA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/aldea_bench .venv/bin/python benchmarks/api.py --scale 100000
"""

import argparse
import importlib.util
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIN_REPEAT = 30
NARROWED_PARTNER = "aliada-aldea"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--msmes", type=int, default=None, help="build N MSMEs with the test factories")
    source.add_argument("--scale", type=int, default=None, help="load the demo with N MSMEs (0: default shape)")
    parser.add_argument("--seed", type=int, default=2026, help="demo seed (with --scale)")
    parser.add_argument("--repeat", type=int, default=30, help="requests per endpoint (default and minimum 30)")
    parser.add_argument("--data-dir", help="keep the database here and reuse it on the next run")
    parser.add_argument("--endpoint", action="append", help="only these endpoints (repeatable)")
    parser.add_argument("--as", dest="users", action="append", help="only as these usernames (repeatable)")
    args = parser.parse_args(argv)
    if args.msmes is None and args.scale is None:
        args.msmes = 2000
    if args.repeat < MIN_REPEAT:
        parser.error(f"--repeat must be at least {MIN_REPEAT}: a p95 of fewer requests is their maximum")
    return args


def setup_django(data_dir: str | None):
    if not os.environ.get("ALDEA_DATABASE_URL"):
        os.environ["ALDEA_DATA_DIR"] = data_dir or tempfile.mkdtemp(prefix="aldea-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aldea.settings")
    os.environ.setdefault("ALDEA_DEBUG", "true")  # as the figures were measured: a local run
    sys.path.insert(0, str(ROOT))  # for tests.factories
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def demo_available() -> bool:
    return importlib.util.find_spec("aldea.demo.generator") is not None


def load_demo(scale: int, seed: int) -> str:
    """Load the demo unless it is there already; return the manager's username."""
    from aldea.demo import catalogue
    from aldea.demo.generator import generate_demo
    from aldea.programmes.models import Programme

    if not Programme.objects.filter(slug=catalogue.PROGRAMME_SLUG).exists():
        started = time.perf_counter()
        generate_demo(seed=seed, scale=scale or None, progress=False)
        print(f"demo loaded (scale {scale or 'default'}) in {time.perf_counter() - started:.0f} s")
    return next(username for username, role, *_ in catalogue.DEMO_USERS if role == "manager")


def demo_users() -> list[str]:
    """The demo's manager, village consultant and trainer, and a partner narrowed to the
    consultant's village (a university that hosts one village), created here when missing: the
    roles whose scoping costs most."""
    from aldea.accounts.models import Membership, Person, Role, User
    from aldea.demo import catalogue

    if not User.objects.filter(username=NARROWED_PARTNER).exists():
        consultant = Membership.objects.select_related("village").get(person__user__username="consultora",
                                                                      role=Role.CONSULTANT)
        partner = Membership.objects.get(person__user__username="aliada", role=Role.PARTNER)
        user = User.objects.create_user(username=NARROWED_PARTNER, password=None)
        person = Person.objects.create(user=user, given_name="Aliada", family_name="de una aldea")
        Membership.objects.create(person=person, role=Role.PARTNER, programme_id=partner.programme_id,
                                  village=consultant.village, organisation_id=partner.organisation_id)
    manager = next(username for username, role, *_ in catalogue.DEMO_USERS if role == "manager")
    return [manager, "consultora", NARROWED_PARTNER, "formador"]


def build_with_factories(msmes: int) -> str:
    """A programme of ``msmes`` MSMEs in 8 villages, written with bulk inserts; returns the manager's username."""
    import datetime as dt
    from decimal import Decimal

    from django.db import transaction

    from aldea.accounts.models import Role, User
    from aldea.consulting.models import ActionItem, Engagement, Meeting
    from aldea.diagnostics.models import Assessment
    from aldea.enterprises.models import Enterprise, Product
    from aldea.outcomes.models import Listing, OutcomeRecord
    from aldea.programmes.models import Programme
    from tests import factories as f

    if Programme.objects.filter(slug="bench").exists():
        return "bench-manager"
    started = time.perf_counter()
    with transaction.atomic():
        programme = f.ProgrammeFactory(slug="bench")
        villages = [f.VillageFactory(programme=programme) for _ in range(8)]
        manager = f.UserFactory(username="bench-manager")
        f.MembershipFactory(person=f.PersonFactory(user=manager), role=Role.MANAGER, programme=programme)
        consultants = []
        for village in villages:
            for _ in range(max(2, msmes // 40)):
                person = f.PersonFactory()
                f.MembershipFactory(person=person, role=Role.CONSULTANT, programme=programme, village=village)
                consultants.append(person)
        trainer = f.PersonFactory()
        f.MembershipFactory(person=trainer, role=Role.TRAINER, programme=programme)
        for village in villages:
            cohort = f.CohortFactory(course=f.CourseFactory(programme=programme), village=village, trainers=[trainer])
            for number in range(1, 6):
                f.TrainingSessionFactory(cohort=cohort, number=number)
            for person in consultants[:40]:
                f.EnrolmentFactory(cohort=cohort, person=person)
        channel = f.SalesChannelFactory(code="bench-marketplace")
        instrument = f.InstrumentFactory(code="bench-instrument")
        enterprises = Enterprise.objects.bulk_create(
            Enterprise(
                programme=programme, village=villages[i % 8], code=f"bench-{i}", name=f"MIPYME {i}",
                municipality=villages[i % 8].municipality, sector="crafts", owner=None,
            )
            for i in range(msmes)
        )
        products = Product.objects.bulk_create(
            Product(enterprise=e, sku=f"P{k}", title=f"Producto {k}", price=Decimal("199.00"))
            for e in enterprises for k in range(2)
        )
        Listing.objects.bulk_create(Listing(product=p, channel=channel) for p in products[::2])
        engagements = Engagement.objects.bulk_create(
            Engagement(enterprise=e, consultant=consultants[i % len(consultants)], started_on=dt.date(2024, 3, 1))
            for i, e in enumerate(enterprises)
        )
        Meeting.objects.bulk_create(Meeting(engagement=g, held_on=dt.date(2024, 3, 8)) for g in engagements)
        ActionItem.objects.bulk_create(
            ActionItem(engagement=g, title="Fotografiar productos", due_on=dt.date(2024, 4, 1)) for g in engagements
        )
        Assessment.objects.bulk_create(
            Assessment(enterprise=e, instrument=instrument, assessed_on=dt.date(2024, 3, 1), score=Decimal(42),
                       level="competente")
            for e in enterprises
        )
        OutcomeRecord.objects.bulk_create(
            OutcomeRecord(enterprise=e, month=dt.date(2024, m, 1), total_sales=Decimal(9000), online_sales=Decimal(900))
            for e in enterprises for m in range(1, 13)
        )
    print(f"built {msmes} MSMEs with factories in {time.perf_counter() - started:.0f} s")
    return User.objects.get(username="bench-manager").username


def list_endpoints() -> list[str]:
    from aldea.api_urls import router

    return [prefix for prefix, _viewset, _basename in router.registry]


def measure(username: str, endpoints: list[str], repeat: int):
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from aldea.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    rows = []
    for endpoint in endpoints:
        url = f"/api/{endpoint}/"
        first = client.get(url)  # warm caches, count rows
        if first.status_code != 200:
            rows.append((endpoint, f"HTTP {first.status_code}", None, None, None))
            continue
        count = first.json().get("count", "cursor")
        reset_queries()  # each request clears the log as it starts; keep the capture's offsets right
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries = len(captured)  # read now: the capture slices the live log, which later requests clear
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            reset_queries()
        rows.append((endpoint, count, statistics.median(timings), p95(timings), queries))
    return rows


def p95(timings: list[float]) -> float:
    """The 95th percentile by nearest rank: of 30 requests, the 29th slowest."""
    ordered = sorted(timings)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


def main(argv=None):
    args = parse_args(argv)
    setup_django(args.data_dir)
    from django.db import connection

    if args.scale is not None:
        if not demo_available():
            sys.exit("--scale needs aldea.demo.generator; use --msmes N to build data with the factories")
        load_demo(args.scale, args.seed)
        usernames = demo_users()
    else:
        usernames = [build_with_factories(args.msmes)]
    usernames = args.users or usernames

    endpoints = args.endpoint or list_endpoints()
    print(f"database: {connection.vendor}; {args.repeat} requests per endpoint and user; p95 by nearest rank\n")
    print(f"{'endpoint':<26} {'as':<14} {'rows':>10} {'p50 ms':>9} {'p95 ms':>9} {'queries':>8}")
    for username in usernames:
        for endpoint, count, p50, high, queries in measure(username, endpoints, args.repeat):
            if p50 is None:
                print(f"{endpoint:<26} {username:<14} {count:>10}")
            else:
                print(f"{endpoint:<26} {username:<14} {count:>10} {p50:>9.1f} {high:>9.1f} {queries:>8}")


if __name__ == "__main__":
    main()
