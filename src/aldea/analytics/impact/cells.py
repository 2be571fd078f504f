"""Group-time average treatment effects ATT(g, t) of Callaway & Sant'Anna (2021).

Which cells exist and what each compares follows the authors' R package ``did``
(2.5 semantics, as its Python port ``csdid`` 0.4 reproduces them):

* a *cohort* g is the units first treated in period g; never-treated units have g = 0;
* cells run over every cohort and every period but the first (a *varying* base period):
  a cell (g, t) with t >= g - k (k periods of anticipation) compares t with the last
  period before g - k; an earlier cell compares t with the period just before it (the
  pre-trend "placebo" cells);
* the comparison units are the never treated, or (``control="not-yet"``) also the units
  of cohorts first treated after t + k;
* without covariates each cell is the plain 2x2 difference in differences of means; with
  covariates it is the doubly robust estimator (Sant'Anna & Zhao 2020, ``drdid_panel``):
  a logit propensity score and a linear regression of the change on the covariates of
  the base period, fitted on the cell's comparison units.

Influence functions are kept in the scale psi = IF / N, so that the variance of an
estimate is the sum over clusters of the squared cluster sums of psi.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .panel import ImpactInputError, Panel

__all__ = ["Cells", "Design", "design", "dr_cells", "linear_cells"]


@dataclass
class Design:
    """The cells to estimate: cohorts, their base periods and comparison cohorts."""

    panel: Panel
    cohorts: np.ndarray  # cohort value of each block (0 first when there are never-treated)
    block_start: np.ndarray
    block_stop: np.ndarray
    treated: np.ndarray  # block indices of the treated cohorts (the g's of the cells)
    control: str
    anticipation: int
    group: np.ndarray  # per cell: cohort value
    time: np.ndarray  # per cell: period value
    t_index: np.ndarray  # per cell: index of the period
    base_index: np.ndarray  # per cell: index of the base period
    treated_block: np.ndarray  # per cell: block of the cohort
    control_blocks: list  # per cell: array of the comparison blocks

    @property
    def n_cells(self) -> int:
        return len(self.group)

    @property
    def post(self) -> np.ndarray:
        return self.group <= self.time

    @property
    def pre(self) -> np.ndarray:
        """Cells before any effect, anticipation included: the pre-trend test's cells."""
        return self.group - self.anticipation > self.time


def design(panel: Panel, *, control: str = "never", anticipation: int = 0) -> Design:
    """The cells of ``panel`` (which may be trimmed and re-coded, as ``did`` does).

    Raises :class:`ImpactInputError` (naming the cohort column) when no unit is treated,
    a cohort is treated in the first period (or within the anticipation of it), or there is
    no never-treated or not-yet-treated unit to compare with.
    """
    if control not in ("never", "not-yet"):
        raise ValueError("control must be 'never' or 'not-yet'")
    if anticipation < 0:
        raise ValueError("anticipation must be 0 or more periods")
    cohort_col = panel.columns.get("cohort") or "cohort"
    periods = panel.periods
    cohort = panel.cohort.copy()
    notes = []
    late = (cohort > 0) & (cohort > periods[-1] + anticipation)
    if late.any():
        # Treated after the last period (and its anticipation): never treated within the panel.
        cohort[late] = 0
        notes.append(f"{int(late.sum())} unit(s) first treated after the last period "
                     "count as never treated")
    if not (cohort > 0).any():
        raise ImpactInputError(cohort_col, "no unit is ever treated within the panel's periods")
    early = (cohort > 0) & (cohort <= periods[0] + anticipation)
    if early.any():
        first = sorted({panel.label(g) for g in np.unique(cohort[early])})
        raise ImpactInputError(
            cohort_col,
            f"cohort(s) {', '.join(map(str, first))} are treated in the first period "
            f"({panel.label(periods[0])})" + (f" or within {anticipation} period(s) of "
                                               "anticipation of it" if anticipation else "")
            + f": {int(early.sum())} unit(s) have no pre-treatment period to compare with; "
            "drop them or start the panel earlier",
        )
    keep_periods = np.ones(len(periods), dtype=bool)
    latest_only_control = None
    if not (cohort == 0).any():
        if control == "never":
            raise ImpactInputError(
                cohort_col, "there are no never-treated units (cohort 0 or empty) to compare "
                "with; use the not-yet-treated units as controls (--control not-yet)"
            )
        latest = cohort.max()
        if len(np.unique(cohort)) < 2:
            raise ImpactInputError(
                cohort_col, "every unit is in one cohort and none is never treated: there "
                "are no not-yet-treated units to compare with"
            )
        # As did does: periods from the last cohort's start (less anticipation) are dropped,
        # and the last cohort is only ever a comparison group.
        keep_periods = periods < latest - anticipation
        latest_only_control = latest
        notes.append(f"no never-treated units: periods from {panel.label(latest - anticipation)} "
                     f"on are dropped and cohort {panel.label(latest)} serves only as a "
                     "not-yet-treated comparison group")
    if not keep_periods.all():
        panel = Panel(
            y=panel.y[:, keep_periods], cohort=cohort, periods=periods[keep_periods],
            units=panel.units, time_kind=panel.time_kind, cluster=panel.cluster,
            cluster_labels=panel.cluster_labels,
            covariates=None if panel.covariates is None else panel.covariates[:, keep_periods],
            covariate_names=panel.covariate_names, unit_columns=panel.unit_columns,
            columns=panel.columns, dropped=dict(panel.dropped), notes=list(panel.notes),
        )
    elif late.any():
        panel = Panel(**{**panel.__dict__, "cohort": cohort})
    order = np.argsort(panel.cohort, kind="stable")
    if (order != np.arange(len(order))).any():
        panel = panel.subset(order)
    panel.notes.extend(notes)
    periods = panel.periods
    cohorts, block_start = np.unique(panel.cohort, return_index=True)
    block_stop = np.append(block_start[1:], panel.n_units)
    treated = np.flatnonzero((cohorts > 0) & (cohorts != (latest_only_control or -1)))
    group, time, t_index, base_index, treated_block, control_blocks = [], [], [], [], [], []
    for h in treated:
        g = cohorts[h]
        before = np.flatnonzero(periods + anticipation < g)
        last_pre = before[-1]
        for ti in range(1, len(periods)):
            current = periods[ti]
            base = last_pre if g - anticipation <= current else ti - 1
            if control == "never":
                ctrl = np.flatnonzero(cohorts == 0)
            else:
                ctrl = np.flatnonzero((cohorts == 0)
                                      | ((cohorts > current + anticipation) & (cohorts != g)))
            if len(ctrl) == 0:
                continue  # nothing to compare with at this period (did reports NA)
            group.append(g)
            time.append(current)
            t_index.append(ti)
            base_index.append(base)
            treated_block.append(h)
            control_blocks.append(ctrl)
    return Design(
        panel=panel, cohorts=cohorts, block_start=block_start, block_stop=block_stop,
        treated=treated, control=control, anticipation=anticipation,
        group=np.asarray(group, np.int64), time=np.asarray(time, np.int64),
        t_index=np.asarray(t_index, np.int64), base_index=np.asarray(base_index, np.int64),
        treated_block=np.asarray(treated_block, np.int64), control_blocks=control_blocks,
    )


@dataclass
class Cells:
    """ATT(g, t) and the representation of their influence functions.

    Exactly one of ``theta`` (the linear case: psi_i = sum_t a[h(i), t] y_it + a[h(i), T],
    one row of coefficients per cell over the blocks x (periods + 1) space) and ``sums``
    (cluster sums of psi, clusters x cells) is set.
    """

    att: np.ndarray
    theta: sp.csr_matrix | None = None
    sums: np.ndarray | None = None


def linear_cells(d: Design) -> Cells:
    """ATT(g, t) without covariates: 2x2 differences of cohort means, all cells at once."""
    y = d.panel.y
    n_t = y.shape[1]
    width = n_t + 1
    sums = np.add.reduceat(y, d.block_start, axis=0) if len(y) else np.zeros((0, n_t))
    sizes = (d.block_stop - d.block_start).astype(np.float64)
    att = np.empty(d.n_cells)
    rows, cols, vals = [], [], []
    for c in range(d.n_cells):
        h, ti, bi, ctrl = d.treated_block[c], d.t_index[c], d.base_index[c], d.control_blocks[c]
        n1 = sizes[h]
        m1 = (sums[h, ti] - sums[h, bi]) / n1
        n0 = sizes[ctrl].sum()
        m0 = (sums[ctrl, ti] - sums[ctrl, bi]).sum() / n0
        att[c] = m1 - m0
        k = len(ctrl)
        rows.append(np.full(3 + 3 * k, c))
        cols.append(np.concatenate((
            h * width + np.array([ti, bi, n_t]),
            (ctrl[:, None] * width + np.array([ti, bi, n_t])).ravel(),
        )))
        vals.append(np.concatenate((
            np.array([1.0, -1.0, -m1]) / n1,
            np.tile(np.array([-1.0, 1.0, m0]) / n0, k),
        )))
    theta = sp.csr_matrix(
        (np.concatenate(vals) if vals else [], (np.concatenate(rows) if rows else [],
                                                np.concatenate(cols) if cols else [])),
        shape=(d.n_cells, len(d.cohorts) * width),
    )
    return Cells(att=att, theta=theta)


# -- doubly robust cells (covariates) ---------------------------------------------------------


def _logit(x: np.ndarray, d: np.ndarray, *, tol: float = 1e-12, max_iter: int = 100):
    """Maximum-likelihood logit by Newton steps; returns fitted probabilities and (X'WX)^-1."""
    beta = np.zeros(x.shape[1])
    p = np.full(len(d), d.mean())
    beta[0] = np.log(p[0] / (1 - p[0]))
    for _ in range(max_iter):
        eta = x @ beta
        p = 1.0 / (1.0 + np.exp(-eta))
        w = p * (1 - p)
        info = x.T @ (w[:, None] * x)
        step = np.linalg.solve(info, x.T @ (d - p))
        beta = beta + step
        if np.max(np.abs(step)) < tol * (1 + np.max(np.abs(beta))):
            break
    p = 1.0 / (1.0 + np.exp(-(x @ beta)))
    return p, beta


def dr_cells(d: Design, cluster: np.ndarray, n_clusters: int) -> Cells:
    """Doubly robust ATT(g, t) with covariates, as ``DRDID::drdid_panel`` (no sampling weights).

    Returns the cluster sums of psi per cell. Raises :class:`ImpactInputError` when a
    cell's propensity score reaches 0.999 (no overlap) or its design is singular.
    """
    panel = d.panel
    x_all = panel.covariates
    names = ", ".join(panel.covariate_names)
    att = np.empty(d.n_cells)
    sums = np.zeros((n_clusters, d.n_cells))
    cache = {}
    time_varying = bool(np.any(x_all != x_all[:, :1, :]))
    for c in range(d.n_cells):
        h, ti, bi, ctrl = d.treated_block[c], d.t_index[c], d.base_index[c], d.control_blocks[c]
        rows = np.concatenate([np.arange(d.block_start[h], d.block_stop[h])]
                              + [np.arange(d.block_start[j], d.block_stop[j]) for j in ctrl])
        n1 = d.block_stop[h] - d.block_start[h]
        treat = np.zeros(len(rows))
        treat[:n1] = 1.0
        # Covariates of the earlier of the two periods, as did takes them.
        xb = x_all[rows, min(bi, ti), :]
        x = np.column_stack((np.ones(len(rows)), xb))
        dy = panel.y[rows, ti] - panel.y[rows, bi]
        n = len(rows)
        key = (h, tuple(ctrl), min(bi, ti) if time_varying else None)
        if key not in cache:
            try:
                ps, _ = _logit(x, treat)
                hess = np.linalg.inv(x.T @ ((ps * (1 - ps))[:, None] * x)) * n
            except np.linalg.LinAlgError:
                raise ImpactInputError(
                    names, f"the propensity score of cohort {panel.label(d.group[c])} cannot be "
                    "fitted (the covariates are collinear or separate the groups)"
                ) from None
            if ps.max() >= 0.999:
                raise ImpactInputError(
                    names, f"no overlap for cohort {panel.label(d.group[c])} at period "
                    f"{panel.label(d.time[c])}: the propensity score reaches 0.999; "
                    "use fewer or coarser covariates"
                )
            cache[key] = (np.minimum(ps, 1 - 1e-6), hess)
        ps, hess = cache[key]
        cont = 1.0 - treat
        xc = x[cont == 1]
        gram = xc.T @ xc
        if np.linalg.cond(gram) > 1 / np.finfo(float).eps:
            raise ImpactInputError(
                names, f"not enough comparison units for cohort {panel.label(d.group[c])} at "
                f"period {panel.label(d.time[c])} to fit the outcome regression"
            )
        beta = np.linalg.solve(gram, xc.T @ dy[cont == 1])
        out = x @ beta
        trim = np.where(cont == 1, ps < 0.995, True).astype(np.float64)
        w_t = trim * treat
        w_c = trim * ps * cont / (1 - ps)
        res = dy - out
        eta_t = np.mean(w_t * res) / np.mean(w_t)
        eta_c = np.mean(w_c * res) / np.mean(w_c)
        att[c] = eta_t - eta_c
        xpx_inv = np.linalg.inv((cont[:, None] * x).T @ x / n)
        lin_ols = (cont * res)[:, None] * x @ xpx_inv
        lin_ps = ((treat - ps)[:, None] * x) @ hess
        inf_t = (w_t * res - w_t * eta_t - lin_ols @ np.mean(w_t[:, None] * x, axis=0))
        inf_t /= np.mean(w_t)
        m2 = np.mean((w_c * (res - eta_c))[:, None] * x, axis=0)
        inf_c = (w_c * res - w_c * eta_c + lin_ps @ m2
                 - lin_ols @ np.mean(w_c[:, None] * x, axis=0)) / np.mean(w_c)
        psi = (inf_t - inf_c) / n
        sums[:, c] = np.bincount(cluster[rows], weights=psi, minlength=n_clusters)
    return Cells(att=att, sums=sums)
