"""Benchmark of cluster detection: Aldea on DuckDB vs hand-written DuckDB SQL vs pandas.

    python benchmarks/detect.py --rows 1e6 1e7 1e8 --cases bare lines

For each size it generates sales (about 300,000 sellers in 50,000 localities) as Parquet
with DuckDB (kept under ``--data`` and reused), then runs each method in its own process,
``--repeat`` times interleaved (aldea, sql, pandas, aldea, ...), and prints the median wall
time of the whole process, its CPU time (user + system), its peak resident memory and
the ratios (wall and CPU) to the hand-written query. Each size ends with a check that
every method agrees with sql on every locality's shops, turnover and qualification, both
ways (rows of the method missing from sql and rows of sql missing from the method); the
script exits with status 1 if any method disagrees. The village rule is
aliresearch-2014's; all methods read the same Parquet files and write the per-locality
result to Parquet.

Two cases (``--cases``): ``bare`` sales (seller, date, amount, currency) and ``lines``,
the same sales with ``order_id`` and ``line_id``, where every method also rejects a
repeated (order, line), keeping the earliest line. Both cases use the same window rule:
it ends at the last date of the last month holding at least 25% of the median month's
rows.

- ``aldea``: the ``aldea detect`` command (run as ``python -m aldea detect``) with default options:
  reject checks, window, PPP conversion, per-locality output, parents, counts.
- ``aldea-spark``: the same command with ``--engine spark`` (local mode, every core).
- ``sql``: one hand-written DuckDB query of the same village rule (window, duplicate
  check, conversion, shops per locality, the two branches), no reject report.
- ``pandas``: idiomatic vectorised pandas (read, merge, filter, groupby), no row loops.
"""

from __future__ import annotations

import argparse
import os
import shutil
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
    if not (folder / "sales_lines.parquet").exists():
        # The same sales in orders of three lines, then one line in 10,000 sent again with
        # another amount: the repeat comes later in the file and must be rejected.
        line = f"""'S' || lpad((hash(i) % {SELLERS})::VARCHAR, 7, '0') AS seller_id,
                   DATE '2023-01-01' + (hash(i + 7) % 730)::INTEGER AS date,
                   {{amount}} AS amount, 'MXN' AS currency,
                   'O' || lpad((i // 3)::VARCHAR, 9, '0') AS order_id, (i % 3 + 1)::INTEGER AS line_id"""
        amount = "round(50 + (hash(i + 13) % 500000) / 100.0, 2)"
        con.execute(f"""
            COPY (SELECT {line.format(amount=amount)} FROM range({rows}) t(i)
                  UNION ALL
                  SELECT {line.format(amount=amount + ' * 2')} FROM range(7, {rows}, 10000) t(i))
            TO '{folder}/sales_lines.parquet' (FORMAT parquet, ROW_GROUP_SIZE 1000000)""")


HAND_SQL = """
SET memory_limit = '{limit}';
{temp}
COPY (
  WITH raw AS ({source}),
  -- Rows per month straight from the file (as aldea counts them): referencing raw twice
  -- would make DuckDB materialise the whole CTE.
  months AS (SELECT date_trunc('month', date) AS m, count(*) AS n, max(date) AS d
             FROM read_parquet('{file}') GROUP BY 1),
  last AS (SELECT max(d) AS d FROM months WHERE n >= 0.25 * (SELECT median(n) FROM months)),
  sales AS (
    SELECT se.locality_code, s.seller_id, s.amount * {rate} AS cny
    FROM raw s
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


# The bare sales, or the sales with order lines where a repeated (order, line) keeps its
# earliest line (the reader's row number, as aldea does).
BARE_SOURCE = "SELECT seller_id, date, amount, currency FROM read_parquet('{d}/sales.parquet')"
LINES_SOURCE = """SELECT arg_min(seller_id, r) AS seller_id, arg_min(date, r) AS date,
                     arg_min(amount, r) AS amount, arg_min(currency, r) AS currency
              FROM read_parquet('{d}/sales_lines.parquet', file_row_number = true) t(seller_id, date,
                   amount, currency, order_id, line_id, r)
              GROUP BY order_id, line_id"""


def sales_file(folder: Path, case: str) -> Path:
    return folder / ("sales_lines.parquet" if case == "lines" else "sales.parquet")


def aldea_command(folder: Path, out: Path, case: str, engine: str = "duckdb") -> list[str]:
    """``aldea detect`` exactly as a user types it (``python -m aldea`` is the console script)."""
    d = folder
    return [sys.executable, "-m", "aldea", "detect", "--engine", engine,
            "--sales", str(sales_file(folder, case)), "--localities", f"{d}/localities.parquet",
            "--sellers", f"{d}/sellers.parquet", "--profile", "aliresearch-2014",
            "--out", str(out), "--parents-out", str(out.with_suffix(".parents.parquet")),
            "--quiet"]


def run_method(method: str, folder: Path, out: Path, limit: str, case: str, temp: str) -> None:
    d = folder
    if method == "sql":
        import duckdb

        source = (LINES_SOURCE if case == "lines" else BARE_SOURCE).format(d=d)
        temp_sql = f"SET temp_directory = '{temp}';" if temp else ""
        duckdb.connect().execute(HAND_SQL.format(d=d, out=out, rate=RATE_MXN, limit=limit, source=source,
                                                 temp=temp_sql, file=sales_file(folder, case)))
    elif method == "pandas":
        import pandas as pd

        sales = pd.read_parquet(sales_file(folder, case))
        if case == "lines":
            sales = sales.drop_duplicates(["order_id", "line_id"], keep="first")
        sellers = pd.read_parquet(f"{d}/sellers.parquet")
        locs = pd.read_parquet(f"{d}/localities.parquet")
        sales["date"] = pd.to_datetime(sales["date"])
        month = sales["date"].dt.to_period("M")
        per_month = sales.groupby(month)["date"].agg(["size", "max"])
        end = per_month.loc[per_month["size"] >= 0.25 * per_month["size"].median(), "max"].max()
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


def measure(method: str, folder: Path, limit: str, keep: Path, case: str, temp: str) -> dict:
    """Run one method in a fresh process; wall time and peak RSS of that process.

    The wall time is the whole process as a user would see it (interpreter start-up,
    imports, the work, exit), measured by the parent; the peak resident memory comes
    from ``wait4``'s rusage of that one child.
    """
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.parquet"
        env = dict(os.environ, ALDEA_DUCKDB_MEMORY_LIMIT=limit,
                   PYTHONPATH=os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")]))
        if temp:
            env["ALDEA_DUCKDB_TEMP_DIRECTORY"] = temp
        if method == "aldea":
            cmd = aldea_command(folder, out, case)
        elif method == "aldea-spark":
            cmd = aldea_command(folder, out, case, engine="spark")
        else:
            cmd = [sys.executable, __file__, "--child", method, "--dir", str(folder),
                   "--out", str(out), "--memory-limit", limit, "--case", case, "--temp-dir", temp]
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        stderr = proc.stderr.read()
        proc.stderr.close()
        if proc.returncode != 0:
            return {"method": method, "error": stderr.strip().splitlines()[-1:]}
        shutil.copy(out, keep)
        return {"method": method, "wall_s": wall,
                "cpu_s": usage.ru_utime + usage.ru_stime, "peak_mib": usage.ru_maxrss / 1024}


def check_agreement(folder: Path, methods, case: str) -> tuple[str, bool]:
    """Does every method find sql's shops, turnover and qualification, locality by locality?

    Each method is compared with sql both ways: rows of the method that sql lacks, and rows
    of sql that the method lacks. Returns the text to print and whether all agreed.
    """
    import duckdb

    cols = {"aldea": ("locality_code", "active_shops"), "aldea-spark": ("locality_code", "active_shops"),
            "sql": ("code", "shops"), "pandas": ("locality_code", "shops")}
    con = duckdb.connect()
    present = [m for m in methods if (folder / f"out-{case}-{m}.parquet").exists()]
    if "sql" not in present or len(present) < 2:
        return "agreement: not checked (needs sql and another method)", True
    for m in present:
        code, shops = cols[m]
        # aldea also lists localities whose sellers sold only outside the window (0 shops).
        con.execute(f"""CREATE TABLE "{m}" AS SELECT {code} AS code, {shops}::BIGINT AS shops,
                        round(turnover_cny, 2) AS cny, qualifies
                        FROM '{folder}/out-{case}-{m}.parquet' WHERE {shops} > 0""")
    parts, ok = [], True
    for m in present:
        if m == "sql":
            continue
        extra = con.execute(f'SELECT count(*) FROM (SELECT * FROM "{m}" EXCEPT SELECT * FROM sql)').fetchone()[0]
        missing = con.execute(f'SELECT count(*) FROM (SELECT * FROM sql EXCEPT SELECT * FROM "{m}")').fetchone()[0]
        n, q = con.execute(f'SELECT count(*), count(*) FILTER (WHERE qualifies) FROM "{m}"').fetchone()
        ok &= extra == 0 and missing == 0
        parts.append(f"{m}: {n} localities, {q} qualifying, {extra} not in sql, {missing} of sql missing")
    n, q = con.execute("SELECT count(*), count(*) FILTER (WHERE qualifies) FROM sql").fetchone()
    parts.append(f"sql: {n} localities, {q} qualifying")
    return ("agreement " + ("OK" if ok else "MISMATCH") + ": " + "; ".join(parts)), ok


def median(values):
    v = sorted(values)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", nargs="+", default=["1e6", "1e7"], help="sizes, e.g. 1e6 1e7 1e8")
    p.add_argument("--data", default=os.path.join(tempfile.gettempdir(), "aldea-bench"))
    p.add_argument("--methods", nargs="+", default=["aldea", "sql", "pandas"])
    p.add_argument("--repeat", type=int, default=3,
                   help="runs of each method, interleaved; the table shows medians (default 3)")
    p.add_argument("--pandas-max-rows", type=float, default=3e7,
                   help="skip pandas above this size (it needs the data in memory)")
    p.add_argument("--memory-limit", default="3GB", help="DuckDB memory_limit for both DuckDB runs")
    p.add_argument("--temp-dir", default="", help="DuckDB temp_directory (spill files) for both DuckDB runs")
    p.add_argument("--cases", nargs="+", default=["bare", "lines"], choices=["bare", "lines"],
                   help="bare sales, and sales with order_id and line_id (default: both)")
    p.add_argument("--case", help=argparse.SUPPRESS)
    p.add_argument("--child", help=argparse.SUPPRESS)
    p.add_argument("--dir", help=argparse.SUPPRESS)
    p.add_argument("--out", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        run_method(args.child, Path(args.dir), Path(args.out), args.memory_limit, args.case, args.temp_dir)
        return
    print(f"# {os.cpu_count()} CPUs; load average at start {os.getloadavg()[0]:.1f}; "
          f"{args.repeat} interleaved run(s) per method, medians", flush=True)
    print(f"{'rows':>12} {'case':<6} {'method':<12} {'wall s':>8} {'runs':>22} {'cpu s':>7} {'peak MiB':>9}"
          f" {'vs sql':>7} {'pandas/x':>9} {'cpu vs sql':>10}")
    all_agree = True
    for size in args.rows:
        rows = int(float(size))
        folder = Path(args.data) / f"rows-{rows}"
        t0 = time.perf_counter()
        generate(folder, rows)
        print(f"# {rows:,} rows in {folder} (generated or found in {time.perf_counter() - t0:.1f}s)",
              flush=True)
        for case in args.cases:
            all_agree &= bench_case(args, folder, rows, case)
        print(f"# load average now {os.getloadavg()[0]:.1f}", flush=True)
    if not all_agree:
        print("# a method disagreed with sql: see the agreement lines above", flush=True)
        sys.exit(1)


def bench_case(args, folder: Path, rows: int, case: str) -> bool:
    methods = [m for m in args.methods if not (m == "pandas" and rows > args.pandas_max_rows)]
    runs: dict[str, list[dict]] = {m: [] for m in methods}
    errors = {}
    for _ in range(args.repeat):
        for m in methods:
            if m in errors:
                continue
            r = measure(m, folder, args.memory_limit, folder / f"out-{case}-{m}.parquet", case, args.temp_dir)
            if "error" in r:
                errors[m] = r["error"]
            else:
                runs[m].append(r)
    wall = {m: median([r["wall_s"] for r in rs]) for m, rs in runs.items() if rs}
    cpu = {m: median([r["cpu_s"] for r in rs]) for m, rs in runs.items() if rs}
    for m in args.methods:
        if m not in methods:
            print(f"{rows:>12,} {case:<6} {m:<12} skipped (> --pandas-max-rows)", flush=True)
            continue
        if m in errors:
            print(f"{rows:>12,} {case:<6} {m:<12} error: {errors[m]}", flush=True)
            continue
        rs = runs[m]
        peak = max(r["peak_mib"] for r in rs)
        each = " ".join(f"{r['wall_s']:.2f}" for r in rs)
        vs_sql = wall[m] / wall["sql"] if "sql" in wall else float("nan")
        pd_x = wall["pandas"] / wall[m] if "pandas" in wall else float("nan")
        cpu_sql = cpu[m] / cpu["sql"] if "sql" in cpu else float("nan")
        print(f"{rows:>12,} {case:<6} {m:<12} {wall[m]:>8.2f} {each:>22} {cpu[m]:>7.2f} {peak:>9.0f}"
              f" {vs_sql:>7.2f} {pd_x:>9.2f} {cpu_sql:>10.2f}", flush=True)
    if {"aldea", "sql"} <= set(wall):
        line = f"# {rows:,} {case}: aldea/sql = {wall['aldea'] / wall['sql']:.2f}x"
        if "pandas" in wall:
            line += (f", pandas/aldea = {wall['pandas'] / wall['aldea']:.1f}x, "
                     f"pandas/sql = {wall['pandas'] / wall['sql']:.1f}x")
        print(line, flush=True)
    text, ok = check_agreement(folder, [m for m in methods if m not in errors], case)
    print("# " + text, flush=True)
    return ok and not errors


if __name__ == "__main__":
    main()
