"""Latency (p50/p95) and SQL query count of every main page, per role, measured in-process.

Loads the demo programme (``--scale N`` MSMEs; 0 for the default shape) into a SQLite file (or
``ALDEA_DATABASE_URL``), then requests each page ``--repeat`` times with Django's test client as
the demo user whose home it is, and as the roles with the costliest scoping: the village
consultant (``consultora``) and a partner narrowed to that village (``aliada-aldea``, added
when missing; see benchmarks/api.py). ``--repeat`` is at least 30, so that the p95 is not the
maximum. Queries are counted on one extra request.

Example::

    .venv/bin/python benchmarks/pages.py --scale 100000 --data-dir /tmp/aldea-big
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import api as api_benchmark  # shares the set-up of the API benchmark


def pages_to_measure() -> list[tuple[str, str | None, str]]:
    """(page name, demo username or None for the public, URL), found in the demo data."""
    from aldea.consulting.models import Engagement
    from aldea.demo import catalogue
    from aldea.enterprises.models import Enterprise
    from aldea.training.models import Certificate, Cohort

    village = "teotitlan-del-valle"
    cohort = Cohort.objects.filter(village__slug=village, trainers__user__username="formador").order_by("code").first()
    engagement = Engagement.objects.filter(consultant__user__username="consultora").order_by("pk").first()
    own_msme = Enterprise.objects.filter(owner__user__username="artesana").order_by("code").first()
    certificate = Certificate.objects.order_by("code").first()
    pages = [
        ("overview", "coordinadora", "/programme/"),
        ("villages", "coordinadora", "/programme/villages/"),
        ("village", "coordinadora", f"/programme/village/{village}/"),
        ("territory (country)", "coordinadora", "/territory/"),
        ("territory (Oaxaca)", "coordinadora", "/territory/?state=20"),
        ("municipality card", "coordinadora", "/territory/municipality/20546/card/"),
        ("partners", "coordinadora", "/partners/"),
        ("msme list (manager)", "coordinadora", "/msmes/"),
        ("overview (partner)", "aliada", "/programme/"),
        ("overview (village partner)", api_benchmark.NARROWED_PARTNER, "/programme/"),
        ("villages (village partner)", api_benchmark.NARROWED_PARTNER, "/programme/villages/"),
        ("msme list (village partner)", api_benchmark.NARROWED_PARTNER, "/msmes/"),
        ("courses (trainer)", "formador", "/training/"),
        ("consultancy board", "consultora", "/consultancy/"),
        ("consultancy board (manager)", "coordinadora", "/consultancy/"),
        ("consultant's to-do", "consultora", "/consultancy/mine/"),
        ("people", "coordinadora", f"/programme/{catalogue.PROGRAMME_SLUG}/people/"),
        ("village (village partner)", api_benchmark.NARROWED_PARTNER, f"/programme/village/{village}/"),
        ("msme list (consultant)", "consultora", "/msmes/"),
        ("showcase", None, f"/aldeas/{village}/"),
    ]
    if cohort:
        pages += [
            ("cohort", "formador", f"/training/cohort/{cohort.code}/"),
            ("attendance", "formador", f"/training/cohort/{cohort.code}/session/1/attendance/"),
        ]
    if engagement:
        pages.append(("engagement", "consultora", f"/consultancy/engagement/{engagement.pk}/"))
        pages.append(("diagnostic form", "consultora", f"/diagnostics/msme/{engagement.enterprise.code}/new/"))
    if own_msme:
        pages.append(("msme profile (owner)", "artesana", f"/msmes/{own_msme.code}/"))
    if certificate:
        pages.append(("verify certificate", None, f"/verify/{certificate.code}/"))
    return pages


def measure(pages, repeat: int):
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from aldea.accounts.models import User

    clients = {}
    rows = []
    for name, username, url in pages:
        if username not in clients:
            clients[username] = Client(HTTP_ACCEPT_LANGUAGE="es-MX")
            if username:
                clients[username].force_login(User.objects.get(username=username))
        client = clients[username]
        started = time.perf_counter()
        first = client.get(url)
        first_ms = (time.perf_counter() - started) * 1000
        if first.status_code != 200:
            rows.append((name, username or "public", f"HTTP {first.status_code}", None, None, None))
            continue
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries = len(captured)
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            reset_queries()
        rows.append((name, username or "public", first_ms, statistics.median(timings), api_benchmark.p95(timings),
                     queries))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=0, help="demo MSMEs (0: default demo shape)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=api_benchmark.MIN_REPEAT, help="requests a page (at least 30)")
    parser.add_argument("--no-analytics", action="store_true",
                        help="do not run compute_analytics first (the overview then has no equity or impact panel)")
    parser.add_argument("--page", action="append", help="only the pages whose name contains this (repeatable)")
    parser.add_argument("--skip", action="append", help="leave out the pages whose name contains this (repeatable)")
    parser.add_argument("--data-dir", help="keep the database here and reuse it on the next run")
    args = parser.parse_args(argv)
    if args.repeat < api_benchmark.MIN_REPEAT:
        parser.error(f"--repeat must be at least {api_benchmark.MIN_REPEAT}: a p95 of fewer requests is their maximum")
    api_benchmark.setup_django(args.data_dir)
    api_benchmark.load_demo(args.scale, args.seed)
    api_benchmark.demo_users()
    from django.core.management import call_command

    from aldea.programmes.models import EquityReport

    if not EquityReport.objects.exists() and not args.no_analytics:
        call_command("compute_analytics")
    from django.db import connection

    pages = [p for p in pages_to_measure() if not args.page or any(part in p[0] for part in args.page)]
    pages = [p for p in pages if not any(part in p[0] for part in args.skip or [])]
    rows = measure(pages, args.repeat)
    print(f"\ndatabase: {connection.vendor}; demo scale: {args.scale or 'default'}; {args.repeat} requests a page;"
          " p95 by nearest rank")
    # "first": the first request of the session, not in the p50/p95 (for an overview of a large
    # view that has no snapshot yet, the one that counts it: decision O17).
    print(f"{'page':<28} {'as':<13} {'first ms':>9} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for name, who, first_ms, p50, p95, queries in rows:
        if isinstance(first_ms, str):
            print(f"{name:<28} {who:<13} {first_ms:>9}")
        else:
            print(f"{name:<28} {who:<13} {first_ms:9.1f} {p50:8.1f} {p95:8.1f} {queries:8d}")


if __name__ == "__main__":
    main()
