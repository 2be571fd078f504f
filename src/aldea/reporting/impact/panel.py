"""The programme's MSME × month panel, built in the platform's own database through Ibis.

Treatment starts in the month the MSME's village launched (``Village.launched_on``): the
estimate is the effect of the programme arriving in the village on the MSMEs that take part
in it (intention to treat), not of an MSME's own enrolment, whose timing the MSME chooses
(docs/decisions.md P13). Controls are the comparison group's MSMEs and, while their village
has not launched, participants of later villages (``--control not-yet``; by default only
units never treated in the data are controls, as in the R package ``did``). Participants of
a village with no launch date are never treated in the data.

Standard errors are clustered on the MSME's municipality: a village sits in one
municipality, so the cluster is at least as coarse as the level at which the programme is
assigned. With fewer municipalities than the estimator accepts (20) they fall back to the
MSME, and the result says so.

The queries run in the platform's database (SQLite or PostgreSQL, on Django's own
connection, so they see the same transaction); only the panel's rows come back, as Arrow,
into DuckDB, where :func:`aldea.analytics.impact.load_panel` checks and balances them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

import ibis
import numpy as np
from django.db import connection

from aldea.accounts.models import Person
from aldea.analytics import connect
from aldea.analytics.database import open_database
from aldea.analytics.impact import Panel, load_panel, msme_month_panel
from aldea.analytics.impact.estimate import MIN_CLUSTERS
from aldea.analytics.prices import PriceIndex, price_index
from aldea.enterprises.models import Enterprise
from aldea.outcomes.models import OutcomeRecord
from aldea.programmes.models import Programme, Village
from aldea.territories.models import AdministrativeArea, MarginalisationDegree

# outcome name -> (column of OutcomeRecord, in money)
OUTCOMES = {
    "online_sales": ("online_sales", True),
    "total_sales": ("total_sales", True),
    "orders": ("orders", False),
    "jobs": ("employees", False),
}
#: Characteristics of the MSME that "who benefits" splits by, as panel unit columns.
SUBGROUPS = ("sex", "age_band", "indigenous", "marginalisation", "baseline_tercile")
#: Age bands of the owner at the programme's start (the simulation's own bands).
AGE_BANDS = ((0, 35, "under_35"), (35, 55, "35_54"), (55, 200, "55_plus"))
#: What ``--cluster`` may name. ``None`` (no ``--cluster``) is the municipality, falling back to
#: the MSME when there are too few municipalities; a named cluster never falls back.
CLUSTERS = {
    "municipality": "the MSME's municipality (the default)",
    "village": "the MSME's village; an MSME outside any village (the comparison group) is its own cluster",
    "msme": "the MSME itself (no clustering beyond the unit)",
}
#: What ``--covariates`` may name: characteristics of the MSME before the programme, as numbers
#: (the doubly robust estimator takes their base-period values; they do not change over time).
#: An MSME missing one is left out of the estimate (counted in ``dropped``).
COVARIATES = {
    "owner_female": "1 if the owner is a woman, 0 if a man (missing: other or undisclosed, or no owner)",
    "owner_age": "the owner's age in years at the programme's start (missing: no birth year)",
    "indigenous_speaker": "1 if the owner speaks an indigenous language, else 0 (missing: no owner)",
    "is_women_led": "1 if the MSME is women-led, else 0",
    "marginalisation_degree": "the municipality's marginalisation degree, 1 (very low) to 5 (very high)",
    "baseline_sales": "the MSME's mean monthly total sales in the months before the programme's first "
                      "village launch (missing: no record then)",
}


class ProgrammeImpactError(ValueError):
    """The programme's data cannot give an estimate; the message says why."""


@dataclass
class ProgrammePanel:
    """The panel and what it was built from: counts, the deflator, and a content hash."""

    panel: Panel
    outcome: str
    is_money: bool
    deflator: PriceIndex | None
    period: tuple[str, str]
    rows_read: int
    msmes_read: int
    cluster: str  # one of CLUSTERS
    notes: list[str] = field(default_factory=list)
    covariates: tuple[str, ...] = ()

    @property
    def snapshot_hash(self) -> str:
        """SHA-256 of everything the estimate is computed from (values, units, timing, options)."""
        p = self.panel
        h = hashlib.sha256()
        for part in (self.outcome, self.cluster, self.deflator.name if self.deflator else "",
                     self.deflator.base if self.deflator else "", *self.period, *self.covariates):
            h.update(str(part).encode() + b"\0")
        h.update(np.ascontiguousarray(p.periods).tobytes())
        h.update(np.ascontiguousarray(p.cohort).tobytes())
        h.update("\0".join(map(str, p.units)).encode())
        if p.cluster is not None:
            h.update(np.ascontiguousarray(p.cluster).tobytes())
        h.update(np.ascontiguousarray(np.round(p.y, 6)).tobytes())
        if p.covariates is not None:
            h.update(np.ascontiguousarray(np.round(p.covariates, 6)).tobytes())
        return h.hexdigest()


def platform_backend():
    """Ibis on Django's own database connection (so it reads what this transaction sees)."""
    connection.ensure_connection()
    return open_database(connection.connection)


def _tables(con):
    return {name: con.table(model._meta.db_table) for name, model in (
        ("enterprises", Enterprise), ("villages", Village), ("persons", Person),
        ("areas", AdministrativeArea), ("outcomes", OutcomeRecord))}


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """``YYYY-MM..YYYY-MM`` as (first month, last month), each the first day of its month."""
    first, sep, last = (text or "").partition("..")
    try:
        if not sep:
            raise ValueError
        start, end = (dt.date(int(p[:4]), int(p[5:7]), 1) for p in (first.strip(), last.strip())
                      if len(p.strip()) == 7 and p.strip()[4] == "-")
    except ValueError:
        raise ProgrammeImpactError(f"period {text!r}: write it as YYYY-MM..YYYY-MM") from None
    if end < start:
        raise ProgrammeImpactError(f"period {text!r}: the last month is before the first")
    return start, end


def _month(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def enterprise_table(t: dict, programme: Programme, *, with_baseline: bool = False):
    """One row per MSME of the programme: key, treatment start and its characteristics (and
    ``baseline_sales``, :data:`COVARIATES`, when ``with_baseline``)."""
    e = t["enterprises"].filter(t["enterprises"].programme_id == programme.pk)
    v, p, a, o = t["villages"], t["persons"], t["areas"], t["outcomes"]
    vv = v.select(_vid=v.id, _launched=v.launched_on, _vslug=v.slug)
    pp = p.select(_pid=p.id, _sex=p.sex, _birth=p.birth_year, _speaks=p.speaks_indigenous_language)
    aa = a.select(_aid=a.id, _muni=a.code, _degree=a.marginalisation_degree)
    j = (e.left_join(vv, e.village_id == vv._vid).left_join(pp, e.owner_id == pp._pid)
         .left_join(aa, e.municipality_id == aa._aid))
    baseline = ibis.null("float64")
    if with_baseline:
        before = first_launch(programme)
        if before is not None:
            o = o.filter(o.month < before)
        b = o.group_by(_bkey=o.enterprise_id).aggregate(_baseline=o.total_sales.cast("float64").mean())
        j = j.left_join(b, e.id == b._bkey)
        baseline = j._baseline
    start = programme.starts_on.year
    age = start - j._birth.cast("int64")
    band = ibis.null("string")
    for low, high, label in reversed(AGE_BANDS):
        band = ibis.ifelse((age >= low) & (age < high), label, band)
    participant = j.group == Enterprise.Group.PARTICIPANT
    number = ibis.null("float64")
    degree = ibis.cases(*((j._degree == value, i + 1) for i, value in enumerate(MarginalisationDegree.values)),
                        else_=ibis.null("int64"))
    return j.select(
        id=j.id.cast("string"),
        code=j.code,
        treated_from=ibis.ifelse(participant, j._launched, ibis.null("date")),
        municipality=j._muni,
        sex=ibis.ifelse(j._sex.isin(["female", "male"]), j._sex, "unknown"),
        age_band=band.fill_null("unknown"),
        indigenous=ibis.ifelse(j._pid.isnull(), "unknown",
                               ibis.ifelse(j._speaks, "yes", "no")),
        marginalisation=ibis.ifelse(j._degree.isnull() | (j._degree == ""), "unknown", j._degree),
        women_led=ibis.ifelse(j.is_women_led, "yes", "no"),
        village=j._vslug.fill_null("msme:" + j.code),
        # Numbers from casts of booleans and integers, not float literals: PostgreSQL types a
        # literal 1.0 as numeric, which Ibis then reads as a decimal.
        owner_female=ibis.ifelse(j._sex.isin(["female", "male"]),
                                 (j._sex == "female").cast("int32").cast("float64"), number),
        owner_age=age.cast("float64"),
        indigenous_speaker=ibis.ifelse(j._pid.isnull(), number, j._speaks.cast("int32").cast("float64")),
        is_women_led=j.is_women_led.cast("int32").cast("float64"),
        marginalisation_degree=degree.cast("float64"),
        baseline_sales=baseline.cast("float64"),
    )


def first_launch(programme: Programme) -> dt.date | None:
    """The first month one of the programme's villages launched in (None: none has)."""
    first = (Village.objects.filter(programme=programme, launched_on__isnull=False)
             .order_by("launched_on").values_list("launched_on", flat=True).first())
    return None if first is None else dt.date(first.year, first.month, 1)


def _check_names(cluster: str | None, covariates) -> None:
    if cluster is not None and cluster not in CLUSTERS:
        raise ProgrammeImpactError(f"--cluster {cluster!r}: the programme panel has no such column; "
                                   f"cluster on {', '.join(CLUSTERS)}")
    unknown = [c for c in covariates if c not in COVARIATES]
    if unknown:
        raise ProgrammeImpactError(f"--covariates {', '.join(map(repr, unknown))}: the programme panel has no "
                                   f"such column; its covariates are {', '.join(COVARIATES)}")
    if len(set(covariates)) != len(covariates):
        raise ProgrammeImpactError(f"--covariates {','.join(covariates)}: a covariate is named twice")


def programme_panel(
    programme: Programme,
    *,
    outcome: str = "online_sales",
    deflate: str | None = None,
    period: tuple[dt.date, dt.date] | None = None,
    cluster: str | None = None,
    covariates: Sequence[str] = (),
) -> ProgrammePanel:
    """The balanced MSME × month panel of ``programme`` for ``outcome``.

    ``deflate`` names a shipped price index (``inpc-mx``) to express money outcomes in
    prices of the panel's first month; ``period`` (first and last month) restricts the months.
    ``cluster`` names one of :data:`CLUSTERS` (None: the municipality, or the MSME when there
    are too few); ``covariates`` names some of :data:`COVARIATES`.
    Raises :class:`ProgrammeImpactError` (unknown outcome, cluster or covariate, an index that
    misses a month, no data) and :class:`aldea.analytics.impact.ImpactInputError` from the
    panel checks (too few clusters of a named cluster).
    """
    if outcome not in OUTCOMES:
        raise ProgrammeImpactError(f"unknown outcome {outcome!r}: use {', '.join(OUTCOMES)}")
    covariates = tuple(covariates)
    _check_names(cluster, covariates)
    column, is_money = OUTCOMES[outcome]
    con = platform_backend()
    t = _tables(con)
    e = enterprise_table(t, programme, with_baseline="baseline_sales" in covariates)
    o = t["outcomes"]
    o = o.filter(o.enterprise_id.isin(e.select(_id=e.id.cast("int64"))._id))
    if period:
        o = o.filter((o.month >= period[0]) & (o.month <= period[1]))
    o = o.select(enterprise=o.enterprise_id.cast("string"), month=o.month, value=o[column])
    # Counted before min/max: on SQLite, Ibis declares the month non-null and the min of no
    # rows (NULL) would fail the conversion to Arrow.
    if not o.count().to_pyarrow().as_py():
        raise ProgrammeImpactError(f"programme {programme.slug} has no outcome records"
                                   + (" in the period" if period else ""))
    counts = o.aggregate(rows=o.count(), msmes=o.enterprise.nunique(), first=o.month.min(),
                         last=o.month.max()).to_pyarrow().to_pylist()[0]
    first, last = counts["first"], counts["last"]
    deflator = None
    if deflate:
        if not is_money:
            raise ProgrammeImpactError(f"{outcome} is a count: only money outcomes are deflated")
        deflator = price_index(deflate, base=_month(first))
        months, m = [], dt.date(first.year, first.month, 1)
        while m <= last:
            months.append(_month(m))
            m = dt.date(m.year + m.month // 12, m.month % 12 + 1, 1)
        try:
            deflator.require(months)
        except ValueError as exc:
            raise ProgrammeImpactError(str(exc)) from exc
    keep = ["code", "municipality", "sex", "age_band", "indigenous", "marginalisation", "women_led"]
    extra = (["village"] if cluster == "village" else []) + list(covariates)
    arrow = msme_month_panel(e, o, outcome="value", enterprise_key="id", outcome_key="enterprise",
                             keep=keep + extra).to_pyarrow()
    duck = connect("duckdb")
    local = duck.create_table("programme_panel", arrow, temp=True)
    if deflator is not None:
        d = duck.create_table("price_index", deflator.table().to_pyarrow(), temp=True)
        local = local.left_join(d, local.month == d.month).select(
            *[c for c in local.columns if c != "y"], y=local.y / d["index"])
    local = local.rename(**{outcome: "y"})
    panel = load_panel(local, unit="unit", time="month", cohort="cohort", outcome=outcome,
                       cluster=None if cluster == "msme" else cluster or "municipality",
                       covariates=covariates, unit_columns=keep, con=duck)
    notes = []
    if cluster == "village" and any(str(u).startswith("msme:") for u in panel.cluster_labels or ()):
        notes.append("MSMEs outside any village (the comparison group) are each their own cluster")
    if cluster is None and not _clusters_suffice(panel):
        panel.cluster = panel.cluster_labels = None
        panel.columns["cluster"] = None
        cluster = "msme"
        notes.append("too few municipalities for standard errors clustered on them: they are "
                     "clustered on the MSME and may be too narrow if MSMEs of one municipality "
                     "share shocks")
    add_baseline_tercile(panel)
    return ProgrammePanel(panel=panel, outcome=outcome, is_money=is_money, deflator=deflator,
                          period=(_month(first), _month(last)), rows_read=int(counts["rows"]),
                          msmes_read=int(counts["msmes"]), cluster=cluster or "municipality", notes=notes,
                          covariates=covariates)


def _clusters_suffice(panel: Panel) -> bool:
    """Whether the estimator accepts municipality clusters (aldea.analytics.impact.estimate)."""
    codes = panel.cluster
    treated = panel.cohort > 0
    return (len(np.unique(codes)) >= MIN_CLUSTERS and len(np.unique(codes[treated])) >= 2
            and len(np.unique(codes[~treated])) >= 2)


def baseline_window(panel: Panel) -> np.ndarray:
    """The months before the first cohort starts: each MSME's baseline is its mean over them."""
    treated = panel.cohort[panel.cohort > 0]
    if not len(treated):
        return np.ones(len(panel.periods), dtype=bool)
    window = panel.periods < treated.min()
    return window if window.any() else panel.periods == panel.periods[0]


def add_baseline_tercile(panel: Panel) -> None:
    """Each MSME's tercile of baseline outcome (1 lowest), among all MSMEs of the panel."""
    baseline = panel.y[:, baseline_window(panel)].mean(axis=1)
    cuts = np.quantile(baseline, [1 / 3, 2 / 3]) if len(baseline) else [0, 0]
    tercile = 1 + (baseline > cuts[0]).astype(int) + (baseline > cuts[1]).astype(int)
    panel.unit_columns["baseline_tercile"] = [str(t) for t in tercile]
    panel.unit_columns["baseline"] = baseline.tolist()
