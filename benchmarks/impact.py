"""Benchmark of the impact estimator: Aldea against the reference library (csdid).

    python benchmarks/impact.py --rows 1e5 1e6 1e7 --reference-max 1e6

For each size it generates a staggered panel of MSME-months as Parquet with DuckDB (24
months, ten monthly cohorts plus a never-treated group, 20 MSMEs per village; kept under
``--data`` and reused), then times, each in its own process and ``--repeat`` times
interleaved:

- ``command``: the whole ``aldea impact`` command (read the Parquet file, check and
  balance the panel in DuckDB, estimate, cluster on the village, write JSON);
- ``estimator``: :func:`estimate_panel` alone on the panel already in memory (the
  cells, every aggregation, the clustered standard errors, the pre-trend test, TWFE);
- ``csdid``: the reference, csdid 0.4 (the Python port of R's did) on the same panel read
  with pandas, analytical clustered standard errors, the four aggregations; only up to
  ``--reference-max`` rows, as it grows much faster than linearly.

It prints the median wall time, CPU time and peak memory of each method and the ratio of
csdid to Aldea, and checks that the two agree on the simple ATT and its standard error.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MONTHS, PER_VILLAGE = 24, 20
COHORTS = [0, 0, 0, 0, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23]


def generate(path: Path, rows: int) -> None:
    import duckdb

    units = rows // MONTHS
    path.parent.mkdir(parents=True, exist_ok=True)
    cohorts = ", ".join(map(str, COHORTS))
    duckdb.connect().execute(f"""
        COPY (
          WITH u AS (
            SELECT i AS unit, i // {PER_VILLAGE} AS village,
                   ([{cohorts}])[1 + (hash(i // {PER_VILLAGE}) % {len(COHORTS)})::INT] AS cohort,
                   (hash(i * 7) % 1000) / 100.0 AS level
            FROM range({units}) t(i)
          )
          SELECT 'E' || lpad(unit::VARCHAR, 7, '0') AS msme, m + 1 AS month,
                 cohort AS first_month, 'V' || village AS village,
                 1000 + 20 * level + 5 * m
                   + CASE WHEN cohort > 0 AND m + 1 >= cohort THEN 50 + 5 * (m + 1 - cohort) ELSE 0 END
                   + (hash(unit * 31 + m) % 2000) / 20.0 - 50
                   + (hash(village * 17 + m) % 1000) / 20.0 - 25 AS online_sales
          FROM u, range({MONTHS}) s(m)
        ) TO '{path}' (FORMAT parquet)""")


COLUMNS = {"unit": "msme", "time": "month", "cohort": "first_month", "outcome": "online_sales"}


def child(method: str, path: Path, out: Path) -> None:
    """Run one method in this (child) process; write its figures to ``out``."""
    if method == "command":
        from aldea.analytics.cli import main_impact

        args = ["--input", str(path), "--cluster", "village", "--quiet", "--out", str(out)]
        for key, col in COLUMNS.items():
            args += [f"--{key}", col]
        sys.exit(main_impact(args))
    if method == "estimator":
        from aldea.analytics.impact import estimate_panel, load_panel

        panel = load_panel(str(path), cluster="village", **COLUMNS)
        start = time.perf_counter()
        r = estimate_panel(panel).to_dict()
        r["seconds"] = time.perf_counter() - start
        out.write_text(json.dumps(r))
        return
    import contextlib
    import io
    import warnings

    import pandas as pd
    from csdid.att_gt import ATTgt

    frame = pd.read_parquet(path)
    frame["id"] = frame.msme.str[1:].astype(int)
    start = time.perf_counter()
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        m = ATTgt(yname="online_sales", tname="month", idname="id", gname="first_month",
                  data=frame, clustervar="village").fit(est_method="dr", bstrap=False)
        figures = {}
        for kind in ("simple", "dynamic", "group", "calendar"):
            m.aggte(typec=kind, bstrap=False)
            figures[kind] = {"att": float(m.atte["overall_att"]),
                             "se": float(m.atte["overall_se"])}
    out.write_text(json.dumps({"overall": figures, "seconds": time.perf_counter() - start}))


def measure(method: str, path: Path, keep: Path) -> dict:
    cmd = [sys.executable, __file__, "--child", method, "--data", str(path), "--out", str(keep)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{method} failed:\n{err}")
    result = json.loads(keep.read_text())
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
            "peak_mib": usage.ru_maxrss / 1024, "inner_s": result.get("seconds"),
            "simple": result["overall"]["simple"]}


def median(values):
    values = sorted(values)
    return values[len(values) // 2]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", nargs="+", default=["1e5", "1e6", "1e7"])
    ap.add_argument("--reference-max", default="1e6", help="largest panel csdid is run on")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--data", default=str(Path(tempfile.gettempdir()) / "aldea-bench-impact"))
    ap.add_argument("--child")
    ap.add_argument("--out")
    args = ap.parse_args()
    if args.child:
        child(args.child, Path(args.data), Path(args.out))
        return
    print(f"# {os.cpu_count()} CPUs; load average at start {os.getloadavg()[0]:.1f}; "
          f"{args.repeat} interleaved run(s) per method, medians")
    print(f"{'MSME-months':>12} {'method':<10} {'wall s':>8} {'cpu s':>8} {'inner s':>8} "
          f"{'peak MiB':>9}  simple ATT (SE)")
    for rows_text in args.rows:
        rows = int(float(rows_text))
        path = Path(args.data) / f"panel-{rows}.parquet"
        if not path.exists():
            generate(path, rows)
        methods = ["command", "estimator"]
        if rows <= int(float(args.reference_max)):
            methods.append("csdid")
        runs = {m: [] for m in methods}
        with tempfile.TemporaryDirectory() as tmp:
            for _ in range(args.repeat):
                for m in methods:
                    runs[m].append(measure(m, path, Path(tmp) / f"{m}.json"))
        stats = {}
        for m in methods:
            stats[m] = {k: median([r[k] for r in runs[m]]) for k in ("wall_s", "cpu_s", "peak_mib")}
            inner = [r["inner_s"] for r in runs[m] if r["inner_s"] is not None]
            stats[m]["inner_s"] = median(inner) if inner else None
            s = runs[m][0]["simple"]
            inner_text = f"{stats[m]['inner_s']:8.2f}" if inner else f"{'-':>8}"
            print(f"{rows:>12,} {m:<10} {stats[m]['wall_s']:8.2f} {stats[m]['cpu_s']:8.2f} "
                  f"{inner_text} {stats[m]['peak_mib']:9.0f}  {s['att']:.6f} ({s['se']:.6f})")
        if "csdid" in stats:
            a, b = runs["command"][0]["simple"], runs["csdid"][0]["simple"]
            agree = abs(a["att"] - b["att"]) < 1e-6 and abs(a["se"] - b["se"]) < 1e-6
            print(f"# {rows:,}: csdid/command = {stats['csdid']['wall_s'] / stats['command']['wall_s']:.1f}x "
                  f"wall, csdid/estimator (estimation alone) = "
                  f"{stats['csdid']['inner_s'] / stats['estimator']['inner_s']:.0f}x; "
                  f"simple ATT and SE agree to 1e-6: {agree}")


if __name__ == "__main__":
    main()
