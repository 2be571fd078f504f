"""What the overview's impact panel shows, from the latest stored ImpactEstimate.

Programme-wide figures: the caller shows them only to those who see the whole programme, and a
subgroup figure over fewer than MINIMUM_GROUP participants or comparison MSMEs is not shown.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from aldea.accounts.models import Sex
from aldea.reporting.impact.compute import is_stale
from aldea.reporting.impact.words import equity_words, impact_words
from aldea.reporting.models import ImpactEstimate
from aldea.territories.models import MarginalisationDegree
from aldea.workspace.figures.overview import MINIMUM_GROUP


def latest_impact(programme, outcome: str = "online_sales") -> ImpactEstimate | None:
    """The latest stored estimate in current prices. One query."""
    return (ImpactEstimate.objects.filter(programme=programme, outcome=outcome, price_index="")
            .order_by("-computed_at").first())


def impact_panel(estimate: ImpactEstimate | None, currency: str) -> dict | None:
    """Sentences, event study and counts of one stored estimate (None: nothing stored yet), and
    whether the data changed since it was computed (``is_stale``)."""
    if estimate is None:
        return None
    stale = is_stale(estimate)
    if estimate.error:
        return {"error": estimate.error, "estimate": estimate, "is_stale": stale}
    result = estimate.result["estimate"]
    words = impact_words(result, outcome=estimate.outcome,
                         currency=currency if result["programme"]["currency"] else "")
    return {
        "estimate": estimate,
        "is_stale": stale,
        "simple": result["overall"]["simple"],
        "level": result["level"],
        "event_study": result["event_study"],
        "sentence": words["impact"],
        "pretrend": words["pretrend"],
        "equity": equity_words(estimate.result.get("who_benefits")),
        "participants": estimate.participants,
        "comparison": estimate.comparison,
        "cluster": result["programme"]["cluster"],
        "subgroups": subgroup_rows(estimate.result.get("who_benefits")),
    }


def subgroup_labels() -> dict:
    return {
        "sex": (_("Owner's sex"), {**dict(Sex.choices), "unknown": _("unknown")}),
        "age_band": (_("Owner's age"), {"under_35": _("under 35"), "35_54": _("35 to 54"),
                                        "55_plus": _("55 and over"), "unknown": _("unknown")}),
        "indigenous": (_("Speaks an indigenous language"), {"yes": _("yes"), "no": _("no"),
                                                            "unknown": _("unknown")}),
        "marginalisation": (_("Marginalisation of the municipality"),
                            {**dict(MarginalisationDegree.choices), "unknown": _("unknown")}),
        "baseline_tercile": (_("Sales before the programme"),
                             {"1": _("lowest third"), "2": _("middle third"), "3": _("highest third")}),
    }


def subgroup_rows(who: dict | None) -> list[dict]:
    """One block per characteristic: its groups' effects and the test that they differ."""
    if not who:
        return []
    blocks = []
    for by, (title, labels) in subgroup_labels().items():
        split = who.get("subgroups", {}).get(by)
        if not split:
            continue
        rows = []
        for group in split["subgroups"]:
            comparison = group["n_units"] - group["n_participants"]
            shown = (group["n_participants"] >= MINIMUM_GROUP and comparison >= MINIMUM_GROUP
                     and group["att"] is not None)
            rows.append({"label": str(labels.get(group["value"], group["value"] or _("unknown"))),
                         "participants": group["n_participants"], "comparison": comparison,
                         "att": group["att"] if shown else None,
                         "ci_low": group["ci_low"] if shown else None,
                         "ci_high": group["ci_high"] if shown else None})
        test = split["equal_effects_test"]
        blocks.append({"key": by, "title": str(title), "rows": rows, "p_value": test["p_value"],
                       "df": test["df"], "note": split.get("note", "")})
    return blocks
