"""Over-representation of shops: the scale-free rule of the ``latam-relative`` profile.

One marketplace's sample holds a small, unknown share of a country's online sales, so an
absolute turnover floor cannot travel from Taobao. What does travel is *relative*
concentration: does a locality hold more active shops than its households predict, by
more than chance?

- **Expected shops** ``mu = r * households``, with ``r`` the rate of the whole input
  (all active shops over all households of the localities given).
- **Test**: one-sided Poisson, ``p = P(X >= shops | mu)``; the p-values of every locality
  with households are adjusted together for multiple testing (Benjamini and Hochberg
  1995, false discovery rate).
- **Shrunken location quotient** (empirical Bayes): ``(shops + a) / (mu + a)``, the
  posterior mean of the relative rate under a gamma prior whose spread is estimated from
  all localities by the method of moments (Marshall 1991, "Mapping disease and mortality
  rates using empirical Bayes estimators", *Applied Statistics* 40:283-294). One shop in
  a hamlet (``mu`` tiny) is pulled back to about 1; a city's quotient is left as it is.
- **Scale**: a locality above the profile's population ceiling (or not rural, when the
  profile asks for the ``rural`` flag) is a hub, reported apart from villages.

Everything here runs on one row per locality, after the engine has counted the shops,
so every engine feeds it the same numbers and gets the same answer. See
docs/decisions.md A3.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["EvidenceRule", "benjamini_hochberg", "over_representation"]


@dataclass(frozen=True)
class EvidenceRule:
    false_discovery_rate: float = 0.05
    min_shrunk_lq: float = 1.5
    min_active_shops: int = 3
    population_ceiling: float | None = 100_000
    rural: bool = False


def benjamini_hochberg(p_values: list[float]) -> list[float]:
    """Benjamini-Hochberg adjusted p-values (q-values), in the order given."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    q = [1.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p_values[i] * m / rank)
        q[i] = min(running, 1.0)
    return q


def _poisson_upper_tail(k: int, mu: float) -> float:
    """P(X >= k) for X ~ Poisson(mu)."""
    if k <= 0:
        return 1.0
    from scipy.stats import poisson

    return float(poisson.sf(k - 1, mu))


def _prior_variance(shops: list[int], expected: list[float]) -> float:
    """Marshall's moment estimate of the variance of the relative rate between localities."""
    total_mu = sum(expected)
    n = len(expected)
    if total_mu <= 0 or n == 0:
        return 0.0
    b = sum(shops) / total_mu
    s2 = sum(mu * (k / mu - b) ** 2 for k, mu in zip(shops, expected) if mu > 0) / total_mu
    return max(s2 - b / (total_mu / n), 0.0)


def over_representation(rows: list[dict], rule: EvidenceRule) -> dict[str, dict]:
    """Figures of the over-representation test per locality code.

    ``rows`` has one dict per locality of the input: ``code``, ``households`` (given or
    estimated, may be ``None``), ``population`` (may be ``None``), ``rural`` (may be
    ``None``) and ``shops`` (active shops, 0 when none). Returns, for each code,
    ``expected_shops``, ``p_value``, ``q_value``, ``shop_lq_shrunk``, ``scale``
    (``"village"``, ``"hub"`` or ``None`` when unknown), ``is_over_represented``,
    ``qualifies`` and ``is_hub``.
    """
    rows = sorted(rows, key=lambda r: r["code"])
    tested = [r for r in rows if r["households"] is not None and r["households"] > 0]
    total_shops = sum(int(r["shops"]) for r in tested)
    total_hh = sum(float(r["households"]) for r in tested)
    rate = total_shops / total_hh if total_hh > 0 else 0.0
    expected = [rate * float(r["households"]) for r in tested]
    shops = [int(r["shops"]) for r in tested]
    p = [_poisson_upper_tail(k, mu) if mu > 0 else 1.0 for k, mu in zip(shops, expected)]
    q = benjamini_hochberg(p) if p else []
    a = _prior_variance(shops, expected)
    out: dict[str, dict] = {}
    for r, k, mu, pv, qv in zip(tested, shops, expected, p, q):
        if mu <= 0:
            shrunk = None
        elif a > 0:
            # Posterior mean of a gamma(1/a, 1/a) prior (mean 1): (k + 1/a) / (mu + 1/a).
            shrunk = (k + 1 / a) / (mu + 1 / a)
        else:
            shrunk = 1.0  # no variation beyond chance: every locality is at the mean
        scale = _scale(r, rule)
        strong = (
            shrunk is not None
            and qv <= rule.false_discovery_rate
            and shrunk >= rule.min_shrunk_lq
            and k >= rule.min_active_shops
        )
        out[r["code"]] = {
            "expected_shops": mu,
            "p_value": pv,
            "q_value": qv,
            "shop_lq_shrunk": shrunk,
            "scale": scale,
            "is_over_represented": strong,
            "qualifies": strong and scale == "village",
            "is_hub": strong and scale == "hub",
        }
    return out


def _scale(row: dict, rule: EvidenceRule) -> str | None:
    if rule.rural:
        if row.get("rural") is None:
            return None
        return "village" if row["rural"] else "hub"
    if rule.population_ceiling is None:
        return "village"
    pop = row.get("population")
    if pop is None or (isinstance(pop, float) and math.isnan(pop)):
        return None
    return "village" if pop <= rule.population_ceiling else "hub"
