"""The demo programme's indicators: the shipped digital-village template, with targets per year
for the programme and for the whole two years per village.

Nothing here is an actual value: every page, export and report computes the indicators from
the generated records (``aldea.reporting.indicators``), as they would for a real programme.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from aldea.programmes.models import IndicatorTarget
from aldea.reporting.indicators.templates import apply_template

TEMPLATE = "digital-villages"
PERIODS = ((dt.date(2024, 1, 1), dt.date(2024, 12, 31)), (dt.date(2025, 1, 1), dt.date(2025, 12, 31)))
WHOLE = (dt.date(2024, 1, 1), dt.date(2025, 12, 31))
# Indicators of the whole programme, with no village targets.
PROGRAMME_ONLY = {"aliados", "convenios"}

# code → targets for (2024, 2025) as a function of planned participants P (programme or
# village), the plan and the village's share of the programme.
TARGETS = {
    "formadores-certificados": lambda p, plan, share: (round(0.9 * sum(plan.trainers) * share),
                                                       round(0.9 * sum(plan.trainers) * share)),
    "consultores-certificados": lambda p, plan, share: (round(0.85 * sum(plan.consultants) * share),
                                                        round(0.9 * sum(plan.consultants) * share)),
    "mipymes-diagnosticadas": lambda p, plan, share: (round(0.8 * p), p),
    "mipymes-publicadas": lambda p, plan, share: (round(0.4 * p), round(0.7 * p)),
    "publicaciones-activas": lambda p, plan, share: (2 * p, round(3.5 * p)),
    "mipymes-primera-venta": lambda p, plan, share: (round(0.2 * p), round(0.5 * p)),
    "ventas-en-linea": lambda p, plan, share: (p * 20_000, p * 90_000),
    "mipymes-lideradas-por-mujeres": lambda p, plan, share: (50, 50),
    "recomendaciones-implementadas": lambda p, plan, share: (50, 60),
    "mipymes-exportadoras": lambda p, plan, share: (0, max(1, round(0.05 * p))),
    "aldeas-activas": lambda p, plan, share: (max(1, round(6 * share)), max(1, round(8 * share))),
    "aliados": lambda p, plan, share: (16, 24),
    "convenios": lambda p, plan, share: (8, 12),
    "empleos": lambda p, plan, share: (round(2.0 * p), round(2.4 * p)),
    "tasa-de-abandono": lambda p, plan, share: (20, 25),
}


def create_indicators(programme, villages, plan) -> int:
    """Apply the template, then set the programme's targets per year and the villages' targets
    over the two years. Returns the number of targets."""
    total = sum(plan.participants)
    targets = []
    for indicator in apply_template(programme, TEMPLATE):
        target_for = TARGETS[indicator.code]
        percentage = indicator.unit == "%"
        for (start, end), target in zip(PERIODS, target_for(total, plan, 1.0), strict=True):
            targets.append(IndicatorTarget(indicator=indicator, village=None, period_start=start, period_end=end,
                                           baseline=None if percentage else Decimal(0), target=target))
        if indicator.code in PROGRAMME_ONLY:
            continue
        for village, planned in zip(villages, plan.participants, strict=True):
            share = planned / total if total else 0
            # A village's two-year target: its 2025 target, or for a flow (sales) its two years' sum.
            target = planned * 110_000 if indicator.code == "ventas-en-linea" else target_for(planned, plan, share)[1]
            targets.append(IndicatorTarget(indicator=indicator, village=village, period_start=WHOLE[0],
                                           period_end=WHOLE[1], baseline=None if percentage else Decimal(0),
                                           target=target))
    IndicatorTarget.objects.bulk_create(targets)
    return len(targets)
