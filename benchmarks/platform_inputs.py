"""Benchmark of the platform's cluster detection inputs: in pandas vs in the database.

    ALDEA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/aldea_demo \\
        python benchmarks/platform_inputs.py --repeat 3

Needs a database with the demo (``aldea load_demo --scale 100000``). Two methods, each in
its own process, interleaved, medians of ``--repeat`` runs (wall time of the whole
process, CPU time, peak resident memory):

- ``pandas``: what the platform's task did before issue 10 (``detection_inputs``, kept here
  as the baseline): the ORM loads the sellers, every online sale and every municipality of
  Mexico into pandas, then detection runs on DuckDB.
- ``engine``: what ``aldea.reporting.clusters.classify_municipalities`` does now, through
  ``aldea.analytics.platform.platform_inputs_in(url, country_code="MX")``: Ibis expressions
  on the database, so the filters and joins and (on PostgreSQL) the whole detection run there.

Both run ``latam-relative`` over every Mexican programme and end by printing the qualifying
localities; the script checks they agree and exits 1 if not.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def child(method: str) -> None:
    from aldea.analytics import connect, detect

    if method == "pandas":
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aldea.settings")
        django.setup()
        frames = detection_inputs()
        con = connect("duckdb")
        result = detect(frames["sales"], frames["localities"], frames["sellers"],
                        profile="latam-relative", con=con)
    else:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aldea.settings")
        django.setup()
        from aldea.analytics.platform import platform_inputs_in
        from aldea.core.databases import database_url

        con, inputs = platform_inputs_in(database_url(), country_code="MX")
        result = detect(inputs["sales"], inputs["localities"], inputs["sellers"],
                        profile="latam-relative", con=con, materialize=True)
    loc = result.localities
    rows = loc.filter(loc.qualifies).select("locality_code", "active_shops").to_pyarrow().to_pylist()
    summary = result.summary()
    print(json.dumps({"qualifying": sorted((r["locality_code"], r["active_shops"]) for r in rows),
                      "used": summary["used"], "read": summary["read"]}))


def detection_inputs() -> dict:
    """The platform's loader before issue 10: sales, sellers and localities as pandas frames."""
    import pandas as pd

    from aldea.enterprises.models import Enterprise
    from aldea.outcomes.models import OutcomeRecord
    from aldea.territories.models import AdministrativeArea

    enterprises = Enterprise.objects.filter(programme__country__code="MX")
    sellers = pd.DataFrame.from_records(
        enterprises.values_list("code", "municipality__code", "sector"),
        columns=["seller_id", "locality_code", "category"])
    sales = pd.DataFrame.from_records(
        OutcomeRecord.objects.filter(enterprise__in=enterprises, online_sales__gt=0)
        .values_list("enterprise__code", "month", "online_sales", "currency")
        .order_by("enterprise__code", "month"),
        columns=["seller_id", "date", "amount", "currency"])
    sales["amount"] = sales["amount"].astype("float64")
    sales["date"] = pd.to_datetime(sales["date"])
    localities = pd.DataFrame.from_records(
        AdministrativeArea.objects.filter(level=AdministrativeArea.Level.MUNICIPALITY, country__code="MX")
        .values_list("code", "name", "parent__code", "households", "population"),
        columns=["code", "name", "parent_code", "households", "population"])
    return {"sales": sales, "sellers": sellers, "localities": localities}


def measure(method: str) -> dict:
    # A local measurement, not a deployment: no secret key to configure.
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")]))
    env.setdefault("ALDEA_DEBUG", "true")
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, "--child", method], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    out, err = proc.stdout.read(), proc.stderr.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{method} failed: {err.strip().splitlines()[-1:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak": usage.ru_maxrss / 1024,
            "answer": json.loads(out.strip().splitlines()[-1])}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--child", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        child(args.child)
        return
    url = os.environ.get("ALDEA_DATABASE_URL", "")
    print(f"# database {url.rsplit('/', 1)[-1] or 'sqlite (default)'}; load average {os.getloadavg()[0]:.1f}")
    runs = {"pandas": [], "engine": []}
    for _ in range(args.repeat):
        for m, rs in runs.items():
            rs.append(measure(m))
    for m, rs in runs.items():
        walls = sorted(r["wall"] for r in rs)
        cpus = sorted(r["cpu"] for r in rs)
        a = rs[0]["answer"]
        print(f"{m:<7} wall {walls[len(walls) // 2]:7.2f} s (runs {' '.join(f'{w:.2f}' for w in walls)})"
              f"  cpu {cpus[len(cpus) // 2]:7.2f} s  peak {max(r['peak'] for r in rs):6.0f} MiB"
              f"  read {a['read']:,} used {a['used']:,} qualifying {len(a['qualifying'])}")
    same = runs["pandas"][0]["answer"] == runs["engine"][0]["answer"]
    print("# agreement " + ("OK" if same else "MISMATCH"))
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
