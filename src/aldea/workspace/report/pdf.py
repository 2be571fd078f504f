"""The funder report rendered in one language: HTML from ``workspace/report.html``, then PDF.

WeasyPrint is imported inside :func:`render_pdf`, as for certificates, so the rest of the site
runs on a machine without Pango.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from aldea.programmes.models import VillageStatus
from aldea.reporting.impact.words import (
    digits_for,
    equity_words,
    figure,
    impact_words,
    index_number,
    money,
    outcome_label,
)
from aldea.workspace.charts.programme import STATUS_COLOURS
from aldea.workspace.figures.impact import subgroup_rows
from aldea.workspace.figures.overview import cascade_stages
from aldea.workspace.report import svg
from aldea.workspace.report.content import REPORT_LANGUAGES, ReportData

MEASURES = (("gini", "Gini"), ("theil_t", "Theil T"), ("palma", "Palma"))


def _count(value) -> str:
    return "–" if value is None else number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


def _interval(row: dict) -> dict:
    digits = digits_for(row)
    return {k: money(row.get(key), digits) for k, key in (("att", "att"), ("low", "ci_low"), ("high", "ci_high"))}


def lorenz_points(gains: list[float], steps: int = 20) -> list[tuple[float, float]]:
    """(share of participants, share of net gains) with participants from the smallest gain up."""
    x = np.sort(np.asarray(gains, dtype=float))
    total = x.sum()
    if not len(x) or total == 0:
        return []
    cum = np.cumsum(x) / total
    return [(k / steps, float(cum[max(0, round(k / steps * len(x)) - 1)]) if k else 0.0)
            for k in range(steps + 1)]


def impact_rows(data: ReportData) -> list[dict]:
    rows = []
    for outcome, figures in data.impact.items():
        row = {"outcome": outcome_label(outcome), "key": outcome}
        if "error" in figures:
            rows.append({**row, "error": figures["error"]})
            continue
        est = figures["estimate"]
        unit = data.programme.currency if est["programme"]["currency"] else ""
        rows.append({**row, **_interval(est["overall"]["simple"]), "unit": unit,
                     "dynamic": _interval(est["overall"]["dynamic"]),
                     "twfe": money(est["twfe"]["att"]),
                     "participants": _count(est["programme"]["participants"]),
                     "comparison": _count(est["programme"]["comparison"]),
                     "pretrend_p": est["pretrend"]["p_value"],
                     "sentence": impact_words(est, outcome=outcome, currency=unit)["impact"]})
    return rows


def context(data: ReportData) -> dict:
    """The template's context in the active language."""
    programme = data.programme
    online = data.online
    estimate = online.get("estimate")
    who = online.get("who_benefits")
    words = impact_words(estimate, outcome="online_sales", currency=programme.currency) if estimate else None
    labels = dict(VillageStatus.choices)
    village_points = [(v["point"][0], v["point"][1], STATUS_COLOURS.get(v["status"], "#5b6b70"), v["name"])
                      for v in data.villages if v["point"]]
    statuses = sorted({v["status"] for v in data.villages}, key=list(STATUS_COLOURS).index)
    quality = online.get("data_quality", {})
    months = quality.get("months", [])
    concentration = (who or {}).get("concentration") or {}
    inequality = (who or {}).get("inequality") or {}
    as_of = data.data_as_of
    ctx = {
        "data_as_of": dt.datetime.fromisoformat(as_of) if as_of else None,
        "programme": programme, "data": data, "words": words, "estimate": estimate,
        "simple": _interval(estimate["overall"]["simple"]) if estimate else None,
        "equity_sentence": equity_words(who),
        "impact_rows": impact_rows(data),
        "indicators": [{**i, "value_text": figure(i["value"]), "target_text": figure(i["target"])}
                       for i in data.indicators],
        "cascade": [(label, _count(n)) for label, n in cascade_stages(data.cascade)],
        "cascade_svg": svg.bars(cascade_stages(data.cascade), number=_count,
                                label=_("Training cascade")),
        "villages": [{**v, "status_label": labels.get(v["status"], v["status"])} for v in data.villages],
        "map_svg": svg.village_map(village_points, [(str(labels[s]), STATUS_COLOURS[s]) for s in statuses],
                                   label=_("Map of the programme's villages")),
        "event_svg": svg.line_band(
            [(e["event_time"], e["att"], e["ci_low"], e["ci_high"]) for e in estimate["event_study"]],
            number=figure, x_label=_("Months from the village's launch"),
            y_label=_("Effect a month (%(unit)s)") % {"unit": programme.currency},
            label=_("Event study of online sales")) if estimate else "",
        "subgroups": subgroup_rows(who),
        "inequality": [
            {"name": name, **{g: {k: index_number(v) for k, v in inequality["measures"][key][g].items()
                                  if k in ("before", "after", "change", "value", "ci_low", "ci_high")}
                              for g in ("participants", "comparison", "difference")}}
            for key, name in MEASURES if key in inequality.get("measures", {})
        ],
        "concentration": {k: index_number(concentration.get(k)) for k in ("index", "ci_low", "ci_high")}
        if "index" in concentration else None,
        "mean_net_gain": money(concentration.get("mean_net_gain")) if "index" in concentration else None,
        "lorenz_svg": svg.lorenz(lorenz_points(concentration.get("gains", {}).get("net_gain", [])),
                                 x_label=_("Share of participants"), y_label=_("Share of net gains"),
                                 label=_("Lorenz curve of net gains")) if "index" in concentration else "",
        "quality": quality,
        "quality_months": [{**m, "participants": _count(m["participants"]), "comparison": _count(m["comparison"]),
                            "estimated": _count(m["estimated"])} for m in months],
        "quality_svg": svg.columns(
            [m["month"] for m in months],
            [(_("Participants"), [m["participants"] for m in months], svg.ACCENT),
             (_("Comparison group"), [m["comparison"] for m in months], svg.SECOND)],
            label=_("MSMEs reporting each month")),
        "count": _count,
    }
    return ctx


def render_html(data: ReportData, language: str) -> str:
    code = REPORT_LANGUAGES.get(language, language)
    with translation.override(code):
        return render_to_string("workspace/report.html", context(data))


def render_pdf(data: ReportData, language: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(data, language)).write_pdf()
