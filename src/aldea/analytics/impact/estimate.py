"""The staggered-adoption impact estimate: what ``aldea impact`` computes and prints.

:func:`estimate_impact` reads and checks a panel (:func:`.panel.load_panel`), estimates
every ATT(g, t) (:mod:`.cells`), aggregates them (:mod:`.aggregate`), computes
cluster-robust standard errors from the influence functions or a seeded multiplier
bootstrap (:mod:`.inference`) and the pre-trend test, and reports two-way fixed effects
beside it (:mod:`.twfe`). :meth:`ImpactResult.to_dict` is the JSON contract in
docs/data-contracts.md.

Example::

    >>> import numpy as np
    >>> from aldea.analytics.impact import estimate_panel, panel_from_arrays
    >>> y = np.array([[1.0, 2.0], [1.0, 5.0], [2.0, 3.0], [0.0, 1.0]])
    >>> r = estimate_panel(panel_from_arrays(y, cohort=[0, 2, 0, 2]))
    >>> r.to_dict()["overall"]["simple"]["att"]  # (4 + 1) / 2 - (1 + 1) / 2
    1.5

Citation: Callaway, B. and Sant'Anna, P. H. C. (2021), "Difference-in-differences with
multiple time periods", *Journal of Econometrics* 225(2), 200-230; Sant'Anna, P. H. C. and
Zhao, J. (2020), "Doubly robust difference-in-differences estimators", *Journal of
Econometrics* 219(1), 101-122.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.stats import norm

from .aggregate import Estimands, aggregations, event_pretrend_test, pretrend_test
from .cells import Design, design, dr_cells, linear_cells
from .inference import ExplicitInfluence, LinearInfluence, bootstrap_se
from .panel import ImpactInputError, Panel, load_panel
from .twfe import TWFE_LABEL, twfe

__all__ = ["DEFAULT_SEED", "METHOD", "ImpactResult", "estimate_impact", "estimate_panel"]

METHOD = "callaway-santanna-2021"
DEFAULT_SEED = 20210601
#: Below this many clusters, cluster-robust standard errors are unreliable (Cameron &
#: Miller 2015 report over-rejection with fewer than about 20-50 clusters).
MIN_CLUSTERS = 20
_TINY_SE = math.sqrt(np.finfo(float).eps) * 10


def _num(v):
    if v is None:
        return None
    v = float(v)
    return None if not math.isfinite(v) else v


@dataclass
class ImpactResult:
    """ATT(g, t), their aggregations and standard errors; ``to_dict`` gives the contract."""

    design: Design
    att: np.ndarray
    se: np.ndarray
    estimands: Estimands
    estimand_se: np.ndarray
    level: float
    standard_errors: str
    pretrend: dict
    twfe: dict
    backend: object = field(repr=False)
    n_clusters: int = 0

    @property
    def panel(self) -> Panel:
        return self.design.panel

    @property
    def z(self) -> float:
        return float(norm.ppf(0.5 + self.level / 2))

    def _row(self, att, se) -> dict:
        att, se = _num(att), _num(se)
        if se is None or att is None:
            return {"att": att, "se": se, "ci_low": None, "ci_high": None}
        return {"att": att, "se": se, "ci_low": att - self.z * se, "ci_high": att + self.z * se}

    def estimate(self, kind: str, key=None) -> dict:
        """One aggregated estimate, e.g. ``("overall", "simple")`` or ``("event", 6)``."""
        i = self.estimands.keys.index((kind, key))
        return self._row(self.estimands.estimate[i], self.estimand_se[i])

    def cluster_sums(self, kind: str, key=None) -> np.ndarray:
        """Sums of the influence function (psi = IF / N) per cluster for one estimate."""
        i = self.estimands.keys.index((kind, key))
        return self.backend.cluster_sums(self.estimands.cells[i], self.estimands.const[i:i + 1])[:, 0]

    def event_support(self) -> list[dict]:
        """For each event time, how many cohorts (and their units) its estimate pools: the
        event times furthest from the launch rest on the earliest cohort alone."""
        d = self.design
        sizes = d.block_stop - d.block_start
        event = d.time - d.group
        out = []
        for kind, e in self.estimands.keys:
            if kind != "event":
                continue
            blocks = np.unique(d.treated_block[event == e])
            out.append({"event_time": e, "n_cohorts": len(blocks), "n_units": int(sizes[blocks].sum())})
        return out

    def to_dict(self) -> dict:
        p, d = self.panel, self.design
        label = p.label
        cols = p.columns
        sizes = d.block_stop - d.block_start
        out = {
            "method": METHOD,
            "estimator": ("doubly robust (drdid_panel)" if p.covariates is not None
                          else "2x2 difference in differences of means"),
            "control": d.control,
            "n_units": p.n_units,
            "n_clusters": self.n_clusters,
            "att_gt": [
                {"cohort": label(g), "time": label(t), **self._row(a, s)}
                for g, t, a, s in zip(d.group, d.time, self.att, self.se, strict=True)
            ],
            "overall": {k: self.estimate("overall", k)
                        for k in ("simple", "dynamic", "group", "calendar")},
            "event_study": [
                {"event_time": key, **self.estimate("event", key)}
                for kind, key in self.estimands.keys if kind == "event"
            ],
            "event_support": self.event_support(),
            "group_effects": [
                {"cohort": label(key), **self.estimate("group", key)}
                for kind, key in self.estimands.keys if kind == "group"
            ],
            "calendar_effects": [
                {"time": label(key), **self.estimate("calendar", key)}
                for kind, key in self.estimands.keys if kind == "calendar"
            ],
            "pretrend": {k: (_num(v) if k in ("statistic", "p_value") else v)
                         for k, v in self.pretrend.items()},
            "twfe": {"label": TWFE_LABEL, **(self._row(self.twfe["att"], self.twfe["se"])
                                             if self.twfe.get("att") is not None
                                             else {"att": None, "se": None, "ci_low": None,
                                                   "ci_high": None, "note": self.twfe["note"]})},
            "outcome": cols.get("outcome"),
            "level": self.level,
            "anticipation": d.anticipation,
            "base_period": "varying",
            "standard_errors": self.standard_errors,
            "cluster": cols.get("cluster") or cols.get("unit"),
            "covariates": list(p.covariate_names),
            "periods": {"first": label(p.periods[0]), "last": label(p.periods[-1]),
                        "count": len(p.periods)},
            "cohorts": [{"cohort": label(g) if g else None, "n_units": int(n)}
                        for g, n in zip(d.cohorts, sizes, strict=True)],
            "dropped": dict(p.dropped),
            "notes": list(p.notes),
        }
        return out

    def to_table(self) -> str:
        """The result as plain text for people (``--format table``)."""
        r = self.to_dict()

        def f(v, digits=4):
            return "-" if v is None else f"{v:,.{digits}f}"

        def row(name, e):
            return (f"{name:<28} {f(e['att']):>14} {f(e['se']):>12} "
                    f"[{f(e['ci_low'])}, {f(e['ci_high'])}]")

        pct = f"{r['level']:.0%}"
        lines = [
            f"Callaway & Sant'Anna (2021) group-time ATT of {r['outcome']}: {r['estimator']}",
            (f"units {r['n_units']:,}, clusters {r['n_clusters']:,} ({r['cluster']}), control: "
            f"{r['control']}-treated, anticipation {r['anticipation']}, "
            f"standard errors: {r['standard_errors']}"),
            "",
            f"{'estimate':<28} {'ATT':>14} {'SE':>12} {pct} CI",
        ]
        for k in ("simple", "dynamic", "group", "calendar"):
            lines.append(row(f"overall ({k})", r["overall"][k]))
        t = r["twfe"]
        lines.append(row("TWFE (not an ATT; see note)", t))
        lines += ["", "event study"]
        lines += [row(f"  e = {e['event_time']:+d}", e) for e in r["event_study"]]
        lines += ["", "by cohort"]
        lines += [row(f"  {g['cohort']}", g) for g in r["group_effects"]]
        pt = r["pretrend"]
        lines += ["", f"pre-trend test: chi2({pt.get('df')}) = {f(pt['statistic'], 3)}, "
                  f"p = {f(pt['p_value'], 4)}" + (f" ({pt['note']})" if pt.get("note") else "")]
        lines.append(f"TWFE: {t['label']}")
        lines += [f"note: {n}" for n in r["notes"]]
        return "\n".join(lines)


def estimate_impact(
    source,
    *,
    unit: str,
    time: str,
    cohort: str,
    outcome: str,
    control: str = "never",
    cluster: str | None = None,
    covariates: Sequence[str] = (),
    anticipation: int = 0,
    level: float = 0.95,
    bootstrap: int = 0,
    seed: int = DEFAULT_SEED,
    min_clusters: int = MIN_CLUSTERS,
    unit_columns: Sequence[str] = (),
    con=None,
) -> ImpactResult:
    """Read ``source`` (CSV, Parquet, URL#table or an Ibis table) and estimate the impact.

    ``control`` is ``"never"`` (never-treated units, did's default) or ``"not-yet"``;
    ``bootstrap`` > 0 draws that many multiplier-bootstrap replicates (seeded) instead of
    the analytical influence-function standard errors. Raises :class:`ImpactInputError`
    naming the column and the reason on bad input.
    """
    panel = load_panel(source, unit=unit, time=time, cohort=cohort, outcome=outcome,
                       cluster=cluster, covariates=covariates, unit_columns=unit_columns,
                       con=con)
    return estimate_panel(panel, control=control, anticipation=anticipation, level=level,
                          bootstrap=bootstrap, seed=seed, min_clusters=min_clusters)


def estimate_panel(
    panel: Panel,
    *,
    control: str = "never",
    anticipation: int = 0,
    level: float = 0.95,
    bootstrap: int = 0,
    seed: int = DEFAULT_SEED,
    min_clusters: int = MIN_CLUSTERS,
) -> ImpactResult:
    """Estimate on a :class:`Panel` already in memory (see :func:`estimate_impact`)."""
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1 (got {level})")
    if bootstrap < 0:
        raise ValueError("bootstrap must be 0 (influence function) or a number of draws")
    d = design(panel, control=control, anticipation=int(anticipation))
    p = d.panel
    cluster = p.cluster
    if cluster is not None:
        _check_clusters(d, min_clusters)
        n_clusters = len(p.cluster_labels) if p.cluster_labels else int(cluster.max() + 1)
        n_present = len(np.unique(cluster))
    else:
        n_clusters = n_present = p.n_units
    if p.covariates is None:
        cells = linear_cells(d)
        backend = LinearInfluence(p.y, d.block_start, d.block_stop, cells.theta,
                                  cluster=cluster, n_clusters=n_clusters)
    else:
        codes = cluster if cluster is not None else np.arange(p.n_units)
        cells = dr_cells(d, codes, n_clusters)
        counts = np.zeros((n_clusters, len(d.cohorts)))
        block_of = np.repeat(np.arange(len(d.cohorts)), d.block_stop - d.block_start)
        np.add.at(counts, (codes, block_of), 1.0)
        backend = ExplicitInfluence(cells.sums, counts)
    att = cells.att
    est = aggregations(d, att)
    identity = sp.identity(d.n_cells, format="csr")
    if bootstrap:
        rng = np.random.default_rng(seed)
        both = sp.vstack([identity, est.cells], format="csr")
        const = np.vstack([np.zeros((d.n_cells, len(d.cohorts))), est.const])
        se_all = bootstrap_se(backend.bootstrap(both, const, int(bootstrap), rng))
        se, est_se = se_all[:d.n_cells], se_all[d.n_cells:]
        how = f"multiplier bootstrap ({bootstrap} Rademacher draws by cluster, seed {seed})"
    else:
        se = np.sqrt(np.clip(backend.variance(identity), 0, None))
        est_se = np.sqrt(np.clip(backend.variance(est.cells, est.const), 0, None))
        how = "influence function (analytical), cluster-robust"
    se = np.where(se > _TINY_SE, se, np.nan)
    est_se = np.where(est_se > _TINY_SE, est_se, np.nan)
    pre = {"test": "cells", **pretrend_test(d, att, backend)}
    if pre["p_value"] is None and pre["df"]:
        # Singular over the cells (few clusters per cohort): test the pre-treatment event-study
        # estimates instead, and say so.
        by_event = event_pretrend_test(est, backend, d.anticipation)
        if by_event["p_value"] is not None:
            pre = {"test": "event_study", **by_event,
                   "note": f"{pre['note']}; tested the {by_event['df']} pre-treatment "
                   "event-study estimates instead"}
    tw = twfe(p.y, p.cohort, p.periods, cluster=cluster, covariates=p.covariates)
    return ImpactResult(design=d, att=att, se=se, estimands=est, estimand_se=est_se,
                        level=level, standard_errors=how, pretrend=pre, twfe=tw,
                        backend=backend, n_clusters=n_present)


def _check_clusters(d: Design, min_clusters: int) -> None:
    p = d.panel
    col = p.columns.get("cluster") or "cluster"
    n = len(np.unique(p.cluster))
    if n < min_clusters:
        raise ImpactInputError(
            col, f"only {n} cluster(s): cluster-robust standard errors need at least "
            f"{min_clusters}; cluster on a finer column, or leave --cluster out to cluster "
            "on the unit"
        )
    treated = p.cohort > 0
    for who, mask in (("treated", treated), ("comparison", ~treated)):
        if mask.any() and len(np.unique(p.cluster[mask])) < 2:
            raise ImpactInputError(
                col, f"all {who} units are in one cluster: the comparison cannot be told "
                "apart from a shock to that cluster"
            )
