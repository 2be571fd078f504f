"""Benchmark of ``aldea impact --programme`` and of the funder report, against the file form.

    .venv/bin/python benchmarks/impact_programme.py --repeat 30 --report-repeat 5 --data-dir /tmp/aldea-bench-demo

Loads the demo (``--scale N`` MSMEs; 0 for the default shape: 8 villages x 50 participants and
200 comparison MSMEs over 24 months) into a SQLite file under ``--data-dir`` (or
``ALDEA_DATABASE_URL``), exports the panel the platform builds to Parquet, then times in
this process, interleaved, after one warm-up run each:

- ``file``: ``aldea impact --input`` on that Parquet file, clustered on the municipality
  (the baseline: same panel, same estimator, read from a file);
- ``programme``: ``aldea impact --programme``: the panel built from the platform's tables
  in the engine (Ibis), the estimate, the JSON written to a file;
- ``estimator``: ``estimate_panel`` alone on the panel already in memory;
- ``report``: the funder report: its figures (``collect``: the estimates, who benefits, the
  indicators, data quality) and the PDF in Spanish (``render_pdf``: templates, SVG charts,
  WeasyPrint), also timed apart as ``report: collect`` and ``report: pdf``.

It prints p50, p95 (from 30 samples or more) and the minimum of each, and the ratio of each p50 to the ``file`` p50
of the same run (so a busy machine inflates both sides alike).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import api as api_benchmark  # shares the set-up of the API benchmark


def export_panel(programme, path: Path) -> int:
    """Write the platform's panel of ``programme`` as a long Parquet file; return its rows."""
    import numpy as np
    import pandas as pd

    from aldea.reporting.impact.panel import programme_panel

    p = programme_panel(programme).panel
    index = {int(v): i + 1 for i, v in enumerate(p.periods)}
    n_units, n_periods = p.y.shape
    frame = pd.DataFrame({
        "msme": np.repeat(np.asarray(p.units, dtype=str), n_periods),
        "month": np.tile(np.arange(1, n_periods + 1), n_units),
        "first_month": np.repeat([index.get(int(c), 0) for c in p.cohort], n_periods),
        "municipality": np.repeat(p.cluster if p.cluster is not None else np.arange(n_units), n_periods),
        "online_sales": p.y.reshape(-1),
    })
    frame.to_parquet(path, index=False)
    return len(frame)


def methods(programme, parquet: Path, out: Path) -> dict:
    from django.core.management import call_command

    from aldea.analytics.cli import main_impact
    from aldea.analytics.impact import estimate_panel
    from aldea.reporting.impact.panel import programme_panel
    from aldea.workspace.report.content import collect
    from aldea.workspace.report.pdf import render_pdf

    panel = programme_panel(programme).panel
    file_args = ["--input", str(parquet), "--unit", "msme", "--time", "month", "--cohort", "first_month",
                 "--outcome", "online_sales", "--cluster", "municipality", "--quiet", "--out", str(out)]

    def file():
        assert main_impact(file_args) == 0

    def programme_command():
        call_command("impact", "--programme", programme.slug, "--out", str(out), stderr=_Null())

    def report(timings):
        started = time.perf_counter()
        data = collect(programme)
        middle = time.perf_counter()
        pdf = render_pdf(data, "es")
        done = time.perf_counter()
        assert pdf.startswith(b"%PDF")
        timings["report: collect"].append(middle - started)
        timings["report: pdf"].append(done - middle)
        return done - started

    return {"file": file, "programme": programme_command, "estimator": lambda: estimate_panel(panel),
            "report": report}


class _Null:
    def write(self, *_args):
        pass

    def flush(self):
        pass


def measure(runs: dict, repeat: int, report_repeat: int) -> dict:
    timings = {name: [] for name in (*runs, "report: collect", "report: pdf")}
    for name, run in runs.items():  # warm-up: imports, caches, the first connection
        run(timings) if name == "report" else run()
    for key in ("report: collect", "report: pdf"):
        timings[key].clear()
    for i in range(max(repeat, report_repeat)):
        for name, run in runs.items():
            if name == "report":
                if i < report_repeat:
                    timings[name].append(run(timings))
                continue
            if i < repeat:
                started = time.perf_counter()
                run()
                timings[name].append(time.perf_counter() - started)
    return timings


#: Fewer samples than this give no p95 (the report takes most of a minute a run).
MIN_P95_SAMPLES = 30


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=0, help="demo MSMEs (0: default demo shape)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=30, help="samples of each impact method")
    parser.add_argument("--report-repeat", type=int, default=5, help="samples of the report (about a minute each)")
    parser.add_argument("--data-dir", help="keep the database here and reuse it on the next run")
    args = parser.parse_args(argv)
    api_benchmark.setup_django(args.data_dir)
    api_benchmark.load_demo(args.scale, args.seed)
    import os

    from django.db import connection

    from aldea.demo.services import demo_programme

    programme = demo_programme()
    work = Path(tempfile.mkdtemp(prefix="aldea-bench-impact-programme-"))
    rows = export_panel(programme, work / "panel.parquet")
    timings = measure(methods(programme, work / "panel.parquet", work / "out.json"), args.repeat,
                      args.report_repeat)
    base = statistics.median(timings["file"])
    print(f"\n# database: {connection.vendor}; demo scale: {args.scale or 'default'}; {rows:,} MSME-months; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    print(f"{'method':<18} {'n':>3} {'p50 s':>8} {'p95 s':>8} {'min s':>8} {'p50 / file':>11}")
    for name, samples in timings.items():
        median = statistics.median(samples)
        tail = f"{p95(samples):8.3f}" if len(samples) >= MIN_P95_SAMPLES else f"{'-':>8}"
        print(f"{name:<18} {len(samples):>3} {median:8.3f} {tail} {min(samples):8.3f} {median / base:10.1f}x")


if __name__ == "__main__":
    main()
