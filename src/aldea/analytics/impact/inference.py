"""Cluster-robust variances and the multiplier bootstrap, from influence functions.

Every estimate here (a cell, an aggregation, a subgroup effect) is a linear combination of
the cells' influence functions plus a term per cohort (the influence of estimating the
cohort shares that weight an aggregation). An estimate is therefore a pair of coefficient
matrices: ``cells`` (estimates x cells) and ``const`` (estimates x cohort blocks).

The variance of estimate k is ``sum_c S_ck^2``, with ``S_ck`` the sum of psi over the units
of cluster c (the unit itself when no cluster is named), as in ``did`` 2.5's analytical
clustered standard errors; the multiplier bootstrap draws one Rademacher weight per cluster
(Callaway & Sant'Anna 2021, Remark 10) and reports ``IQR / (z_.75 - z_.25)`` of the draws.

Two representations of the cells keep this fast:

* :class:`LinearInfluence` (no covariates): psi is linear in the unit's outcomes with
  coefficients that depend only on its cohort, so the variance needs only
  ``M = Z'Z``, where Z holds the cluster sums of each cohort's outcomes per period (and of
  ones). Without clusters, Z is block diagonal and ``M`` is one small Gram matrix per
  cohort: the cost is one pass over the panel, whatever the number of cells.
* :class:`ExplicitInfluence` (covariates): the cluster sums of psi of every cell.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.stats import norm

__all__ = ["ExplicitInfluence", "LinearInfluence", "bootstrap_se"]

_DRAWS_PER_CHUNK = 20_000


class LinearInfluence:
    """Variances of estimates whose psi is linear in each unit's outcomes (see module doc)."""

    def __init__(self, y, block_start, block_stop, theta, cluster=None, n_clusters=None):
        # Each cohort's outcomes are centred on their period means (the means move into the
        # constant term), so the quadratic forms do not lose digits to the outcome's level.
        means = np.vstack([y[a:b].mean(axis=0) for a, b in zip(block_start, block_stop,
                                                                strict=True)])
        sizes = np.repeat(np.arange(len(block_start)), block_stop - block_start)
        self.y = y - means[sizes]
        self.block_start, self.block_stop = block_start, block_stop
        n_t = y.shape[1]
        self.width = n_t + 1
        self.n_blocks = len(block_start)
        self.shift = self._shift(means)
        self.theta = theta.tocsr()
        self.cluster = cluster
        self.n_clusters = n_clusters if cluster is not None else y.shape[0]
        if cluster is None:
            blocks = []
            for a, b in zip(block_start, block_stop, strict=True):
                yb = self.y[a:b]
                m = np.zeros((self.width, self.width))
                m[:n_t, :n_t] = yb.T @ yb
                m[n_t, n_t] = b - a
                blocks.append(m)
            self.gram = sp.block_diag(blocks, format="csr")
        else:
            self.z = self._cluster_sums()
            self.gram = (self.z.T @ self.z).tocsr()

    def _shift(self, means) -> sp.csr_matrix:
        """P with r @ P the coefficients on centred outcomes: const += sum_t r_t mean_t."""
        n_t = self.width - 1
        dim = self.n_blocks * self.width
        h, t = np.meshgrid(np.arange(self.n_blocks), np.arange(n_t), indexing="ij")
        rows = (h * self.width + t).ravel()
        cols = (h * self.width + n_t).ravel()
        extra = sp.csr_matrix((means.ravel(), (rows, cols)), shape=(dim, dim))
        return (sp.identity(dim, format="csr") + extra).tocsr()

    def _cluster_sums(self) -> sp.csr_matrix:
        """Z: clusters x (blocks x (periods + 1)), sums of outcomes and counts per cluster."""
        parts = []
        for h, (a, b) in enumerate(zip(self.block_start, self.block_stop, strict=True)):
            ind = sp.csr_matrix(
                (np.ones(b - a), (self.cluster[a:b], np.arange(b - a))),
                shape=(self.n_clusters, b - a),
            )
            zh = np.column_stack((ind @ self.y[a:b], np.asarray(ind.sum(axis=1)).ravel()))
            parts.append(sp.csr_matrix(zh))
        return sp.hstack(parts, format="csr")

    def _rows(self, cells, const) -> sp.csr_matrix:
        """Coefficient rows over the blocks x (periods + 1) space."""
        cells = sp.csr_matrix(cells)
        lin = cells @ self.theta
        if const is not None and np.any(const):
            const = np.asarray(const)
            k = const.shape[0]
            ii, hh = np.nonzero(const)
            add = sp.csr_matrix((const[ii, hh], (ii, hh * self.width + self.width - 1)),
                                shape=(k, self.n_blocks * self.width))
            lin = lin + add
        return (lin @ self.shift).tocsr()

    def variance(self, cells, const=None) -> np.ndarray:
        rows = self._rows(cells, const)
        return np.asarray((rows @ self.gram).multiply(rows).sum(axis=1)).ravel()

    def covariance(self, cells, const=None) -> np.ndarray:
        rows = self._rows(cells, const)
        return np.asarray((rows @ self.gram @ rows.T).todense())

    def cluster_sums(self, cells, const=None) -> np.ndarray:
        """S: clusters x estimates (the sums of psi per cluster)."""
        rows = self._rows(cells, const)
        if self.cluster is not None:
            return np.asarray((self.z @ rows.T).todense())
        out = np.empty((self.y.shape[0], rows.shape[0]))
        for h, (a, b) in enumerate(zip(self.block_start, self.block_stop, strict=True)):
            block = rows[:, h * self.width:(h + 1) * self.width].toarray()
            out[a:b] = self.y[a:b] @ block[:, :-1].T + block[:, -1]
        return out

    def bootstrap(self, cells, const, draws: int, rng: np.random.Generator) -> np.ndarray:
        """Draws x estimates of sum_c v_c S_c, with Rademacher v (one per cluster)."""
        rows = self._rows(cells, const)
        if self.cluster is not None:
            v = rng.integers(0, 2, size=(draws, self.n_clusters)) * 2.0 - 1.0
            vz = np.asarray(self.z.T @ v.T).T
            return np.asarray(rows @ vz.T).T
        # One weight per unit: weight the cohort's outcomes, a chunk of units at a time.
        vz = np.zeros((draws, self.n_blocks * self.width))
        for h, (a, b) in enumerate(zip(self.block_start, self.block_stop, strict=True)):
            lo = h * self.width
            for s in range(a, b, _DRAWS_PER_CHUNK):
                e = min(b, s + _DRAWS_PER_CHUNK)
                v = rng.integers(0, 2, size=(draws, e - s)) * 2.0 - 1.0
                vz[:, lo:lo + self.width - 1] += v @ self.y[s:e]
                vz[:, lo + self.width - 1] += v.sum(axis=1)
        return np.asarray(rows @ vz.T).T


class ExplicitInfluence:
    """Variances from the cluster sums of psi of every cell (clusters x cells)."""

    def __init__(self, sums: np.ndarray, cohort_counts: np.ndarray):
        self.sums = sums
        self.counts = cohort_counts  # clusters x blocks: units of each cohort per cluster
        self.n_clusters = sums.shape[0]

    def cluster_sums(self, cells, const=None) -> np.ndarray:
        cells = sp.csr_matrix(cells)
        s = np.asarray((cells @ self.sums.T).T)
        if const is not None and np.any(const):
            s = s + self.counts @ np.asarray(const).T
        return s

    def variance(self, cells, const=None) -> np.ndarray:
        s = self.cluster_sums(cells, const)
        return np.einsum("ck,ck->k", s, s)

    def covariance(self, cells, const=None) -> np.ndarray:
        s = self.cluster_sums(cells, const)
        return s.T @ s

    def bootstrap(self, cells, const, draws: int, rng: np.random.Generator) -> np.ndarray:
        s = self.cluster_sums(cells, const)
        v = rng.integers(0, 2, size=(draws, self.n_clusters)) * 2.0 - 1.0
        return v @ s


def bootstrap_se(draws: np.ndarray) -> np.ndarray:
    """Robust bootstrap standard errors: interquartile range over that of a normal (as did)."""
    q75, q25 = np.quantile(draws, [0.75, 0.25], axis=0, method="inverted_cdf")
    return (q75 - q25) / (norm.ppf(0.75) - norm.ppf(0.25))
