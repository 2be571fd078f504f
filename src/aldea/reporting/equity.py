"""Who benefits: the programme's equity figures, on each participant's *net* gain.

A participant's net gain is its own change in monthly online sales from the month before its
village launched, less the comparison group's change over the same months, averaged over its
months since the launch (``aldea.analytics.impact.gain_concentration``; the mean of the net
gains of one launch cohort is that cohort's impact estimate). It is in the programme's
currency a month. Gains can be negative: they count in the Gini and the Lorenz curve and are
left out of Theil and Atkinson, which are defined for positive values only (decision A5).
Beside them: the concentration index of the net gains ranked by baseline sales, and the
change in inequality of sales among participants against the comparison group, both with
bootstrap intervals (docs/decisions.md P2).
"""

import ibis
import pandas as pd
from django.db import transaction
from django.utils import timezone

from aldea.analytics import inequality_summary
from aldea.analytics.impact import ImpactInputError, gain_concentration, inequality_change
from aldea.programmes.models import EquityReport, Programme
from aldea.territories.models import MarginalisationDegree

HIGH_NEED = {MarginalisationDegree.HIGH, MarginalisationDegree.VERY_HIGH}
GAIN_DEFINITION = ("net gain: the participant's change in monthly online sales since the month "
                   "before its village launched, less the comparison group's change over the "
                   "same months, averaged over the months since the launch")
COLUMNS = ["code", "gain", "sex", "is_women_led", "marginalisation", "baseline"]


def gains_frame(gains: dict | None) -> pd.DataFrame:
    """The net gains of ``gain_concentration`` (with the who-benefits columns) as a frame."""
    if not gains:
        return pd.DataFrame(columns=COLUMNS)
    frame = pd.DataFrame({
        "code": gains["code"], "gain": gains["net_gain"], "sex": gains["sex"],
        "is_women_led": [v == "yes" for v in gains["women_led"]],
        "marginalisation": gains["marginalisation"], "baseline": gains["baseline"],
    })
    frame["sex"] = frame["sex"].replace("unknown", "undisclosed")
    return frame[COLUMNS]


def participant_gains(programme: Programme) -> pd.DataFrame:
    """One row per participant MSME in the impact panel: its net gain and characteristics."""
    from aldea.reporting.impact.compute import who_benefits_gains

    return gains_frame(who_benefits_gains(programme))


def compute_equity_figures(programme: Programme, who: dict | None = None) -> dict:
    """The figures the overview's equity panel shows, as a JSON-ready dict.

    ``who`` is the ``who_benefits`` part of an online-sales impact computation when the
    caller has one (the analytics task), so the panel and the estimate share their numbers.
    """
    from aldea.reporting.impact.compute import online_sales_who_benefits

    figures = {"currency": programme.currency, "participants": 0, "gain_definition": GAIN_DEFINITION}
    if who is None:
        who = online_sales_who_benefits(programme)
    if "error" in who:
        figures["error"] = who["error"]
        return figures
    concentration = who.get("concentration", {})
    gains = gains_frame(concentration.get("gains"))
    figures["participants"] = len(gains)
    if gains.empty:
        figures["error"] = concentration.get("error", "no participant has a net gain")
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
        mean_gain=float(gains["gain"].mean()),
        concentration={k: concentration.get(k) for k in ("index", "se", "ci_low", "ci_high", "level", "reps")},
        inequality_change=who.get("inequality"),
    )
    return figures


def net_gain_figures(panel, *, reps: int, control: str = "never", level: float = 0.95) -> dict:
    """Concentration of net gains and the change in inequality for one panel (or why not)."""
    out = {}
    for name, call in (
        ("inequality", lambda: inequality_change(panel, reps=reps, level=level)),
        ("concentration", lambda: gain_concentration(panel, control=control, reps=reps, level=level)),
    ):
        try:
            out[name] = call()
        except ImpactInputError as exc:
            out[name] = {"error": str(exc)}
    return out


def _means(gains: pd.DataFrame, column: str) -> dict:
    grouped = gains.groupby(column)["gain"].agg(["count", "mean", "sum"])
    return {str(k): {"n": int(r["count"]), "mean": float(r["mean"]), "total": float(r["sum"])} for k, r in grouped.iterrows()}


@transaction.atomic
def store_equity_report(programme: Programme, who: dict | None = None) -> EquityReport:
    figures = compute_equity_figures(programme, who)
    return EquityReport.objects.create(
        programme=programme, computed_at=timezone.now(), participants=figures["participants"], figures=figures
    )
