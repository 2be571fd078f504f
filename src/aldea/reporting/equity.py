"""Who benefits: the programme's equity figures, computed by the analytics engine.

A participant's *gain* is the growth of their online sales, annualised and in the programme's
currency: online sales over the last 12 months with data, minus four times their online sales
in the first three months of the programme (the baseline quarter). Gains can be negative;
the engine keeps them for the Gini and the Lorenz curve and leaves them out of the Theil and
Atkinson measures, which are defined for positive values only (see docs/decisions.md).
"""


import ibis
import pandas as pd
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from aldea.analytics import inequality_summary
from aldea.core.months import add_months
from aldea.enterprises.models import Enterprise
from aldea.outcomes.models import OutcomeRecord
from aldea.programmes.models import EquityReport, Programme
from aldea.territories.models import MarginalisationDegree

HIGH_NEED = {MarginalisationDegree.HIGH, MarginalisationDegree.VERY_HIGH}


def participant_gains(programme: Programme) -> pd.DataFrame:
    """One row per participant MSME: gain, owner's sex, women-led flag and marginalisation degree."""
    last_month = (
        OutcomeRecord.objects.filter(enterprise__programme=programme).order_by("-month").values_list("month", flat=True).first()
    )
    columns = ["code", "gain", "sex", "is_women_led", "marginalisation", "baseline", "followup"]
    if last_month is None:
        return pd.DataFrame(columns=columns)
    start = programme.starts_on.replace(day=1)
    baseline_end = add_months(start, 3)
    followup_start = add_months(last_month, -11)
    rows = (
        Enterprise.objects.filter(programme=programme, group=Enterprise.Group.PARTICIPANT)
        .annotate(
            baseline=Sum("outcomes__online_sales", filter=Q(outcomes__month__gte=start, outcomes__month__lt=baseline_end)),
            followup=Sum("outcomes__online_sales", filter=Q(outcomes__month__gte=followup_start)),
        )
        .filter(followup__isnull=False)
        .values_list("code", "owner__sex", "is_women_led", "municipality__marginalisation_degree", "baseline", "followup")
    )
    frame = pd.DataFrame.from_records(
        rows, columns=["code", "sex", "is_women_led", "marginalisation", "baseline", "followup"]
    )
    for column in ("baseline", "followup"):
        frame[column] = frame[column].astype("float64").fillna(0.0)
    frame["gain"] = frame["followup"] - 4 * frame["baseline"]
    frame["sex"] = frame["sex"].fillna("undisclosed")
    frame["marginalisation"] = frame["marginalisation"].replace("", "unknown").fillna("unknown")
    return frame[columns]


def compute_equity_figures(programme: Programme) -> dict:
    """The figures the overview's equity panel shows, as a JSON-ready dict."""
    gains = participant_gains(programme)
    figures = {
        "currency": programme.currency,
        "participants": len(gains),
        "gain_definition": "online sales of the last 12 months minus 4 × online sales of the first 3 months",
    }
    if gains.empty:
        return figures
    table = ibis.memtable(gains)
    overall = inequality_summary(table, "gain")
    by_sex = inequality_summary(table, "gain", group="sex")["decomposition"]
    by_marginalisation = inequality_summary(table, "gain", group="marginalisation")["decomposition"]
    figures.update(
        gini=overall["gini"],
        theil_t=overall["theil_t"],
        theil_l=overall["theil_l"],
        palma=overall["palma"],
        top10_share=overall["top10_share"],
        lorenz=overall["lorenz"],
        excluded=overall["excluded"],
        decomposition_by_sex=by_sex,
        decomposition_by_marginalisation=by_marginalisation,
        women_led_share=float(gains["is_women_led"].mean()),
        high_marginalisation_share=float(gains["marginalisation"].isin(HIGH_NEED).mean()),
        mean_gain_by_sex=_means(gains, "sex"),
        mean_gain_by_marginalisation=_means(gains, "marginalisation"),
        total_gain=float(gains["gain"].sum()),
    )
    return figures


def _means(gains: pd.DataFrame, column: str) -> dict:
    grouped = gains.groupby(column)["gain"].agg(["count", "mean", "sum"])
    return {str(k): {"n": int(r["count"]), "mean": float(r["mean"]), "total": float(r["sum"])} for k, r in grouped.iterrows()}


@transaction.atomic
def store_equity_report(programme: Programme) -> EquityReport:
    figures = compute_equity_figures(programme)
    return EquityReport.objects.create(
        programme=programme, computed_at=timezone.now(), participants=figures["participants"], figures=figures
    )
