"""Django-free command-line entry points for ``aldea detect`` and ``aldea inequality``.

The ``aldea`` console script calls :func:`main_detect` and :func:`main_inequality` with
the arguments that follow the sub-command. Both return a process exit code: 0 on
success, 2 on bad input (missing columns, unknown profile, unreadable file).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

__all__ = ["main_detect", "main_impact", "main_inequality"]


class Progress:
    """Stage-by-stage progress on stderr, with the time each stage took."""

    def __init__(self, enabled: bool = True, stream=None):
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.start = self.last = time.perf_counter()

    def __call__(self, message: str) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        print(f"[{now - self.start:7.1f}s] {message}", file=self.stream, flush=True)
        self.last = now


def _write(table, path: str) -> None:
    """Write an Ibis table to one CSV or Parquet file (by extension).

    On DuckDB the engine writes the file itself (``COPY``), so rows never pass through
    Python; other engines (Spark writes directories) go through Arrow.
    """
    p = Path(path)
    if p.parent and not p.parent.exists():
        p.parent.mkdir(parents=True, exist_ok=True)
    parquet = p.suffix.lower() in (".parquet", ".pq")
    con = table._find_backend()
    if con.name == "duckdb":
        if parquet:
            con.to_parquet(table, p)
        else:
            con.to_csv(table, p, header=True)
        return
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    arrow = table.to_pyarrow()
    if parquet:
        pq.write_table(arrow, p)
    else:
        pacsv.write_csv(arrow, p)


def _close(con) -> None:
    """Close the engine the command opened (DuckDB removes its spill files then)."""
    if con is not None:
        con.disconnect()


def _engine_of(*sources) -> str:
    """The PostgreSQL database holding every input, or ``"duckdb"``.

    Detection then runs inside PostgreSQL instead of copying its tables out. SQLite
    sources are read into DuckDB (SQLite's SQL lacks what detection needs).
    """
    bases = {str(s).partition("#")[0] for s in sources if s is not None}
    if len(bases) == 1:
        base = bases.pop()
        if base.startswith(("postgres://", "postgresql://")):
            return base
    return "duckdb"


def _detect_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="aldea detect",
        description="Find digital villages (Taobao-village criteria or the latam-relative "
        "adaptation) in sales data.",
    )
    p.add_argument("--sales", required=True, help="sales: CSV, Parquet or URL#table")
    p.add_argument("--localities", required=True, help="localities: CSV, Parquet or URL#table")
    p.add_argument("--sellers", help="sellers: CSV, Parquet or URL#table")
    p.add_argument("--profile", default="aliresearch-2019",
                   help="shipped profile name or a TOML file (default: aliresearch-2019)")
    p.add_argument("--engine", help="duckdb, spark, spark://HOST:PORT or a database URL "
                   "(default: the inputs' PostgreSQL when every input is a table of one PostgreSQL "
                   "database, so the work runs there; else duckdb)")
    p.add_argument("--window-end", help="last day of the window, YYYY-MM-DD (default: the last date "
                   "of the last month with a substantial share of a typical month's rows)")
    p.add_argument("--window-months", type=int, default=12, help="window length in months (default 12)")
    p.add_argument("--rates", help="CSV with currency,factor_to_cny overriding the PPP table")
    p.add_argument("--out", required=True, help="output per locality (.csv or .parquet)")
    p.add_argument("--parents-out", help="output per parent (township) (.csv or .parquet)")
    p.add_argument("--rejects", help="rejected input lines with reasons (.csv or .parquet)")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.add_argument("--json", action="store_true", help="print the counts as JSON")
    return p


def main_detect(argv: list[str]) -> int:
    args = _detect_parser().parse_args(argv)
    progress = Progress(not args.quiet)
    from . import connect, detect
    from .detect import DuplicateKeyError, MissingColumnsError, _fetch
    from .engines import EngineError
    from .profiles import ProfileError

    con = result = None
    try:
        engine = args.engine or _engine_of(args.sales, args.localities, args.sellers)
        progress(f"connecting to {engine}")
        con = connect(engine)
        if args.quiet and con.name == "duckdb":
            con.raw_sql("SET enable_progress_bar = false")
        progress("reading inputs and checking columns")
        result = detect(
            args.sales, args.localities, args.sellers, profile=args.profile,
            window_end=args.window_end, window_months=args.window_months,
            rates=args.rates, con=con, materialize=True,
        )
        progress(f"window ({result.window_start}, {result.window_end}]; "
                 "aggregating sales per seller")
        summary = result.summary()
        progress(f"writing {args.out}")
        _write(result.localities, args.out)
        loc = result.localities
        n = loc.aggregate(n=loc.count(), q=loc.count(where=loc.qualifies),
                          h=loc.count(where=loc.is_hub))
        if args.parents_out:
            n = n.cross_join(result.parents.aggregate(p=result.parents.count()))
        figures = _fetch(n)[0]
        summary["localities"], summary["qualifying"] = figures["n"], int(figures["q"] or 0)
        summary["hubs"] = int(figures["h"] or 0)
        if args.parents_out:
            progress(f"writing {args.parents_out}")
            summary["parents"] = figures["p"]
            _write(result.parents, args.parents_out)
        if args.rejects:
            progress(f"writing {args.rejects}")
            # With nothing rejected there is no need to rescan the sales for lines.
            rejects = result.rejects if summary["rejected"] else result.rejects.limit(0)
            _write(rejects, args.rejects)
        progress("done")
    except (MissingColumnsError, DuplicateKeyError, ProfileError, EngineError,
            FileNotFoundError, ValueError) as exc:
        print(f"aldea detect: error: {exc}", file=sys.stderr)
        return 2
    finally:
        if result is not None:
            result.release()
        _close(con)
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print(f"read {summary['read']} rows, used {summary['used']} "
              f"({summary['used_in_window']} in the window), rejected {summary['rejected']}")
        for reason, n in summary["rejected_by_reason"].items():
            print(f"  rejected {reason}: {n}")
        print(f"window: ({summary['window_start_exclusive']}, {summary['window_end']}]")
        print(f"localities: {summary['localities']}, qualifying: {summary['qualifying']} "
              f"(profile {summary['profile']})")
        if result.profile.method == "over-representation":
            print(f"hubs (over-represented, above the profile's scale; not villages): {summary['hubs']}")
        if "parents" in summary:
            print(f"parents: {summary['parents']}")
        for note in summary["notes"]:
            print(f"note: {note}")
        if summary["rejected"] and not args.rejects:
            print("note: pass --rejects FILE to list the rejected lines")
        for warning in summary["warnings"]:
            print(f"warning: {warning}")
    return 0


def _inequality_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="aldea inequality",
        description="Gini, Theil (with decomposition), Atkinson, Palma, Lorenz and the "
        "concentration index of one column, computed in the engine.",
    )
    p.add_argument("--input", required=True, help="CSV, Parquet or URL#table")
    p.add_argument("--value", required=True, help="column to measure")
    p.add_argument("--weight", help="column of weights (positive)")
    p.add_argument("--group", help="column to decompose Theil T and L by")
    p.add_argument("--rank-by", help="column to rank by for the concentration index")
    p.add_argument("--engine", default="duckdb", help="duckdb, spark or spark://HOST:PORT")
    p.add_argument("--format", choices=("json", "table"), default="json")
    p.add_argument("--lorenz-points", type=int, default=20, help="Lorenz intervals (default 20)")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    return p


def _numeric(t, name, con):
    from .engines import strip_text

    if name is None or t[name].type().is_numeric():
        return t
    return t.mutate(**{name: strip_text(t[name].cast("string"), con).try_cast("float64")})


def main_inequality(argv: list[str]) -> int:
    args = _inequality_parser().parse_args(argv)
    progress = Progress(not args.quiet)
    from . import connect, inequality_summary, read_table
    from .engines import EngineError

    con = None
    try:
        progress(f"connecting to {args.engine}")
        con = connect(args.engine)
        t = read_table(con, args.input, with_line=False)
        missing = [c for c in (args.value, args.weight, args.group, args.rank_by)
                   if c and c not in t.columns]
        if missing:
            print(f"aldea inequality: error: {args.input} has no column(s): {', '.join(missing)}",
                  file=sys.stderr)
            return 2
        for name in (args.value, args.weight):
            t = _numeric(t, name, con)
        if args.rank_by and t[args.rank_by].type().is_string():
            t = _numeric(t, args.rank_by, con)
        result = inequality_summary(
            t, args.value, weight=args.weight, group=args.group, rank_by=args.rank_by,
            lorenz_points=args.lorenz_points, progress=progress,
        )
        progress("done")
    except (EngineError, FileNotFoundError, ValueError, KeyError) as exc:
        print(f"aldea inequality: error: {exc}", file=sys.stderr)
        return 2
    finally:
        _close(con)
    if args.format == "json":
        print(json.dumps(result, indent=2))
    else:
        print(_as_table(result))
    return 0


def _impact_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="aldea impact",
        description="Staggered-adoption impact estimates (Callaway & Sant'Anna 2021, with the "
        "defaults of the R package did): group-time ATTs, their aggregations, a pre-trend test "
        "and two-way fixed effects beside them. See docs/data-contracts.md.",
    )
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--input", metavar="PANEL",
                        help="panel, one row per unit and period: CSV, Parquet or URL#table")
    source.add_argument("--programme", metavar="SLUG",
                        help="a programme of the platform (needs the platform's database)")
    p.add_argument("--unit", metavar="UNIT_COL", help="column identifying the unit (MSME)")
    p.add_argument("--time", metavar="TIME_COL", help="column of the period: whole number or month")
    p.add_argument("--cohort", metavar="COHORT_COL",
                   help="column of the first treated period; 0 or empty = never treated")
    p.add_argument("--outcome", metavar="Y_COL",
                   help="outcome column (with --programme: online_sales, total_sales, orders, jobs)")
    p.add_argument("--control", choices=("never", "not-yet"), default="never",
                   help="comparison units: never treated (default) or also not yet treated")
    p.add_argument("--cluster", metavar="COL", help="cluster standard errors on COL (default: the unit)")
    p.add_argument("--covariates", metavar="C1,C2",
                   help="covariates (base-period values) for the doubly robust estimator")
    p.add_argument("--anticipation", metavar="K", type=int, default=0,
                   help="periods of anticipation before treatment (default 0)")
    p.add_argument("--level", type=float, default=0.95, help="confidence level (default 0.95)")
    p.add_argument("--format", choices=("json", "table"), default="json")
    p.add_argument("--out", metavar="FILE", help="write the result to FILE instead of stdout")
    p.add_argument("--bootstrap", metavar="B", type=int, default=0,
                   help="multiplier-bootstrap draws for the standard errors (default 0: the "
                   "analytical influence-function standard errors)")
    p.add_argument("--seed", type=int, default=None, help="seed of the bootstrap")
    p.add_argument("--min-clusters", type=int, default=None,
                   help="fewest clusters accepted with --cluster (default 20)")
    p.add_argument("--engine", default="duckdb", help="duckdb, spark or spark://HOST:PORT")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    return p


def main_impact(argv: list[str]) -> int:
    parser = _impact_parser()
    args = parser.parse_args(argv)
    if args.programme:
        # The platform's form lives on the Django side (the `aldea` script sends --programme
        # to the management command `impact`); this entry point is Django-free.
        print("aldea impact: error: --programme reads the platform's database: run it as "
              "`aldea impact --programme SLUG`, which starts the platform, or export the "
              "programme's panel and pass it with --input", file=sys.stderr)
        return 2
    needed = [f"--{n}" for n in ("unit", "time", "cohort", "outcome") if not getattr(args, n)]
    if needed:
        parser.error(f"--input needs {', '.join(needed)}")
    if not 0 < args.level < 1:
        parser.error(f"--level must be between 0 and 1 (got {args.level})")
    if args.anticipation < 0 or args.bootstrap < 0:
        parser.error("--anticipation and --bootstrap cannot be negative")
    progress = Progress(not args.quiet)
    from . import connect
    from .engines import EngineError
    from .impact import DEFAULT_SEED, ImpactInputError, estimate_impact
    from .impact.estimate import MIN_CLUSTERS

    covariates = [c.strip() for c in (args.covariates or "").split(",") if c.strip()]
    con = None
    try:
        progress(f"connecting to {args.engine}")
        con = connect(args.engine)
        if args.quiet and con.name == "duckdb":
            con.raw_sql("SET enable_progress_bar = false")
        progress(f"reading and checking {args.input}; estimating")
        result = estimate_impact(
            args.input, unit=args.unit, time=args.time, cohort=args.cohort,
            outcome=args.outcome, control=args.control, cluster=args.cluster,
            covariates=covariates, anticipation=args.anticipation, level=args.level,
            bootstrap=args.bootstrap,
            seed=DEFAULT_SEED if args.seed is None else args.seed,
            min_clusters=MIN_CLUSTERS if args.min_clusters is None else args.min_clusters,
            con=con,
        )
        text = (json.dumps(result.to_dict(), indent=2) if args.format == "json"
                else result.to_table())
        progress("done")
    except (ImpactInputError, EngineError, FileNotFoundError, ValueError) as exc:
        print(f"aldea impact: error: {exc}", file=sys.stderr)
        return 2
    finally:
        _close(con)
    if args.out:
        out = Path(args.out)
        if out.parent and not out.parent.exists():
            out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n", encoding="utf-8")
        progress(f"wrote {out}")
    else:
        print(text)
    return 0


def _fmt(v) -> str:
    return "-" if v is None else (f"{v:.6f}" if isinstance(v, float) else str(v))


def _as_table(r: dict) -> str:
    lines = [f"{'measure':<22} value"]
    rows = [("n", r["n"]), ("gini", r["gini"]), ("theil_t", r["theil_t"]), ("theil_l", r["theil_l"])]
    rows += [(f"atkinson({e})", v) for e, v in r["atkinson"].items()]
    rows += [("palma", r["palma"]), ("top10_share", r["top10_share"])]
    if "concentration_index" in r:
        rows.append((f"concentration_index({r['rank_by']})", r["concentration_index"]))
    lines += [f"{k:<22} {_fmt(v)}" for k, v in rows]
    if "decomposition" in r:
        for key in ("theil_t", "theil_l"):
            d = r["decomposition"][key]
            lines.append(f"{key} between {_fmt(d['between'])}  within {_fmt(d['within'])}")
            for g, fig in d["groups"].items():
                lines.append(f"  {g:<20} index {_fmt(fig['index'])}  "
                             f"within contribution {_fmt(fig['within_contribution'])}")
    excluded = {k: v for k, v in r["excluded"].items() if v}
    if excluded:
        lines.append("left out: " + ", ".join(f"{k} {v}" for k, v in excluded.items()))
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    cmd, *rest = sys.argv[1:] or ["--help"]
    mains = {"detect": main_detect, "impact": main_impact}
    sys.exit(mains.get(cmd, main_inequality)(rest))
