"""What the programme caused, and for whom: the platform's impact estimates.

:func:`programme_estimate` is what ``aldea impact --programme SLUG --format json`` prints: the
estimator's JSON contract (docs/data-contracts.md) with a ``programme`` block saying how the
panel was built. :func:`who_benefits` adds subgroup effects, the change in inequality and the
concentration of the net gains. :func:`store_impact_estimates` (the analytics task) stores one
:class:`~aldea.reporting.models.ImpactEstimate` per outcome, with its data snapshot.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from aldea.accounts.models import Person
from aldea.analytics.impact import (
    DEFAULT_SEED,
    ImpactInputError,
    ImpactResult,
    estimate_panel,
    subgroup_effects,
)
from aldea.enterprises.models import Enterprise
from aldea.outcomes.models import OutcomeRecord
from aldea.programmes.models import Programme, Village
from aldea.reporting.equity import net_gain_figures, store_equity_report
from aldea.reporting.impact.panel import (
    OUTCOMES,
    SUBGROUPS,
    ProgrammeImpactError,
    ProgrammePanel,
    programme_panel,
)
from aldea.reporting.models import ImpactEstimate

TREATMENT = "village launch"
#: Bootstrap replicates for the inequality and concentration intervals: 999 as the analytics'
#: default on small programmes, fewer on large ones so replicates x MSMEs stays near 2e7
#: (about 160 MB of weights).
MAX_REPLICATES, MIN_REPLICATES, REPLICATE_CELLS = 999, 199, 20_000_000


def replicates_for(n_units: int) -> int:
    return max(MIN_REPLICATES, min(MAX_REPLICATES, REPLICATE_CELLS // max(n_units, 1)))


def programme_estimate(
    programme: Programme,
    *,
    outcome: str = "online_sales",
    deflate: str | None = None,
    period: tuple[dt.date, dt.date] | None = None,
    control: str = "never",
    level: float = 0.95,
    anticipation: int = 0,
    bootstrap: int = 0,
    seed: int = DEFAULT_SEED,
    cluster: str | None = None,
    covariates: tuple[str, ...] = (),
) -> tuple[dict, ProgrammePanel, ImpactResult]:
    """(the JSON of the estimate, the panel it came from, the estimator's result). ``cluster``
    and ``covariates`` name columns of the programme panel (``panel.CLUSTERS``,
    ``panel.COVARIATES``). Raises ProgrammeImpactError or ImpactInputError with the reason when
    the data cannot give one."""
    built = programme_panel(programme, outcome=outcome, deflate=deflate, period=period, cluster=cluster,
                            covariates=covariates)
    result = estimate_panel(built.panel, control=control, level=level, anticipation=anticipation,
                            bootstrap=bootstrap, seed=seed)
    out = result.to_dict()
    p = built.panel
    out["programme"] = {
        "slug": programme.slug,
        "currency": programme.currency if built.is_money else None,
        "outcome": outcome,
        "treatment_starts": TREATMENT,
        "cluster": built.cluster,
        "covariates": list(built.covariates),
        "deflator": built.deflator.describe() if built.deflator else None,
        "period": {"first": built.period[0], "last": built.period[1]},
        "rows_read": built.rows_read,
        "msmes_read": built.msmes_read,
        "participants": int((p.cohort > 0).sum()),
        "comparison": int((p.cohort == 0).sum()),
        "snapshot_hash": built.snapshot_hash,
        "notes": list(built.notes),
    }
    return out, built, result


def who_benefits(built: ProgrammePanel, *, control: str = "never", level: float = 0.95) -> dict:
    """Subgroup effects (with the test that they differ), the change in inequality
    (participants against the comparison group) and the concentration of net gains."""
    panel = built.panel
    reps = replicates_for(panel.n_units)
    out = {"subgroups": {}, "replicates": reps}
    unclustered = None
    for by in SUBGROUPS:
        effects = subgroup_effects(panel, by, control=control, level=level)
        if panel.cluster is not None and any("cluster" in (g.get("reason") or "")
                                             for g in effects["subgroups"]):
            # A subgroup spans too few municipalities for clustered errors: the whole split
            # is estimated with errors by MSME instead (one cluster space for its test).
            if unclustered is None:
                unclustered = panel.subset(np.arange(panel.n_units))
                unclustered.cluster = unclustered.cluster_labels = None
            effects = subgroup_effects(unclustered, by, control=control, level=level)
            effects["cluster"] = "msme"
            effects["note"] = ("too few municipalities within some subgroups: standard errors "
                               "of this split are clustered on the MSME")
        else:
            effects["cluster"] = built.cluster
        out["subgroups"][by] = effects
    out.update(net_gain_figures(panel, reps=reps, control=control, level=level))
    gains = out["concentration"].get("gains")
    if gains:
        index = {unit: i for i, unit in enumerate(panel.units)}
        rows = [index[u] for u in gains["unit"]]
        for column in ("code", "sex", "marginalisation", "women_led"):
            values = panel.unit_columns[column]
            gains[column] = [values[i] for i in rows]
    return out


def data_quality(programme: Programme, built: ProgrammePanel | None,
                 period: tuple[dt.date, dt.date] | None = None) -> dict:
    """MSMEs reporting per month and group, records estimated by the field team, missing
    employee counts, and what the panel left out. One query."""
    records = OutcomeRecord.objects.filter(enterprise__programme=programme)
    if period:
        records = records.filter(month__gte=period[0], month__lte=period[1])
    rows = list(records.values("month").order_by("month").annotate(
        participants=Count("id", filter=Q(enterprise__group=Enterprise.Group.PARTICIPANT)),
        comparison=Count("id", filter=Q(enterprise__group=Enterprise.Group.COMPARISON)),
        estimated=Count("id", filter=Q(source=OutcomeRecord.Source.ESTIMATE)),
        no_employees=Count("id", filter=Q(employees__isnull=True)),
        last_change=Max("updated_at"),
    ))
    months = [{"month": r["month"].isoformat()[:7], "participants": r["participants"],
               "comparison": r["comparison"], "estimated": r["estimated"],
               "no_employees": r["no_employees"]} for r in rows]
    last_change = max((r["last_change"] for r in rows), default=None)
    out = {"months": months,
           "records": sum(m["participants"] + m["comparison"] for m in months),
           "estimated": sum(m["estimated"] for m in months),
           "no_employees": sum(m["no_employees"] for m in months),
           "data_as_of": last_change.isoformat() if last_change else None}
    if built is not None:
        out.update(msmes_read=built.msmes_read, msmes_used=built.panel.n_units,
                   dropped=dict(built.panel.dropped), notes=list(built.panel.notes))
    return out


def compute_impact(programme: Programme, *, outcome: str = "online_sales",
                   deflate: str | None = None, period=None, control: str = "never",
                   level: float = 0.95, with_who_benefits: bool | None = None) -> dict:
    """Everything the overview and the report show about one outcome, JSON-ready.

    ``{"estimate": ..., "who_benefits": ..., "data_quality": ...}``, or ``{"error": reason,
    "data_quality": ...}`` when the data cannot give an estimate.
    """
    with_who_benefits = outcome == "online_sales" if with_who_benefits is None else with_who_benefits
    try:
        estimate, built, _result = programme_estimate(programme, outcome=outcome, deflate=deflate,
                                             period=period, control=control, level=level)
    except (ProgrammeImpactError, ImpactInputError) as exc:
        return {"error": str(exc), "data_quality": data_quality(programme, None, period)}
    out = {"estimate": estimate, "data_quality": data_quality(programme, built, period)}
    if with_who_benefits:
        out["who_benefits"] = who_benefits(built, control=control, level=level)
    return out


@transaction.atomic
def store_impact_estimate(programme: Programme, outcome: str = "online_sales", **options) -> ImpactEstimate:
    figures = compute_impact(programme, outcome=outcome, **options)
    estimate = figures.get("estimate", {})
    block = estimate.get("programme", {})
    quality = figures["data_quality"]
    as_of = quality.get("data_as_of")
    return ImpactEstimate.objects.create(
        programme=programme, outcome=outcome, computed_at=timezone.now(),
        price_index=(block.get("deflator") or {}).get("name", ""),
        data_as_of=dt.datetime.fromisoformat(as_of) if as_of else None,
        snapshot_hash=block.get("snapshot_hash", ""),
        rows_read=block.get("rows_read", 0), msmes=estimate.get("n_units", 0),
        participants=block.get("participants", 0), comparison=block.get("comparison", 0),
        error=figures.get("error", ""), result=figures,
    )


def store_impact_estimates(programme: Programme, outcomes=tuple(OUTCOMES)) -> list[ImpactEstimate]:
    """The analytics task's step: one stored estimate per outcome, and the equity report
    from the online-sales estimate's net gains (so the two share their numbers)."""
    stored = [store_impact_estimate(programme, outcome) for outcome in outcomes]
    online = next((s for s in stored if s.outcome == "online_sales"), None)
    if online is not None:
        store_equity_report(programme, online.result.get("who_benefits") or {"error": online.error})
    return stored


def online_sales_who_benefits(programme: Programme) -> dict:
    """Who benefits from online sales, computed now (or ``{"error": reason}``)."""
    figures = compute_impact(programme, outcome="online_sales")
    return figures.get("who_benefits") or {"error": figures.get("error", "")}


def who_benefits_gains(programme: Programme) -> dict | None:
    return online_sales_who_benefits(programme).get("concentration", {}).get("gains")


def latest_estimate(programme: Programme, outcome: str = "online_sales") -> ImpactEstimate | None:
    """The latest stored estimate of ``outcome`` with the analytics task's options (current
    prices, the whole period, never-treated controls, 95 %), fresh or not. One query."""
    return (ImpactEstimate.objects.filter(programme=programme, outcome=outcome, price_index="")
            .order_by("-computed_at").first())


def outcome_records_state(programme: Programme) -> dict:
    """How many outcome records the programme has and when one last changed. One query."""
    return OutcomeRecord.objects.filter(enterprise__programme=programme).aggregate(
        records=Count("id"), last_change=Max("updated_at"))


def is_stale(estimate: ImpactEstimate, state: dict | None = None) -> bool:
    """Whether the data changed since ``estimate`` was stored, so it must be computed again.

    Stale when an outcome record changed after the estimate's ``data_as_of`` (the latest change
    it read), when the number of records differs from the number it read (``rows_read``; the
    data quality's ``records`` when the data gave no estimate): a record deleted, or
    when an MSME, its owner or a village of the programme changed after ``computed_at`` (a
    launch date, a group or an owner's sex moves the panel without touching a record).
    """
    state = state if state is not None else outcome_records_state(estimate.programme)
    read = (estimate.result.get("data_quality") or {}).get("records", estimate.rows_read)
    if state["records"] != read or state["last_change"] != estimate.data_as_of:
        return True
    programme, since = estimate.programme, estimate.computed_at
    return (Enterprise.objects.filter(programme=programme, updated_at__gt=since).exists()
            or Village.objects.filter(programme=programme, updated_at__gt=since).exists()
            or Person.objects.filter(enterprises__programme=programme, updated_at__gt=since).exists())


def fresh_estimate(programme: Programme, outcome: str = "online_sales") -> ImpactEstimate | None:
    """The latest stored estimate of ``outcome`` if the data has not changed since, else None."""
    estimate = latest_estimate(programme, outcome)
    return estimate if estimate is not None and not is_stale(estimate) else None


def impact_figures(programme: Programme, *, outcome: str = "online_sales", period=None) -> tuple[dict, ImpactEstimate | None]:
    """What :func:`compute_impact` gives for the analytics task's options, read from the stored
    estimate when it is fresh (:func:`is_stale`); computed now otherwise, or for a ``period``.

    Returns (the figures, the stored estimate they came from or None when computed now).
    """
    if period is None:
        stored = fresh_estimate(programme, outcome)
        if stored is not None:
            return stored.result, stored
    return compute_impact(programme, outcome=outcome, period=period), None
