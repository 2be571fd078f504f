"""Benchmark of bulk imports: `aldea import enterprises` against the database's own insert floor.

    python benchmarks/imports.py --rows 1000000                      # SQLite, a fresh file
    ALDEA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/aldea_bench python benchmarks/imports.py

It migrates an empty database, writes a CSV of ``--rows`` enterprises the way a programme's
spreadsheet would (Spanish headers, semicolons, Windows-1252), then in the same run measures:

- ``import``: ``import_registry("enterprises", file)`` end to end: read, sniff, parse, validate
  every row (codes, references, ranges, duplicates), look up existing keys, insert, in one
  transaction (valid-rows mode);
- ``executemany`` (the SQLite floor): the same rows, already as Python tuples built outside the
  timer, inserted with the driver's own ``executemany`` in batches of the importer's size, in one
  transaction, commit included (as in the import);
- ``copy`` (the PostgreSQL floor): the same tuples through ``COPY ... FROM STDIN``.

The methods run in turn ``--repeat`` times and each is reported by its median.

Rows per second, the ratio to the floor, and the peak resident memory the import added are
printed as one JSON line per measurement and a summary table. The table is emptied between runs.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SECTORS = ["crafts", "textiles", "food", "agriculture", "services"]


def setup_django(data_dir: Path):
    os.environ.setdefault("ALDEA_DATA_DIR", str(data_dir))
    os.environ.setdefault("ALDEA_DATABASE_URL", f"sqlite:///{data_dir / 'bench.sqlite3'}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "aldea.settings"
    os.environ.setdefault("ALDEA_DEBUG", "true")  # as the figures were measured: a local run
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def reference_data():
    import datetime

    from aldea.programmes.models import Programme, Village
    from aldea.territories.models import AdministrativeArea, Country

    empty_table()
    mexico, _ = Country.objects.get_or_create(code="MX", defaults={"name": "México", "currency": "MXN"})
    oaxaca, _ = AdministrativeArea.objects.get_or_create(country=mexico, level="state", code="20", defaults={"name": "Oaxaca"})
    municipality, _ = AdministrativeArea.objects.get_or_create(
        country=mexico, level="municipality", code="20546", defaults={"name": "Teotitlán del Valle", "parent": oaxaca})
    programme, _ = Programme.objects.get_or_create(
        slug="bench", defaults={"name": "Bench", "country": mexico, "currency": "MXN", "starts_on": datetime.date(2024, 1, 1)})
    villages = []
    for i in range(20):
        village, _ = Village.objects.get_or_create(
            slug=f"bench-{i}", defaults={"programme": programme, "name": f"Bench {i}", "municipality": municipality, "speciality": "x"})
        villages.append(village)
    return programme, municipality, villages


def write_csv(path: Path, rows: int):
    with open(path, "w", encoding="cp1252", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(["Código", "Nombre", "Aldea", "Municipio", "Giro", "Empleados", "Año de fundación", "Liderada por mujer"])
        for i in range(rows):
            writer.writerow([f"e{i:07d}", f"Taller número {i} de Teotitlán", f"bench-{i % 20}", "20546",
                             SECTORS[i % 5], str(1 + i % 12), str(1950 + i % 70), "sí" if i % 3 else "no"])


def floor_batches(rows: int, batch: int, programme, municipality, villages):
    """The importer's INSERT and, per batch, the same rows as driver-ready tuples."""
    from django.db import connection
    from django.utils import timezone

    from aldea.enterprises.models import Enterprise

    fields = [f for f in Enterprise._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholder = "?" if connection.vendor == "sqlite" else "%s"
    sql = f"INSERT INTO {connection.ops.quote_name(Enterprise._meta.db_table)} ({columns}) VALUES ({', '.join([placeholder] * len(fields))})"
    empty_list = "[]"
    if connection.vendor == "postgresql":
        from psycopg.types.json import Jsonb

        empty_list = Jsonb([])

    def row(i):
        values = {
            "created_at": now, "updated_at": now, "programme_id": programme.id, "village_id": villages[i % 20].id,
            "group": "participant", "code": f"e{i:07d}", "name": f"Taller número {i} de Teotitlán", "owner_id": None,
            "municipality_id": municipality.id, "locality_id": None, "sector": SECTORS[i % 5], "speciality": "",
            "formal_status": "informal", "employees": 1 + i % 12, "founded_year": 1950 + i % 70,
            "is_women_led": bool(i % 3), "baseline_channels": empty_list, "has_showcase_consent": False,
        }
        return tuple(values[f.attname] for f in fields)

    def batches():
        for start in range(0, rows, batch):
            yield [row(i) for i in range(start, min(rows, start + batch))]

    return sql, [f.column for f in fields], batches


def _timed_transaction(insert_batch, batches):
    """Seconds spent inserting the batches and committing them, not building them.

    The commit is part of the floor as it is of the import: PostgreSQL checks the deferred
    foreign keys of every inserted row then.
    """
    from django.db import transaction

    elapsed = 0.0
    with transaction.atomic():
        for params in batches():
            started = time.perf_counter()
            insert_batch(params)
            elapsed += time.perf_counter() - started
        started = time.perf_counter()  # leaving the block commits
    return elapsed + time.perf_counter() - started


def measure_executemany(sql, batches):
    from django.db import connection

    connection.ensure_connection()
    cursor = connection.connection.cursor()
    return _timed_transaction(lambda params: cursor.executemany(sql, params), batches)


def measure_copy(columns, batches):
    from django.db import connection

    from aldea.enterprises.models import Enterprise

    quote = connection.ops.quote_name
    statement = f"COPY {quote(Enterprise._meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    connection.ensure_connection()
    cursor = connection.connection.cursor()

    def copy_batch(params):
        with cursor.copy(statement) as copy:
            for record in params:
                copy.write_row(record)

    return _timed_transaction(copy_batch, batches)


class RssSampler:
    """Resident memory every 0.2 s on a thread: flat through the run, or growing with the rows?"""

    def __init__(self):
        import threading

        self.samples, self.done = [], threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self):
        while not self.done.wait(0.2):
            with open("/proc/self/status") as status:
                self.samples.extend(int(line.split()[1]) // 1024 for line in status if line.startswith("VmRSS"))

    def stop(self) -> list[int]:
        self.done.set()
        self.thread.join()
        n = len(self.samples)
        return [self.samples[min(n - 1, n * k // 10)] for k in range(1, 11)] if n else []


def manager_scope(programme):
    """The arguments the Data page passes for a programme manager (services.commit_upload)."""
    from aldea.accounts.models import Membership, Person, Role, User

    user, _ = User.objects.get_or_create(username="bench-manager")
    person, _ = Person.objects.get_or_create(user=user, defaults={"given_name": "Bench"})
    Membership.objects.get_or_create(person=person, role=Role.MANAGER, programme=programme)
    return {"user": user}


def empty_table():
    """Empty the enterprises table in one statement (the ORM's delete() would first load every
    row to cascade by hand; nothing else refers to these rows)."""
    from django.db import connection

    from aldea.enterprises.models import Enterprise

    table = connection.ops.quote_name(Enterprise._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table} CASCADE" if connection.vendor == "postgresql" else f"DELETE FROM {table}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each method, in turn; medians are shown (default 3)")
    parser.add_argument("--floors", nargs="+", choices=["executemany", "copy"],
                        help="floors to measure (default: executemany on SQLite, COPY on PostgreSQL, "
                             "whose executemany is several times slower than COPY)")
    parser.add_argument("--data-dir", type=Path, help="where the SQLite file and the CSV go (default: a temporary folder)")
    parser.add_argument("--as", dest="importer", choices=["command", "manager"], default="command",
                        help="import as the command line does (no user: everything in reach) or as a programme "
                             "manager on the Data page (every key and reference checked against their reach)")
    args = parser.parse_args(argv)
    rows = int(args.rows)
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="aldea-bench-imports-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    setup_django(data_dir)

    from django.db import connection

    from aldea.enterprises.models import Enterprise
    from aldea.interop.importers.base import BATCH_SIZE
    from aldea.interop.services import import_registry

    programme, municipality, villages = reference_data()
    scope = manager_scope(programme) if args.importer == "manager" else {}
    path = data_dir / "enterprises.csv"
    write_csv(path, rows)
    sql, columns, batches = floor_batches(rows, BATCH_SIZE, programme, municipality, villages)
    # The methods run in turn, --repeat times (import, executemany, copy, import, ...), and each
    # is reported by its median: on a shared machine the load changes between phases.
    floors = args.floors or (["copy"] if connection.vendor == "postgresql" else ["executemany"])
    if "copy" in floors and connection.vendor != "postgresql":
        parser.error("copy is PostgreSQL's")
    timings = {"import": [], **{floor: [] for floor in floors}}
    # The import's own CPU seconds (this process: parsing, validating, and on SQLite the
    # database too): on a machine shared with other work they move far less than wall time.
    import_cpu = []
    rss_added = 0.0
    for run in range(args.repeat):
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        sampler = RssSampler() if run == 0 else None
        started, cpu_started = time.perf_counter(), time.process_time()
        report = import_registry("enterprises", path, **scope)
        timings["import"].append(time.perf_counter() - started)
        import_cpu.append(time.process_time() - cpu_started)
        rss_added = max(rss_added, (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024)
        if sampler:
            curve = sampler.stop()
        assert report.ok and report.created == rows == Enterprise.objects.count(), report.summary()
        empty_table()
        if "executemany" in timings:
            timings["executemany"].append(measure_executemany(sql, batches))
            assert Enterprise.objects.count() == rows
            empty_table()
        if "copy" in timings:
            timings["copy"].append(measure_copy(columns, batches))
            assert Enterprise.objects.count() == rows
            empty_table()
    results = [{"method": method, "seconds": statistics.median(runs), "runs": [round(r, 2) for r in runs]}
               for method, runs in timings.items()]
    results[0]["peak_rss_added_mb"] = rss_added
    results[0]["cpu_seconds"] = round(statistics.median(import_cpu), 2)
    results[0]["cpu_runs"] = [round(c, 2) for c in import_cpu]
    results[0]["rss_mb_by_tenth_of_the_run"] = curve

    floor = min(r["seconds"] for r in results if r["method"] != "import")
    for result in results:
        result.update(database=connection.vendor, rows=rows, rows_per_second=round(rows / result["seconds"]),
                      share_of_floor=round(floor / result["seconds"], 3) if result["method"] == "import" else None)
        result["seconds"] = round(result["seconds"], 2)
        print(json.dumps(result))
    print(f"\n{connection.vendor}, {rows:,} rows, imported as {'a programme manager' if scope else 'the command line'}")
    print(f"{'method':<12} {'seconds':>8} {'rows/s':>10}  runs")
    for result in results:
        print(f"{result['method']:<12} {result['seconds']:>8} {result['rows_per_second']:>10,}  {result['runs']}")
    imported = results[0]
    print(f"import reaches {imported['share_of_floor']:.0%} of the fastest floor; peak memory added {imported['peak_rss_added_mb']:.0f} MB")
    print(f"import CPU seconds in this process (median): {imported['cpu_seconds']} {imported['cpu_runs']}")
    print(f"resident memory (MB) through the first import, by tenth of its run: {imported['rss_mb_by_tenth_of_the_run']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
