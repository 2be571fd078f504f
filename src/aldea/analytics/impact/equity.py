"""Who benefits: subgroup effects, the change in inequality, and where the net gains go.

* :func:`subgroup_effects`: the impact estimate within each value of a characteristic of
  the unit (each subgroup's participants against the same subgroup's comparison units),
  with intervals, and the Wald test that the subgroups' effects are equal (covariances
  from the shared clusters).
* :func:`inequality_change`: Gini, Theil T and Palma of the outcome (each unit's mean
  over a window) before and after, among participants and among the comparison group;
  the programme's change is the participants' change less the comparison group's.
  Intervals from a cluster bootstrap that resamples clusters (villages, or units).
* :func:`gain_concentration`: each participant's *net gain* (its own change from its base
  period, less the comparison units' change in the same cells, averaged over its post
  periods; the cohort means of the net gains are the group effects of the estimator) and
  their concentration index ranked by baseline outcome, with a bootstrap interval.

Point estimates of the inequality measures come from :mod:`aldea.analytics.inequality`
(in the engine). The bootstrap replicates use the same definitions (decision A5: frequency
weights, ties sharing their mean rank, Lorenz curve interpolated between units) vectorised
in NumPy over the replicate weights; a test checks they equal the engine's figures.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import numpy as np
from scipy.stats import chi2

from .cells import design
from .estimate import DEFAULT_SEED, MIN_CLUSTERS, estimate_panel
from .panel import ImpactInputError, Panel

__all__ = [
    "gain_concentration",
    "gini_weighted",
    "inequality_change",
    "palma_weighted",
    "rank_index_weighted",
    "subgroup_effects",
    "theil_t_weighted",
]

MEASURES = ("gini", "theil_t", "palma")


# -- subgroups -------------------------------------------------------------------------------


def subgroup_effects(
    panel: Panel,
    by: str,
    *,
    estimate: tuple = ("overall", "simple"),
    control: str = "never",
    anticipation: int = 0,
    level: float = 0.95,
    min_clusters: int = MIN_CLUSTERS,
) -> dict:
    """The impact estimate within each value of the unit characteristic ``by``.

    ``by`` names one of ``panel.unit_columns`` (load it with ``unit_columns=[...]``).
    A subgroup that cannot be estimated (no treated or comparison units, too few
    clusters) is listed with its reason instead of figures and left out of the test.
    """
    if by not in panel.unit_columns:
        raise ImpactInputError(by, "is not a unit characteristic of the panel "
                               "(load it with unit_columns)")
    values = np.asarray([("" if v is None else str(v)) for v in panel.unit_columns[by]])
    rows, thetas, sums, results = [], [], [], []
    for value in sorted(set(values)):
        mask = values == value
        entry = {"value": str(value) or None, "n_units": int(mask.sum()),
                 "n_participants": int((panel.cohort[mask] > 0).sum())}
        try:
            r = estimate_panel(panel.subset(mask), control=control, anticipation=anticipation,
                               level=level, min_clusters=min_clusters)
        except ImpactInputError as exc:
            rows.append({**entry, "att": None, "se": None, "ci_low": None, "ci_high": None,
                         "reason": exc.reason})
            continue
        e = r.estimate(*estimate)
        rows.append({**entry, **e})
        if e["se"] is not None:
            thetas.append(e["att"])
            results.append(r)
            sums.append(r.cluster_sums(*estimate) if panel.cluster is not None else None)
    test = {"statistic": None, "df": 0, "p_value": None}
    if len(thetas) >= 2:
        theta = np.asarray(thetas)
        if panel.cluster is None:  # disjoint units: independent estimates
            v = np.diag([r.estimate(*estimate)["se"] ** 2 for r in results])
        else:
            s = np.column_stack(sums)
            v = s.T @ s
        contrast = np.eye(len(theta))[:-1] - np.eye(len(theta))[-1]
        diff = contrast @ theta
        w = float(diff @ np.linalg.solve(contrast @ v @ contrast.T, diff))
        test = {"statistic": w, "df": len(theta) - 1,
                "p_value": float(chi2.sf(w, len(theta) - 1))}
    return {"by": by, "estimate": "/".join(map(str, estimate)), "level": level,
            "subgroups": rows, "equal_effects_test": test}


# -- weighted measures (bootstrap kernels) ----------------------------------------------------


def _ties(key: np.ndarray):
    """Order by ``key`` and the start of each run of equal keys in that order."""
    order = np.argsort(key, kind="stable")
    k = key[order]
    starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    return order, starts


def rank_index_weighted(x, rank_key, weights) -> np.ndarray:
    """``2 sum w x R / sum w x - 1`` per row of ``weights`` (replicates x units).

    ``R`` is the weighted fractional rank by ``rank_key`` with ties sharing their mean rank:
    the concentration index, or the Gini coefficient when ranked by ``x`` itself. ``x``
    may be one vector or one row per replicate.
    """
    w = np.atleast_2d(np.asarray(weights, dtype=np.float64))
    x = np.broadcast_to(np.asarray(x, dtype=np.float64), w.shape)
    order, starts = _ties(np.asarray(rank_key))
    ws, xs = w[:, order], x[:, order]
    wt = np.add.reduceat(ws, starts, axis=1)
    cw = np.cumsum(wt, axis=1)
    total = cw[:, -1:]
    with np.errstate(invalid="ignore", divide="ignore"):  # a replicate drew no unit: NaN
        rank = (cw - wt / 2) / total
    tie_of = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, ws.shape[1]]))
    wx = ws * xs
    swx = wx.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = 2 * (wx * rank[:, tie_of]).sum(axis=1) / swx - 1
    return np.where(swx != 0, out, np.nan)


def gini_weighted(x, weights) -> np.ndarray:
    return rank_index_weighted(x, np.asarray(x), weights)


def theil_t_weighted(x, weights) -> np.ndarray:
    """Theil T per replicate; negative values left out, 0 ln 0 = 0 (decision A5)."""
    w = np.atleast_2d(np.asarray(weights, dtype=np.float64))
    x = np.asarray(x, dtype=np.float64)
    keep = x >= 0
    w, x = w[:, keep], x[keep]
    xlnx = np.where(x > 0, x * np.log(np.where(x > 0, x, 1.0)), 0.0)
    sw, swx = w.sum(axis=1), w @ x
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (w @ xlnx) / swx - np.log(swx / sw)
    return np.where(swx > 0, out, np.nan)


def _lorenz_at(x, weights, p: float) -> np.ndarray:
    w = np.atleast_2d(np.asarray(weights, dtype=np.float64))
    x = np.asarray(x, dtype=np.float64)
    order, starts = _ties(x)
    wt = np.add.reduceat(w[:, order], starts, axis=1)
    wxt = np.add.reduceat(w[:, order] * x[order], starts, axis=1)
    cw, cwx = np.cumsum(wt, axis=1), np.cumsum(wxt, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):  # a replicate drew no unit: NaN
        p1, l1 = cw / cw[:, -1:], cwx / cwx[:, -1:]
        p0, l0 = (cw - wt) / cw[:, -1:], (cwx - wxt) / cwx[:, -1:]
    j = np.minimum((p1 < p).sum(axis=1), p1.shape[1] - 1)[:, None]
    a, b = np.take_along_axis(p0, j, 1), np.take_along_axis(p1, j, 1)
    la, lb = np.take_along_axis(l0, j, 1), np.take_along_axis(l1, j, 1)
    return (la + (p - a) / (b - a) * (lb - la))[:, 0]


def palma_weighted(x, weights) -> np.ndarray:
    """Top 10% share over bottom 40% share per replicate."""
    l40, l90 = _lorenz_at(x, weights, 0.4), _lorenz_at(x, weights, 0.9)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(l40 > 0, (1 - l90) / l40, np.nan)


KERNELS = {"gini": gini_weighted, "theil_t": theil_t_weighted, "palma": palma_weighted}


def _engine_measure(name: str, values: np.ndarray) -> float | None:
    from .. import inequality

    t = ibis.memtable({"x": np.asarray(values, dtype=np.float64)})
    v = getattr(inequality, name)(t, "x").execute()
    return None if v is None or not np.isfinite(v) else float(v)


# -- resampling ------------------------------------------------------------------------------


def _cluster_weights(panel: Panel, reps: int, rng) -> np.ndarray:
    """Replicates x units: how many times each unit's cluster was drawn."""
    codes = panel.cluster if panel.cluster is not None else np.arange(panel.n_units)
    uniq, codes = np.unique(codes, return_inverse=True)
    draws = rng.multinomial(len(uniq), np.full(len(uniq), 1.0 / len(uniq)), size=reps)
    return draws[:, codes].astype(np.float64)


def _interval(draws: np.ndarray, level: float):
    draws = draws[np.isfinite(draws)]
    if len(draws) < 2:
        return None, None, None
    lo, hi = np.quantile(draws, [(1 - level) / 2, (1 + level) / 2])
    return float(lo), float(hi), float(np.std(draws, ddof=1))


def _windows(panel: Panel, pre, post, anticipation: int):
    periods = panel.periods
    treated = panel.cohort[panel.cohort > 0]
    if pre is None:
        pre = periods < treated.min() - anticipation
    else:
        pre = (periods >= pre[0]) & (periods <= pre[1])
    if post is None:
        post = periods >= treated.max()
    else:
        post = (periods >= post[0]) & (periods <= post[1])
    if not pre.any() or not post.any():
        raise ImpactInputError(panel.columns.get("time"), "the before or after window has no periods")
    return pre, post


def inequality_change(
    panel: Panel,
    *,
    measures: Sequence[str] = MEASURES,
    pre: tuple | None = None,
    post: tuple | None = None,
    anticipation: int = 0,
    reps: int = 999,
    seed: int = DEFAULT_SEED,
    level: float = 0.95,
) -> dict:
    """Change in inequality of the outcome among participants against the comparison group.

    Each unit's outcome is its mean over the ``pre`` window (default: the periods before the
    first cohort starts, less anticipation) and the ``post`` window (default: from the last
    cohort's start on, when every participant is treated); windows are (first, last) period
    values. ``difference`` is the participants' change less the comparison group's, the
    inequality analogue of a difference in differences.
    """
    pre_w, post_w = _windows(panel, pre, post, anticipation)
    before, after = panel.y[:, pre_w].mean(axis=1), panel.y[:, post_w].mean(axis=1)
    part = panel.cohort > 0
    if part.all() or not part.any():
        raise ImpactInputError(panel.columns.get("cohort"),
                               "needs both participants and never-treated comparison units")
    rng = np.random.default_rng(seed)
    w = _cluster_weights(panel, reps, rng)
    out = {"level": level, "reps": reps, "seed": seed,
           "windows": {"pre": [panel.label(p) for p in panel.periods[pre_w][[0, -1]]],
                       "post": [panel.label(p) for p in panel.periods[post_w][[0, -1]]]},
           "measures": {}}
    for name in measures:
        kern = KERNELS[name]
        point, boot = {}, {}
        for group, mask in (("participants", part), ("comparison", ~part)):
            for when, x in (("before", before), ("after", after)):
                point[(group, when)] = _engine_measure(name, x[mask])
                boot[(group, when)] = kern(x[mask], w[:, mask])
        fig = {}
        for group in ("participants", "comparison"):
            b, a = point[(group, "before")], point[(group, "after")]
            change = None if a is None or b is None else a - b
            lo, hi, se = _interval(boot[(group, "after")] - boot[(group, "before")], level)
            fig[group] = {"before": b, "after": a, "change": change, "se": se,
                          "ci_low": lo, "ci_high": hi}
        d = (None if fig["participants"]["change"] is None or fig["comparison"]["change"] is None
             else fig["participants"]["change"] - fig["comparison"]["change"])
        draws = ((boot[("participants", "after")] - boot[("participants", "before")])
                 - (boot[("comparison", "after")] - boot[("comparison", "before")]))
        lo, hi, se = _interval(draws, level)
        fig["difference"] = {"value": d, "se": se, "ci_low": lo, "ci_high": hi}
        out["measures"][name] = fig
    return out


def gain_concentration(
    panel: Panel,
    *,
    control: str = "never",
    anticipation: int = 0,
    pre: tuple | None = None,
    reps: int = 999,
    seed: int = DEFAULT_SEED,
    level: float = 0.95,
) -> dict:
    """Concentration index of participants' net gains ranked by their baseline outcome.

    Positive: the gains go to those who already had the larger outcome (sales) before the
    programme; negative: to those who had less. Baseline is each unit's mean over ``pre``
    (default as in :func:`inequality_change`). The bootstrap resamples clusters and
    recomputes the comparison units' changes, hence the net gains, in every replicate.
    """
    d = design(panel, control=control, anticipation=anticipation)
    p = d.panel
    pre_w, _ = _windows(p, pre, None, anticipation)
    baseline = p.y[:, pre_w].mean(axis=1)
    post = np.flatnonzero(d.post)
    part_rows = np.concatenate([np.arange(d.block_start[h], d.block_stop[h]) for h in d.treated])
    rng = np.random.default_rng(seed)
    w_all = np.vstack([np.ones(p.n_units), _cluster_weights(p, reps, rng)])
    # Weighted sums of each cohort's outcomes per period, per replicate (row 0: the sample).
    block_sums = np.stack([w_all[:, a:b] @ p.y[a:b] for a, b in zip(d.block_start, d.block_stop,
                                                                   strict=True)], axis=1)
    block_w = np.stack([w_all[:, a:b].sum(axis=1) for a, b in zip(d.block_start, d.block_stop,
                                                                 strict=True)], axis=1)
    own = np.zeros(p.n_units)
    control_part = np.zeros((len(w_all), p.n_units))
    n_post = np.zeros(p.n_units)
    for c in post:
        h, ti, bi, ctrl = d.treated_block[c], d.t_index[c], d.base_index[c], d.control_blocks[c]
        rows = slice(d.block_start[h], d.block_stop[h])
        with np.errstate(invalid="ignore", divide="ignore"):
            m0 = ((block_sums[:, ctrl, ti] - block_sums[:, ctrl, bi]).sum(axis=1)
                  / block_w[:, ctrl].sum(axis=1))
        own[rows] += p.y[rows, ti] - p.y[rows, bi]
        control_part[:, rows] += m0[:, None]
        n_post[rows] += 1
    keep = part_rows[n_post[part_rows] > 0]
    gains = (own[keep] - control_part[:, keep]) / n_post[keep]
    from .. import inequality

    t = ibis.memtable({"gain": gains[0], "baseline": baseline[keep]})
    point = inequality.concentration_index(t, "gain", "baseline").execute()
    point = None if point is None or not np.isfinite(point) else float(point)
    draws = rank_index_weighted(gains[1:], baseline[keep], w_all[1:, keep])
    lo, hi, se = _interval(draws, level)
    return {
        "index": point, "se": se, "ci_low": lo, "ci_high": hi, "level": level, "reps": reps,
        "seed": seed, "n_participants": len(keep),
        "mean_net_gain": float(gains[0].mean()),
        "has_negative_gains": bool((gains[0] < 0).any()),
        "baseline_window": [p.label(v) for v in p.periods[pre_w][[0, -1]]],
        "gains": {"unit": [p.units[i] for i in keep], "net_gain": gains[0].tolist(),
                  "baseline": baseline[keep].tolist()},
    }
