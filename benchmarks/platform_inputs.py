"""Benchmark of the platform's cluster detection inputs: in pandas vs in the database.

    ALDEA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/aldea_demo \\
        python benchmarks/platform_inputs.py --repeat 3

Needs a database with the demo (``aldea load_demo --scale 100000``). Two methods, each in
its own process, interleaved, medians of ``--repeat`` runs (wall time of the whole
process, CPU time, peak resident memory):

- ``pandas``: what ``aldea.territories.clusters.detection_inputs`` did: the ORM loads the
  sellers, every online sale and every municipality into pandas, then detection runs on
  DuckDB.
- ``engine``: ``aldea.analytics.platform.platform_inputs_in``: Ibis expressions on the
  database, so the filters and joins and (on PostgreSQL) the whole detection run there.

Both run ``latam-relative`` over every programme and end by printing the qualifying
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
        from aldea.territories.clusters import detection_inputs

        frames = detection_inputs()
        con = connect("duckdb")
        result = detect(frames["sales"], frames["localities"], frames["sellers"],
                        profile="latam-relative", con=con)
    else:
        from aldea.analytics.platform import platform_inputs_in

        con, inputs = platform_inputs_in(os.environ["ALDEA_DATABASE_URL"])
        result = detect(inputs["sales"], inputs["localities"], inputs["sellers"],
                        profile="latam-relative", con=con)
    loc = result.localities
    rows = loc.filter(loc.qualifies).select("locality_code", "active_shops").to_pyarrow().to_pylist()
    summary = result.summary()
    print(json.dumps({"qualifying": sorted((r["locality_code"], r["active_shops"]) for r in rows),
                      "used": summary["used"], "read": summary["read"]}))


def measure(method: str) -> dict:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")]))
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
