"""Detection profiles: the rules that make a locality a digital village, kept as data.

A profile is a TOML file. ``[[village]]`` and ``[[town]]`` are lists of *branches*; a unit
qualifies when any branch fires, and a branch fires when all its conditions hold. A
condition compares a metric (``turnover_cny``, ``active_shops``, ``shop_share``,
``shop_lq``, ``households``, ``qualifying_villages``) with a number using ``>=``, ``>``,
``<=`` or ``<``. The shipped profiles live beside this module in ``profiles/``.

A profile with ``method = "over-representation"`` has no village branches: a locality
qualifies on the statistical test of :mod:`aldea.analytics.evidence`, whose parameters are
in its ``[over_representation]`` table, and its clusters come from ``[spatial]``
(:mod:`aldea.analytics.spatial`).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .evidence import EvidenceRule

__all__ = ["Branch", "Condition", "Profile", "SpatialRule", "load_profile", "profile_names"]

VILLAGE_METRICS = {"turnover_cny", "active_shops", "shop_share", "shop_lq", "households"}
TOWN_METRICS = {"qualifying_villages", "turnover_cny", "active_shops"}
OPERATORS = {">=", ">", "<=", "<"}


class ProfileError(ValueError):
    """A profile file is missing or malformed."""


@dataclass(frozen=True)
class Condition:
    metric: str
    op: str
    value: float


@dataclass(frozen=True)
class Branch:
    label: str
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class SpatialRule:
    """Gi* hot spots over the ``neighbours`` nearest localities (see spatial.py)."""

    neighbours: int = 6
    permutations: int = 999
    significance: float = 0.05
    min_size: int = 2


METHODS = ("thresholds", "over-representation")


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    source: str
    household_size: float
    village: tuple[Branch, ...]
    town: tuple[Branch, ...] = ()
    cluster_distance_km: float | None = None
    cluster_min_size: int = 2
    note: str = ""
    metrics: frozenset = field(default_factory=frozenset)
    method: str = "thresholds"
    evidence: EvidenceRule | None = None
    spatial: SpatialRule | None = None


def profile_names() -> list[str]:
    """Names of the profiles shipped with Aldea."""
    folder = resources.files(__package__) / "profiles"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def load_profile(name_or_path: str | Path) -> Profile:
    """Load a shipped profile by name (``"aliresearch-2014"``) or a TOML file by path."""
    text = str(name_or_path)
    path = Path(text)
    if text.endswith(".toml") or path.exists():
        if not path.exists():
            raise ProfileError(f"no such profile file: {path}")
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    else:
        res = resources.files(__package__) / "profiles" / f"{text}.toml"
        if not res.is_file():
            raise ProfileError(
                f"unknown profile {text!r}; shipped profiles: {', '.join(profile_names())}"
            )
        raw = tomllib.loads(res.read_text(encoding="utf-8"))
    return _parse(raw, origin=text)


def _branches(raw, key: str, allowed: set[str], origin: str) -> tuple[Branch, ...]:
    out = []
    for i, item in enumerate(raw.get(key, [])):
        conds = []
        for c in item.get("all", []):
            metric, op, value = c.get("metric"), c.get("op"), c.get("value")
            if metric not in allowed:
                raise ProfileError(f"{origin}: {key}[{i}] uses unknown metric {metric!r}")
            if op not in OPERATORS:
                raise ProfileError(f"{origin}: {key}[{i}] uses unknown operator {op!r}")
            if not isinstance(value, (int, float)):
                raise ProfileError(f"{origin}: {key}[{i}] needs a number for {metric}")
            conds.append(Condition(metric, op, float(value)))
        if not conds:
            raise ProfileError(f"{origin}: {key}[{i}] has no conditions")
        out.append(Branch(item.get("label") or f"{key} rule {i + 1}", tuple(conds)))
    return tuple(out)


def _table(raw: dict, key: str, cls, origin: str):
    """A dataclass from a TOML table, naming unknown keys and non-numbers."""
    if key not in raw:
        return None
    values = raw[key]
    known = set(cls.__dataclass_fields__)
    unknown = sorted(set(values) - known)
    if unknown:
        raise ProfileError(f"{origin}: [{key}] has unknown key(s) {', '.join(unknown)}; "
                           f"known: {', '.join(sorted(known))}")
    for name, value in values.items():
        if not isinstance(value, (int, float)) or (isinstance(value, bool) and name != "rural"):
            raise ProfileError(f"{origin}: [{key}] {name} must be a number")
    return cls(**values)


def _parse(raw: dict, origin: str) -> Profile:
    method = raw.get("method", "thresholds")
    if method not in METHODS:
        raise ProfileError(f"{origin}: method must be one of {', '.join(METHODS)}, not {method!r}")
    village = _branches(raw, "village", VILLAGE_METRICS, origin)
    evidence = _table(raw, "over_representation", EvidenceRule, origin)
    spatial = _table(raw, "spatial", SpatialRule, origin)
    if method == "thresholds" and not village:
        raise ProfileError(f"{origin}: a profile needs at least one [[village]] branch")
    if method == "over-representation":
        if village:
            raise ProfileError(f"{origin}: an over-representation profile has no [[village]] branches")
        evidence = evidence or EvidenceRule()
    town = _branches(raw, "town", TOWN_METRICS, origin)
    size = raw.get("household_size")
    if not isinstance(size, (int, float)) or size <= 0:
        raise ProfileError(f"{origin}: household_size must be a positive number")
    metrics = frozenset(c.metric for b in village for c in b.conditions)
    return Profile(
        name=raw.get("name", origin),
        description=raw.get("description", ""),
        source=raw.get("source", ""),
        household_size=float(size),
        village=village,
        town=town,
        cluster_distance_km=raw.get("cluster_distance_km"),
        cluster_min_size=int(raw.get("cluster_min_size", 2)),
        note=raw.get("note", ""),
        metrics=metrics,
        method=method,
        evidence=evidence,
        spatial=spatial,
    )
