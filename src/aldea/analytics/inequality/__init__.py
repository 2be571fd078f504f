"""Inequality measures computed inside the engine (one module per measure).

Every function takes an Ibis table, the value column and optionally a weight column, and
returns an Ibis expression (or, for decompositions and the summary, a small dict built
from an aggregated result). See each module for units, an example and a citation.
"""

from .atkinson import atkinson
from .concentration import concentration_index
from .decomposition import theil_decomposition
from .gini import gini
from .lorenz import lorenz
from .palma import palma, top_share
from .summary import EPSILONS, inequality_summary
from .theil import theil_l, theil_t

__all__ = [
    "EPSILONS",
    "atkinson",
    "concentration_index",
    "gini",
    "inequality_summary",
    "lorenz",
    "palma",
    "theil_decomposition",
    "theil_l",
    "theil_t",
    "top_share",
]
