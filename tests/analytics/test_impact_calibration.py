"""Calibration: 95% intervals cover a planted effect in about 95% of simulated programmes.

Each programme has 50 villages of 20 MSMEs over 12 months; villages launch in month 4, 6,
8 or 10 or never, and every village has its own shock every month (errors correlated
within villages). The planted effect is constant (1.5 a month from launch), so every
aggregation's target is 1.5. Clustered on the village, the intervals should cover it in
about 95% of 300 programmes; clustered on the MSME they ignore the village shocks and
cover it far less often, which is why the command clusters on a named column.
"""

from __future__ import annotations

import pytest
from impact_builders import staggered

from aldea.analytics.impact import estimate_panel, panel_from_arrays

PROGRAMMES = 300
EFFECT = 1.5


def coverage(cluster_on_village: bool, bootstrap: int = 0, n: int = PROGRAMMES) -> dict:
    hits = {k: 0 for k in ("simple", "dynamic", "group", "calendar")}
    for seed in range(n):
        y, cohort, village, _ = staggered(
            1000 + seed, villages=50, per_village=20, periods=12, cohorts=(0, 4, 6, 8, 10),
            effect=EFFECT, growth=0.0, village_shock=0.6, noise=1.0,
        )
        panel = panel_from_arrays(y, cohort, cluster=village if cluster_on_village else None)
        overall = estimate_panel(panel, bootstrap=bootstrap, seed=seed).to_dict()["overall"]
        for k, e in overall.items():
            hits[k] += e["ci_low"] <= EFFECT <= e["ci_high"]
    return {k: v / n for k, v in hits.items()}


@pytest.mark.slow
def test_clustered_intervals_cover_the_planted_effect_about_95_percent_of_the_time():
    rates = coverage(cluster_on_village=True)
    # 300 programmes: a binomial standard error of 1.3 points around 95%.
    for kind, rate in rates.items():
        assert 0.91 <= rate <= 0.985, (kind, rate)


@pytest.mark.slow
def test_unit_clustered_intervals_undercover_when_villages_share_shocks():
    rates = coverage(cluster_on_village=False, n=100)
    assert rates["simple"] < 0.85


if __name__ == "__main__":  # the figures in docs/benchmarks.md
    import time

    for label, kw in (("village, influence function", {"cluster_on_village": True}),
                      ("village, multiplier bootstrap (999)",
                       {"cluster_on_village": True, "bootstrap": 999}),
                      ("MSME, influence function", {"cluster_on_village": False})):
        start = time.perf_counter()
        print(label, coverage(**kw), f"{time.perf_counter() - start:.1f} s")
