"""Generated staggered-adoption panels for the impact tests and benchmarks."""

from __future__ import annotations

import numpy as np
import pandas as pd


def staggered(
    seed: int = 0,
    *,
    villages: int = 40,
    per_village: int = 10,
    periods: int = 8,
    cohorts=(0, 4, 5, 7),
    effect: float = 1.0,
    growth: float = 0.3,
    village_shock: float = 0.5,
    noise: float = 1.0,
    covariate_trend: float = 0.0,
):
    """A panel where villages adopt at different periods (cohort drawn per village).

    The effect in period t for a unit treated from g is ``effect + growth * (t - g)``;
    each village has its own level and its own shock every period (so errors are
    correlated within a village), and each unit a level of its own. With
    ``covariate_trend`` the outcome trends with a unit covariate ``x`` that also makes
    treatment more likely, so only the covariate-adjusted estimator recovers the effect.
    Returns ``(y, cohort, village, x)`` as arrays (units x periods for y).
    """
    rng = np.random.default_rng(seed)
    village_cohort = rng.choice(np.asarray(cohorts), size=villages)
    village = np.repeat(np.arange(villages), per_village)
    cohort = village_cohort[village]
    n = len(village)
    x = rng.normal(size=n) + 0.5 * (cohort > 0)
    t = np.arange(1, periods + 1)
    exposure = np.where((cohort[:, None] > 0) & (t >= cohort[:, None]),
                        effect + growth * (t - cohort[:, None]), 0.0)
    shocks = rng.normal(scale=village_shock, size=(villages, periods))[village]
    y = (rng.normal(size=(n, 1)) + rng.normal(size=(villages, 1))[village]
         + 0.2 * t + covariate_trend * x[:, None] * t / periods
         + shocks + exposure + rng.normal(scale=noise, size=(n, periods)))
    return y, cohort, village, x


def long_frame(y, cohort, village=None, x=None, *, months: bool = False) -> pd.DataFrame:
    """The panel as one row per unit and period (as a file would hold it)."""
    n, periods = y.shape
    t = np.tile(np.arange(1, periods + 1), n)
    frame = pd.DataFrame({
        "msme": np.repeat([f"E{i:05d}" for i in range(n)], periods),
        "period": t,
        "first_treated": np.repeat(cohort, periods),
        "sales": y.ravel(),
    })
    if months:
        frame["period"] = [f"2024-{m:02d}" if m <= 12 else f"2025-{m - 12:02d}" for m in t]
        frame["first_treated"] = [
            "" if g == 0 else (f"2024-{g:02d}" if g <= 12 else f"2025-{g - 12:02d}")
            for g in frame["first_treated"]
        ]
    if village is not None:
        frame["village"] = np.repeat([f"V{v:03d}" for v in village], periods)
    if x is not None:
        frame["x"] = np.repeat(x, periods)
    return frame
