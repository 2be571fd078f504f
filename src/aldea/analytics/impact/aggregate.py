"""Aggregations of ATT(g, t) (simple, dynamic, group, calendar) and the pre-trend test.

As ``did``'s ``aggte``: cells are weighted by the size of their cohort (its share of all
units), and the influence of estimating those shares is added to the influence function
of the simple, event-time and calendar-time averages. Overall figures:

* ``simple``: the post-treatment cells averaged with cohort-size weights;
* ``dynamic``: the mean of the event-time effects for event times >= 0;
* ``group``: the mean over cohorts of each cohort's average post-treatment effect,
  weighted by cohort size;
* ``calendar``: the mean over calendar periods of each period's effect.

The pre-trend test is the Wald test that every pre-treatment cell (t < g - k) is zero,
with the cluster-robust covariance of those cells (``did``'s ``W``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.stats import chi2
from threadpoolctl import threadpool_limits

from .cells import Design

__all__ = ["Estimands", "aggregations", "pretrend_test"]


@dataclass
class Estimands:
    """Estimates as linear combinations of cells (plus per-cohort influence terms)."""

    keys: list  # (kind, key): ("event", 3), ("group", 2024*12), ("overall", "simple")...
    estimate: np.ndarray
    cells: sp.csr_matrix  # estimates x cells
    const: np.ndarray  # estimates x cohort blocks

    def index(self, kind: str) -> list[int]:
        return [i for i, (k, _) in enumerate(self.keys) if k == kind]


def _weight_influence(idx, att, cell_block, pg_cell, n_blocks, n_units) -> np.ndarray:
    """The per-cohort influence (psi scale) of estimating the weights pg / sum(pg)."""
    s = pg_cell[idx].sum()
    b = (att[idx] * pg_cell[idx]).sum()
    a = np.bincount(cell_block[idx], weights=att[idx], minlength=n_blocks)
    c = np.bincount(cell_block[idx], minlength=n_blocks).astype(np.float64)
    return ((a - b) / s - (c - s) * b / s**2) / n_units


def aggregations(d: Design, att: np.ndarray) -> Estimands:
    """Every aggregation of the cells of ``d`` (see the module docstring)."""
    n_cells = d.n_cells
    n_units = d.panel.n_units
    n_blocks = len(d.cohorts)
    sizes = (d.block_stop - d.block_start).astype(np.float64)
    pg_block = sizes / n_units
    pg = pg_block[d.treated_block]
    post = d.post
    keys, est, rows, consts = [], [], [], []

    def add(key, idx, weights, with_wif=True):
        row = np.zeros(n_cells)
        row[idx] = weights
        keys.append(key)
        est.append(float(weights @ att[idx]))
        rows.append(row)
        consts.append(_weight_influence(idx, att, d.treated_block, pg, n_blocks, n_units)
                      if with_wif else np.zeros(n_blocks))

    idx = np.flatnonzero(post)
    add(("overall", "simple"), idx, pg[idx] / pg[idx].sum())

    event = d.time - d.group
    for e in np.unique(event):
        idx = np.flatnonzero(event == e)
        add(("event", int(e)), idx, pg[idx] / pg[idx].sum())
    for t in np.unique(d.time[post]):
        idx = np.flatnonzero(post & (d.time == t))
        add(("calendar", int(t)), idx, pg[idx] / pg[idx].sum())
    groups = []
    for h in d.treated:
        idx = np.flatnonzero(post & (d.treated_block == h))
        if len(idx):
            add(("group", int(d.cohorts[h])), idx, np.full(len(idx), 1.0 / len(idx)),
                with_wif=False)
            groups.append(h)

    est_a = np.array(est)
    rows_a = np.array(rows)
    const_a = np.array(consts)

    def combine(key, members, weights, wif=None):
        keys.append(key)
        est_list.append(float(weights @ est_a[members]))
        rows_list.append(weights @ rows_a[members])
        const_list.append(weights @ const_a[members] + (0 if wif is None else wif))

    est_list, rows_list, const_list = list(est), list(rows), list(consts)
    ev = [i for i, (k, e) in enumerate(keys) if k == "event" and e >= 0]
    combine(("overall", "dynamic"), ev, np.full(len(ev), 1.0 / len(ev)))
    gi = [i for i, (k, _) in enumerate(keys) if k == "group"]
    pgg = pg_block[groups]
    theta_g = est_a[gi]
    wif = _weight_influence(np.arange(len(groups)), theta_g, np.asarray(groups), pgg,
                            n_blocks, n_units)
    combine(("overall", "group"), gi, pgg / pgg.sum(), wif)
    ci = [i for i, (k, _) in enumerate(keys) if k == "calendar"]
    combine(("overall", "calendar"), ci, np.full(len(ci), 1.0 / len(ci)))
    return Estimands(keys=keys, estimate=np.array(est_list),
                     cells=sp.csr_matrix(np.array(rows_list)), const=np.array(const_list))


def pretrend_test(d: Design, att: np.ndarray, backend) -> dict:
    """Wald test that all pre-treatment cells are zero: statistic, degrees of freedom, p."""
    pre = np.flatnonzero(d.pre)
    if len(pre) == 0:
        return {"statistic": None, "p_value": None, "df": 0,
                "note": "no pre-treatment cells to test"}
    pick = sp.csr_matrix((np.ones(len(pre)), (np.arange(len(pre)), pre)),
                         shape=(len(pre), d.n_cells))
    return _wald(backend.covariance(pick), att[pre])


def event_pretrend_test(est: Estimands, backend, anticipation: int = 0) -> dict:
    """Wald test that the event-study estimates before any effect (e < -k, k the
    anticipation) are all zero.

    The fallback when the cells' own covariance is singular: with few clusters per cohort
    (two villages launching in the same month) the cells of one cohort share their clusters'
    sums, while the event-time estimates pool cohorts.
    """
    # As the cells' test: the k anticipation months may already show the effect.
    rows = [i for i, (kind, key) in enumerate(est.keys) if kind == "event" and key < -anticipation]
    if not rows:
        return {"statistic": None, "p_value": None, "df": 0,
                "note": "no pre-treatment event times to test"}
    v = backend.covariance(est.cells[rows], est.const[rows])
    return _wald(v, est.estimate[rows])


def _wald(v: np.ndarray, att: np.ndarray) -> dict:
    keep = np.isfinite(np.diag(v)) & (np.sqrt(np.clip(np.diag(v), 0, None))
                                      > np.sqrt(np.finfo(float).eps) * 10)
    v, theta = v[np.ix_(keep, keep)], att[keep]
    if len(theta) == 0:
        return {"statistic": None, "p_value": None, "df": 0,
                "note": "the pre-treatment cells have no variance"}
    # One BLAS thread: on a busy machine OpenBLAS's threads make these small factorisations
    # take a quarter of a second instead of a millisecond.
    with threadpool_limits(1, user_api="blas"):
        # did tests rcond <= machine epsilon; a matrix singular in exact arithmetic comes
        # out anywhere from 1e-17 to 1e-13 in floating point: numerically singular is < 1e-10.
        if 1.0 / np.linalg.cond(v, 1) < 1e-10:
            return {"statistic": None, "p_value": None, "df": len(theta),
                    "note": "the covariance of the pre-treatment cells is singular"}
        w = float(theta @ np.linalg.solve(v, theta))
    return {"statistic": w, "p_value": float(chi2.sf(w, len(theta))), "df": len(theta)}
