"""Two-way fixed effects (static): reported beside Callaway & Sant'Anna, for comparison only.

``y_it = a_i + l_t + b D_it (+ x_it c) + e_it`` with ``D_it = 1`` from a unit's first
treated period on. Under staggered timing with effects that change over time or across
cohorts, ``b`` weights cell effects with weights that can be negative (already-treated
units serve as controls), so it is not an average treatment effect (Goodman-Bacon 2021; de
Chaisemartin & D'Haultfoeuille 2020). On a balanced panel the two-way within
transformation is exact; standard errors are cluster-robust on the same clusters as the
main estimate, with the small-sample factor of Stata's ``xtreg, fe vce(cluster)``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["TWFE_LABEL", "twfe"]

TWFE_LABEL = (
    "two-way fixed effects (unit and period effects, one post-treatment dummy): "
    "biased under staggered adoption when effects vary across cohorts or over time; "
    "shown for comparison, not an impact estimate"
)


def _within(a: np.ndarray) -> np.ndarray:
    """Two-way demeaning of units x periods (x k) arrays of a balanced panel."""
    return a - a.mean(axis=1, keepdims=True) - a.mean(axis=0, keepdims=True) + a.mean(
        axis=(0, 1), keepdims=True
    )


def twfe(y: np.ndarray, cohort: np.ndarray, periods: np.ndarray, *, cluster=None,
         covariates=None) -> dict:
    """Static TWFE coefficient on the treatment dummy with its cluster-robust SE."""
    d = ((cohort[:, None] > 0) & (periods[None, :] >= cohort[:, None])).astype(np.float64)
    regressors = [d[..., None]]
    if covariates is not None and covariates.shape[-1]:
        regressors.append(covariates)
    x = _within(np.concatenate(regressors, axis=-1))
    yt = _within(y)
    n, t, k = x.shape
    xf, yf = x.reshape(n * t, k), yt.reshape(n * t)
    xtx = xf.T @ xf
    if np.linalg.cond(xtx) > 1e12:
        return {"att": None, "se": None,
                "note": "the treatment dummy is collinear with the fixed effects"}
    beta = np.linalg.solve(xtx, xf.T @ yf)
    resid = (yf - xf @ beta).reshape(n, t)
    scores = np.einsum("itk,it->ik", x, resid)  # per unit
    groups = np.arange(n) if cluster is None else cluster
    g = np.zeros((groups.max() + 1, k))
    np.add.at(g, groups, scores)
    n_groups = len(np.unique(groups))
    bread = np.linalg.inv(xtx)
    # Stata's xtreg, fe vce(cluster): G/(G-1) (N-1)/(N-K), the effects (nested in the
    # clusters or absorbed by the within transformation) not counted in K.
    obs = n * t
    scale = (n_groups / (n_groups - 1) if n_groups > 1 else 1.0) * (obs - 1) / (obs - k)
    meat = g.T @ g * scale
    v = bread @ meat @ bread
    return {"att": float(beta[0]), "se": float(np.sqrt(v[0, 0]))}
