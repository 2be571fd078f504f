"""Aldea analytics: find digital villages and measure who benefits.

Django-free. Functions take Ibis tables (or paths, pandas or Arrow for convenience) and
return Ibis expressions; :func:`connect` picks the engine (DuckDB by default, Spark for
scale). Nothing here imports Django or the platform's apps.
"""

from .detect import REASONS, DetectionResult, DuplicateKeyError, MissingColumnsError, detect
from .engines import EngineError, connect, read_table
from .inequality import (
    atkinson,
    concentration_index,
    gini,
    inequality_summary,
    lorenz,
    palma,
    theil_decomposition,
    theil_l,
    theil_t,
    top_share,
)
from .profiles import Profile, load_profile, profile_names
from .rates import load_rates

__all__ = [
    "REASONS",
    "DetectionResult",
    "DuplicateKeyError",
    "EngineError",
    "MissingColumnsError",
    "Profile",
    "atkinson",
    "concentration_index",
    "connect",
    "detect",
    "gini",
    "inequality_summary",
    "load_profile",
    "load_rates",
    "lorenz",
    "palma",
    "profile_names",
    "read_table",
    "theil_decomposition",
    "theil_l",
    "theil_t",
    "top_share",
]
