"""Benchmark of cluster detection: Aldea on DuckDB vs hand-written DuckDB SQL vs pandas.

    python benchmarks/detect.py --rows 1e6 1e7 1e8

For each size it generates sales (about 300,000 sellers in 50,000 localities) as Parquet
with DuckDB, then runs each method in its own process and prints wall time, peak
resident memory and the ratios. The village rule is aliresearch-2014's; all three read
the same Parquet files and write the per-locality result to Parquet.

- ``aldea``: ``aldea detect`` (``aldea.analytics.cli.main_detect``) with default options:
  reject checks, window, PPP conversion, per-locality output, parents, counts.
- ``sql``: one hand-written DuckDB query of the same village rule (window, conversion,
  shops per locality, the two branches), no reject report.
- ``pandas``: idiomatic vectorised pandas (read, merge, filter, groupby), no row loops.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SELLERS, LOCALITIES = 300_000, 50_000
RATE_MXN = 3.64756438294305 / 10.789653


def generate(folder: Path, rows: int) -> None:
    import duckdb

    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    if not (folder / "localities.parquet").exists():
        con.execute(f"""
            COPY (SELECT 'L' || lpad(i::VARCHAR, 6, '0') AS code, 'Locality ' || i AS name,
                         'P' || lpad((i // 20)::VARCHAR, 5, '0') AS parent_code,
                         (200 + hash(i) % 5000)::DOUBLE AS households
                  FROM range({LOCALITIES}) t(i))
            TO '{folder}/localities.parquet' (FORMAT parquet)""")
        # Sellers concentrate: a quarter of them in 1% of localities, so some qualify.
        con.execute(f"""
            COPY (SELECT 'S' || lpad(i::VARCHAR, 7, '0') AS seller_id,
                         'L' || lpad((CASE WHEN i % 4 = 0 THEN hash(i) % 500
                                           ELSE hash(i) % {LOCALITIES} END)::VARCHAR, 6, '0')
                           AS locality_code,
                         ['crafts','food','textiles','furniture'][1 + i % 4] AS category
                  FROM range({SELLERS}) t(i))
            TO '{folder}/sellers.parquet' (FORMAT parquet)""")
    if not (folder / "sales.parquet").exists():
        con.execute(f"""
            COPY (SELECT 'S' || lpad((hash(i) % {SELLERS})::VARCHAR, 7, '0') AS seller_id,
                         DATE '2023-01-01' + (hash(i + 7) % 730)::INTEGER AS date,
                         round(50 + (hash(i + 13) % 500000) / 100.0, 2) AS amount,
                         'MXN' AS currency
                  FROM range({rows}) t(i))
            TO '{folder}/sales.parquet' (FORMAT parquet, ROW_GROUP_SIZE 1000000)""")


HAND_SQL = """
SET memory_limit = '{limit}';
COPY (
  WITH last AS (SELECT max(date) AS d FROM read_parquet('{d}/sales.parquet')),
  sales AS (
    SELECT se.locality_code, s.seller_id, s.amount * {rate} AS cny
    FROM read_parquet('{d}/sales.parquet') s
    JOIN read_parquet('{d}/sellers.parquet') se USING (seller_id), last
    WHERE s.amount > 0 AND s.currency = 'MXN'
      AND s.date > last.d - INTERVAL 12 MONTH AND s.date <= last.d
  ),
  per_locality AS (
    SELECT locality_code, count(DISTINCT seller_id) AS shops, sum(cny) AS turnover_cny
    FROM sales GROUP BY locality_code
  )
  SELECT l.code, p.shops, p.turnover_cny, p.shops / l.households AS shop_share,
         p.turnover_cny >= 10000000 AND (p.shops >= 100 OR p.shops / l.households >= 0.1) AS qualifies
  FROM per_locality p JOIN read_parquet('{d}/localities.parquet') l ON l.code = p.locality_code
) TO '{out}' (FORMAT parquet);
"""


def run_method(method: str, folder: Path, out: Path, limit: str) -> None:
    d = folder
    if method == "aldea":
        os.environ["ALDEA_DUCKDB_MEMORY_LIMIT"] = limit
        sys.path.insert(0, str(REPO / "src"))
        from aldea.analytics.cli import main_detect

        code = main_detect([
            "--sales", f"{d}/sales.parquet", "--localities", f"{d}/localities.parquet",
            "--sellers", f"{d}/sellers.parquet", "--profile", "aliresearch-2014",
            "--out", str(out), "--parents-out", str(out.with_suffix(".parents.parquet")),
            "--quiet",
        ])
        assert code == 0
    elif method == "sql":
        import duckdb

        duckdb.connect().execute(HAND_SQL.format(d=d, out=out, rate=RATE_MXN, limit=limit))
    elif method == "pandas":
        import pandas as pd

        sales = pd.read_parquet(f"{d}/sales.parquet")
        sellers = pd.read_parquet(f"{d}/sellers.parquet")
        locs = pd.read_parquet(f"{d}/localities.parquet")
        sales["date"] = pd.to_datetime(sales["date"])
        end = sales["date"].max()
        start = end - pd.DateOffset(months=12)
        sales = sales[(sales["amount"] > 0) & (sales["currency"] == "MXN")
                      & (sales["date"] > start) & (sales["date"] <= end)]
        sales = sales.merge(sellers[["seller_id", "locality_code"]], on="seller_id")
        sales["cny"] = sales["amount"] * RATE_MXN
        per = sales.groupby("locality_code").agg(shops=("seller_id", "nunique"),
                                                 turnover_cny=("cny", "sum")).reset_index()
        per = per.merge(locs, left_on="locality_code", right_on="code")
        per["shop_share"] = per["shops"] / per["households"]
        per["qualifies"] = (per["turnover_cny"] >= 10_000_000) & (
            (per["shops"] >= 100) | (per["shop_share"] >= 0.1))
        per.to_parquet(out)
    else:
        raise SystemExit(f"unknown method {method}")


def measure(method: str, folder: Path, limit: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.parquet"
        cmd = [sys.executable, __file__, "--child", method, "--dir", str(folder),
               "--out", str(out), "--memory-limit", limit]
        res = subprocess.run(cmd, capture_output=True, text=True)
        if res.returncode != 0:
            return {"method": method, "error": res.stderr.strip().splitlines()[-1:]}
        return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", nargs="+", default=["1e6", "1e7"], help="sizes, e.g. 1e6 1e7 1e8")
    p.add_argument("--data", default=os.path.join(tempfile.gettempdir(), "aldea-bench"))
    p.add_argument("--methods", nargs="+", default=["aldea", "sql", "pandas"])
    p.add_argument("--pandas-max-rows", type=float, default=3e7,
                   help="skip pandas above this size (it needs the data in memory)")
    p.add_argument("--memory-limit", default="3GB", help="DuckDB memory_limit for both DuckDB runs")
    p.add_argument("--child", help=argparse.SUPPRESS)
    p.add_argument("--dir", help=argparse.SUPPRESS)
    p.add_argument("--out", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        t0 = time.perf_counter()
        run_method(args.child, Path(args.dir), Path(args.out), args.memory_limit)
        wall = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # MiB on Linux
        print(json.dumps({"method": args.child, "wall_s": round(wall, 2), "peak_mib": round(peak)}))
        return
    print(f"{'rows':>12} {'method':<8} {'wall s':>8} {'peak MiB':>9} {'vs sql':>7} {'pandas/x':>9}")
    for size in args.rows:
        rows = int(float(size))
        folder = Path(args.data) / f"rows-{rows}"
        t0 = time.perf_counter()
        generate(folder, rows)
        print(f"# generated {rows:,} rows in {folder} ({time.perf_counter() - t0:.1f}s)", flush=True)
        results = {}
        for m in args.methods:
            if m == "pandas" and rows > args.pandas_max_rows:
                print(f"{rows:>12,} {m:<8} skipped (> --pandas-max-rows)", flush=True)
                continue
            results[m] = r = measure(m, folder, args.memory_limit)
            if "error" in r:
                print(f"{rows:>12,} {m:<8} error: {r['error']}", flush=True)
                continue
            sql = results.get("sql", {}).get("wall_s")
            pdw = results.get("pandas", {}).get("wall_s")
            print(f"{rows:>12,} {m:<8} {r['wall_s']:>8.2f} {r['peak_mib']:>9}"
                  f" {r['wall_s'] / sql if sql else float('nan'):>7.2f}"
                  f" {pdw / r['wall_s'] if pdw else float('nan'):>9.2f}", flush=True)
        if {"aldea", "sql", "pandas"} <= set(results) and all("error" not in v for v in results.values()):
            a, s, pd_ = (results[k]["wall_s"] for k in ("aldea", "sql", "pandas"))
            print(f"# {rows:,}: aldea/sql = {a / s:.2f}x, pandas/aldea = {pd_ / a:.1f}x, "
                  f"pandas/sql = {pd_ / s:.1f}x", flush=True)


if __name__ == "__main__":
    main()
