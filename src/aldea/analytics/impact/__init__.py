"""What did the programme cause, and for whom: staggered-adoption impact estimates.

Django-free. :func:`estimate_impact` computes the group-time average treatment effects
of Callaway & Sant'Anna (2021) with the defaults of the authors' R package ``did``, their
aggregations, cluster-robust standard errors and a pre-trend test, and two-way fixed
effects beside them for comparison. The panel is built and checked in the engine (Ibis).
See docs/data-contracts.md for the command and its JSON, docs/decisions.md for choices.
"""

from .equity import gain_concentration, inequality_change, subgroup_effects
from .estimate import DEFAULT_SEED, METHOD, ImpactResult, estimate_impact, estimate_panel
from .panel import ImpactInputError, Panel, load_panel, msme_month_panel, panel_from_arrays
from .sentence import equity_sentence, first_lasting_month, impact_sentence, pretrend_sentence

__all__ = [
    "DEFAULT_SEED",
    "METHOD",
    "ImpactInputError",
    "ImpactResult",
    "Panel",
    "equity_sentence",
    "estimate_impact",
    "estimate_panel",
    "first_lasting_month",
    "gain_concentration",
    "impact_sentence",
    "inequality_change",
    "load_panel",
    "msme_month_panel",
    "panel_from_arrays",
    "pretrend_sentence",
    "subgroup_effects",
]
