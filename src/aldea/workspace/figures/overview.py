"""The figures of the programme overview and the village page, as plain numbers.

Each function takes querysets the caller has already scoped (or the user, and scopes them with
the apps' ``queries.py``) and returns plain values; the charts in ``aldea.workspace.charts`` draw
them. A page and its tests compute the same thing, and the numbers can be checked by hand.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from aldea.accounts.models import Sex
from aldea.accounts.queries import sees_whole
from aldea.consulting.models import Engagement, Stage, StageChange
from aldea.core.months import add_months
from aldea.enterprises.models import Enterprise
from aldea.enterprises.queries import enterprises_visible_to, participants_of_village
from aldea.outcomes.models import Listing, OutcomeRecord
from aldea.outcomes.queries import OutcomeScope, outcome_records_visible_to, outcome_scope
from aldea.outcomes.rollups import monthly_totals, rollups_in
from aldea.programmes.models import EquityReport, Indicator, IndicatorTarget, Programme, Village
from aldea.programmes.queries import (
    villages_visible_to,
)
from aldea.reporting.indicators.values import values_of
from aldea.territories.models import MarginalisationDegree
from aldea.training.models import Certificate, CourseLevel
from aldea.training.queries import (
    cascade_for_village,
    cascade_summary_for_village,
    certificates_visible_to,
)
from aldea.workspace.figures import snapshots
from aldea.workspace.models import OverviewSnapshot


def choose_programme(programmes, slug: str | None) -> tuple[Programme | None, list[Programme]]:
    """The programme a page shows (``?programme=slug``, else the first) and all of ``programmes``
    (already scoped) for the switch. One query. An unknown or out-of-scope slug gives None."""
    programmes = list(programmes.select_related("country").order_by("-starts_on", "name"))
    if slug:
        return next((p for p in programmes if p.slug == slug), None), programmes
    return (programmes[0] if programmes else None), programmes


def msme_progress(enterprises) -> dict:
    """Participants, diagnosed, with a live listing, with a first online sale, and their jobs.

    ``enterprises``: a queryset of MSMEs (already scoped). One query. *Diagnosed* = has an
    engagement (an engagement starts at the diagnosis), *listed* = has a live listing,
    *first sale* = an engagement reached the first-sale stage (recorded as a stage change, or
    it stands at first sale or graduated).
    """
    annotated = enterprises.filter(group=Enterprise.Group.PARTICIPANT).annotate(
        is_diagnosed=Exists(Engagement.objects.filter(enterprise=OuterRef("pk"))),
        is_listed=Exists(
            Listing.objects.filter(product__enterprise=OuterRef("pk"), status=Listing.Status.LIVE)
        ),
        # Two EXISTS rather than one over an OR across a join: each can use its index, which
        # keeps the overview fast at 100,000 MSMEs.
        has_sold=Exists(
            Engagement.objects.filter(enterprise=OuterRef("pk"), stage__in=[Stage.FIRST_SALE, Stage.GRADUATED])
        )
        | Exists(StageChange.objects.filter(engagement__enterprise=OuterRef("pk"), to_stage=Stage.FIRST_SALE)),
    )
    totals = annotated.aggregate(
        participants=Count("id"),
        diagnosed=Count("id", filter=Q(is_diagnosed=True)),
        listed=Count("id", filter=Q(is_listed=True)),
        first_sale=Count("id", filter=Q(has_sold=True)),
        jobs=Sum("employees"),
    )
    totals["jobs"] = totals["jobs"] or 0
    return totals


def certified_people(certificates) -> dict:
    """Distinct people holding a valid trainer or consultant certificate. One query."""
    valid = certificates.filter(revoked_at__isnull=True)
    return valid.aggregate(
        trainers=Count(
            "enrolment__person",
            distinct=True,
            filter=Q(enrolment__cohort__course__level=CourseLevel.TRAINER),
        ),
        consultants=Count(
            "enrolment__person",
            distinct=True,
            filter=Q(enrolment__cohort__course__level=CourseLevel.CONSULTANT),
        ),
    )


@dataclass
class MonthlySales:
    """Online sales per month and group (participant, comparison): total, and MSMEs reporting."""

    months: list[datetime.date] = field(default_factory=list)
    totals: dict[str, list[Decimal]] = field(default_factory=dict)
    reporting: dict[str, list[int]] = field(default_factory=dict)
    # When the monthly roll-ups these come from were built (aldea.outcomes.rollups); None: read
    # from the records just now.
    as_of: datetime.datetime | None = None

    def mean(self, group: str) -> list[float | None]:
        return [
            float(t) / n if n else None
            for t, n in zip(self.totals[group], self.reporting[group], strict=True)
        ]

    @property
    def last_12_months_start(self) -> datetime.date | None:
        """First month of the 12 calendar months ending with the last month with data."""
        if not self.months:
            return None
        return add_months(self.months[-1], -11)

    def last_12_months(self, group: str = Enterprise.Group.PARTICIPANT) -> Decimal:
        """The group's online sales over the 12 calendar months ending with the last month with data."""
        start = self.last_12_months_start
        return sum(
            (
                t
                for m, t in zip(self.months, self.totals.get(group, []), strict=False)
                if m >= start
            ),
            Decimal(0),
        )


def _sales_by_month(rows, by_month=None) -> dict:
    """month → group → (online sales, MSMEs reporting), adding ``rows`` of (month, group, total, n)."""
    by_month = by_month if by_month is not None else defaultdict(dict)
    for month, group, total, n in rows:
        before = by_month[month].get(group, (Decimal(0), 0))
        by_month[month][group] = (before[0] + (total or Decimal(0)), before[1] + n)
    return by_month


def _monthly_sales_of(by_month: dict) -> MonthlySales:
    result = MonthlySales(months=sorted(by_month))
    for group in Enterprise.Group.values:
        result.totals[group] = [by_month[m].get(group, (Decimal(0), 0))[0] for m in result.months]
        result.reporting[group] = [
            by_month[m].get(group, (Decimal(0), 0))[1] for m in result.months
        ]
    return result


def _record_rows(outcomes):
    return (
        outcomes.values_list("month", "enterprise__group")
        .annotate(total=Sum("online_sales"), n=Count("*"))
        .order_by("month")
    )


def monthly_sales(outcomes) -> MonthlySales:
    """``outcomes``: a scoped OutcomeRecord queryset. One query."""
    return _monthly_sales_of(_sales_by_month(_record_rows(outcomes)))


def monthly_sales_from_rollups(programme: Programme, scope: OutcomeScope) -> MonthlySales | None:
    """``monthly_sales`` of the records ``scope`` covers, from the monthly roll-ups, with the
    time they are as of; None when the roll-ups hold none of them (read the records). One query,
    and one for the scope's MSMEs outside its villages (a consultant's engagements elsewhere)."""
    rollups = rollups_in(programme.id, village_ids=None if scope.whole else scope.village_ids)
    rows = monthly_totals(rollups, by=("group",))
    if not rows:
        return None
    by_month = _sales_by_month((r["month"], r["group"], r["sum_online_sales"], r["n"]) for r in rows)
    if scope.extra is not None:
        _sales_by_month(_record_rows(OutcomeRecord.objects.filter(enterprise__in=scope.extra)), by_month)
    sales = _monthly_sales_of(by_month)
    sales.as_of = min(r["first_computed_at"] for r in rows)
    return sales


@dataclass
class Tile:
    """One headline indicator of the programme, against its current target."""

    key: str
    label: str
    value: Decimal | None
    unit: str = ""
    target: Decimal | None = None
    is_money: bool = False
    is_ascending: bool = True
    # The period the value covers: (first day, last day).
    period: tuple[datetime.date, datetime.date] | None = None
    shows_period: bool = False
    indicator_id: int | None = None

    @property
    def percent(self) -> float | None:
        """Progress towards the target, 0–100 (capped for the bar)."""
        if not self.target or self.value is None:
            return None
        return min(100.0, float(self.value) * 100 / float(self.target))


def current_target(targets: list[IndicatorTarget], *, village_ids, today: datetime.date):
    """(target, period start, period end) of one indicator to show, or None.

    Whole programme (``village_ids`` None): the programme-level target of the latest period that
    has started (the first one if none has). Otherwise the latest targets of the user's
    villages, summed when they cover the same period.
    """
    if village_ids is None:
        rows = sorted((t for t in targets if t.village_id is None), key=lambda t: t.period_start)
        if not rows:
            return None
        started = [t for t in rows if t.period_start <= today]
        chosen = started[-1] if started else rows[0]
        return chosen.target, chosen.period_start, chosen.period_end
    latest: dict[int, IndicatorTarget] = {}
    for row in targets:
        if row.village_id in village_ids and (
            row.village_id not in latest or row.period_start > latest[row.village_id].period_start
        ):
            latest[row.village_id] = row
    periods = {(t.period_start, t.period_end) for t in latest.values()}
    if len(periods) != 1:
        return None
    start, end = periods.pop()
    return sum((t.target for t in latest.values()), Decimal(0)), start, end


def _indicators_with_targets(programme: Programme, *, headline_only: bool) -> tuple[list[Indicator], dict]:
    """The programme's indicators in their order, and indicator id → its targets: one query (a
    LEFT JOIN read as rows, where a prefetch would take two)."""
    indicator_fields = [f.attname for f in Indicator._meta.concrete_fields]
    target_fields = [f.attname for f in IndicatorTarget._meta.concrete_fields if f.attname != "indicator_id"]
    rows = programme.indicators.all()
    if headline_only:
        rows = rows.filter(is_headline=True)
    indicators: dict[int, Indicator] = {}
    targets: dict[int, list[IndicatorTarget]] = {}
    rows = rows.order_by("position", "code", "targets__period_start", "targets__id")
    for row in rows.values_list(*indicator_fields, *(f"targets__{name}" for name in target_fields)):
        values = dict(zip(indicator_fields, row[:len(indicator_fields)], strict=True))
        if values["id"] not in indicators:
            indicators[values["id"]] = Indicator(**values)
            targets[values["id"]] = []
        target = dict(zip(target_fields, row[len(indicator_fields):], strict=True))
        if target["id"] is not None:
            targets[values["id"]].append(IndicatorTarget(indicator_id=values["id"], **target))
    return list(indicators.values()), targets


def indicator_tiles(programme: Programme, *, village_ids, today: datetime.date, headline_only: bool = True,
                    known: dict | None = None) -> list[Tile]:
    """The programme's headline indicators (all of them for the funder report), valued from live
    data over each one's current target period (or from the programme's start to today), as the
    user sees them (``village_ids``: None for the whole programme). Two queries (the
    indicators with their targets, and ``values_of``'s union of facts), one for the outcome
    roll-ups, and one per *latest* indicator they do not answer.

    ``known``: values already counted (``tile_values``, from a snapshot); only the indicators it
    does not hold for the same period are valued again."""
    indicators, targets = _indicators_with_targets(programme, headline_only=headline_only)
    chosen, periods = {}, {}
    for indicator in indicators:
        target = chosen[indicator.pk] = current_target(targets[indicator.pk], village_ids=village_ids, today=today)
        start, end = (target[1], target[2]) if target else (programme.starts_on, today)
        periods[indicator.pk] = (start, min(end, today))
    values = {pk: value for pk, value in _read_tile_values(known or {}).items()
              if pk in periods and value[0] == periods[pk]}
    missing = [indicator for indicator in indicators if indicator.pk not in values]
    if missing:
        counted = values_of(missing, periods, village_ids=village_ids)
        values.update({i.pk: (periods[i.pk], counted[i.pk][0].value) for i in missing})
    return [
        Tile(
            key=indicator.code,
            label=indicator.name,
            value=values[indicator.pk][1],
            unit=indicator.unit,
            target=chosen[indicator.pk][0] if chosen[indicator.pk] else None,
            is_money=indicator.is_money,
            is_ascending=indicator.is_ascending,
            period=periods[indicator.pk],
            shows_period=indicator.period_type in (Indicator.PeriodType.FLOW, Indicator.PeriodType.LATEST),
            indicator_id=indicator.pk,
        )
        for indicator in indicators
    ]


def tile_values(tiles: list[Tile]) -> dict:
    """The tiles' values as JSON (indicator id → [start, end, value]), for a snapshot."""
    return {
        str(t.indicator_id): [t.period[0].isoformat(), t.period[1].isoformat(), None if t.value is None else str(t.value)]
        for t in tiles
    }


def _read_tile_values(known: dict) -> dict:
    return {
        int(pk): ((datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)),
                  None if value is None else Decimal(value))
        for pk, (start, end, value) in known.items()
    }


@dataclass
class Overview:
    programme: Programme
    villages: list[Village]
    values: dict
    tiles: list[Tile]
    sales: MonthlySales
    equity: EquityReport | None
    whole_programme: bool
    # When the counts (values and tiles) were computed, if they come from a
    # snapshot (aldea.workspace.figures.snapshots); None: counted on this view.
    counts_as_of: datetime.datetime | None = None


def overview_counts(user, programme: Programme, *, whole: bool, village_ids,
                    today: datetime.date) -> tuple[dict, list[Tile]]:
    """The overview's slow counts, as JSON: the cascade funnel's stages and the headline tiles'
    values (``tile_values``); and the tiles. At
    100,000 MSMEs these read every participant and certificate, which is why they may be kept
    (``snapshots``)."""
    # Whoever sees the whole programme needs no per-record scoping: the programme filter is the
    # scope, and the scoping subquery would cost a second pass at 100,000 MSMEs.
    enterprises, certificates = (
        (Enterprise.objects, Certificate.objects) if whole
        else (enterprises_visible_to(user), certificates_visible_to(user))
    )
    progress = msme_progress(enterprises.filter(programme=programme))
    certified = certified_people(certificates.filter(enrolment__cohort__course__programme=programme))
    tiles = indicator_tiles(programme, village_ids=None if whole else village_ids, today=today)
    return {
        "values": {
            "certified_trainers": certified["trainers"],
            "certified_consultants": certified["consultants"],
            "participants": progress["participants"],
            "msmes_diagnosed": progress["diagnosed"],
            "msmes_listed": progress["listed"],
            "msmes_first_sale": progress["first_sale"],
            "jobs": progress["jobs"],
        },
        "tiles": tile_values(tiles),
    }, tiles


def programme_overview(user, programme: Programme, *, today: datetime.date) -> Overview:
    """Everything the overview shows for ``programme`` as the user sees it. Six queries and
    those of ``indicator_tiles`` and the counts: one when a snapshot serves them (``snapshots``),
    else those of ``overview_counts``. Sales come from the monthly roll-ups when they are built."""
    villages = list(
        villages_visible_to(user)
        .filter(programme=programme)
        .select_related("municipality__parent", "locality")
        .annotate(msmes=participants_of_village())
        .order_by("name")
    )
    village_ids = {v.id for v in villages}
    whole = sees_whole(user, programme.id)
    counted: dict[str, list[Tile]] = {}  # the tiles, when counted on this view

    def count():
        figures, counted["tiles"] = overview_counts(user, programme, whole=whole, village_ids=village_ids,
                                                    today=today)
        return figures

    counts = snapshots.counts_for(programme, snapshots.scope_of(user, whole=whole), today=today, compute=count,
                                  participants=sum(v.msmes for v in villages))
    sales = monthly_sales_from_rollups(programme, outcome_scope(user, programme.id))
    if sales is None:
        outcomes = OutcomeRecord.objects if whole else outcome_records_visible_to(user)
        sales = monthly_sales(outcomes.filter(enterprise__programme=programme))
    equity = EquityReport.objects.filter(programme=programme).order_by("-computed_at").first()
    return Overview(
        programme=programme,
        villages=villages,
        values=counts.figures["values"],
        tiles=counted["tiles"] if "tiles" in counted else indicator_tiles(
            programme, village_ids=None if whole else village_ids, today=today, known=counts.figures["tiles"]),
        sales=sales,
        equity=equity,
        whole_programme=whole,
        counts_as_of=counts.as_of,
    )


def refresh_snapshot(programme_id: int, scope: str) -> bool:
    """Count ``scope``'s view of a programme again and keep it (the worker's task, and
    ``aldea refresh_overviews``). False when the programme, or the scope's user or village, is gone."""
    from aldea.accounts.models import User

    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None:
        return False
    today = timezone.localdate()
    village_id, user_id = snapshots.parse_scope(scope)
    user = User.objects.filter(pk=user_id).first() if user_id else None
    village = Village.objects.filter(pk=village_id, programme=programme).first() if village_id else None
    if (user_id and user is None) or (village_id and village is None):
        OverviewSnapshot.objects.filter(programme=programme, scope=scope).delete()
        return False
    if village is not None:
        snapshots.store_counts(programme, scope, today=today, compute=lambda: village_counts(user, village))
        return True
    if user is None:
        whole, village_ids = True, None
    else:
        whole = sees_whole(user, programme.id)
        village_ids = set(villages_visible_to(user).filter(programme=programme).values_list("id", flat=True))
    snapshots.store_counts(programme, scope, today=today, compute=lambda: overview_counts(
        user, programme, whole=whole, village_ids=village_ids, today=today)[0])
    return True


def refresh_snapshots(programme: Programme) -> list[str]:
    """Count the programme's kept views again, and the whole view of the programme and of each
    village large enough to be kept: after a bulk load or an analytics run, so the first view is
    quick. The scopes done."""
    from django.conf import settings

    scopes = set(OverviewSnapshot.objects.filter(programme=programme).values_list("scope", flat=True))
    participants = Enterprise.objects.filter(programme=programme, group=Enterprise.Group.PARTICIPANT).count()
    if participants >= settings.OVERVIEW_SNAPSHOT_MSMES:
        scopes.add(OverviewSnapshot.WHOLE)
    large_villages = Village.objects.filter(programme=programme).annotate(msmes=participants_of_village()).filter(
        msmes__gte=settings.OVERVIEW_SNAPSHOT_MSMES)
    scopes |= {snapshots.village_scope(None, village, whole=True) for village in large_villages}
    return [scope for scope in sorted(scopes) if refresh_snapshot(programme.id, scope)]


def cascade_stages(values: dict) -> list[tuple[str, int]]:
    return [
        (_("Certified trainers"), values["certified_trainers"]),
        (_("Certified consultants"), values["certified_consultants"]),
        (_("MSMEs diagnosed"), values["msmes_diagnosed"]),
        (_("MSMEs listed"), values["msmes_listed"]),
        (_("MSMEs selling online"), values["msmes_first_sale"]),
    ]


# A group mean over fewer MSMEs than this is not shown: with one or two MSMEs it is their own
# figure (the showcase's rule of five, aldea.showcase.figures).
MINIMUM_GROUP = 5


@dataclass
class GroupRow:
    label: str
    n: int
    mean: float | None  # None: too few MSMEs to show
    share_of_gain: float | None


def _group_rows(means: dict, labels: dict, order: list[str]) -> list[GroupRow]:
    total = sum(group["total"] for group in means.values())
    keys = sorted(means, key=lambda k: (order.index(k) if k in order else len(order), k))
    rows = []
    for k in keys:
        shown = means[k]["n"] >= MINIMUM_GROUP
        rows.append(GroupRow(
            label=str(labels.get(k, _("unknown"))),
            n=means[k]["n"],
            mean=means[k]["mean"] if shown else None,
            share_of_gain=(means[k]["total"] / total) if total and shown else None,
        ))
    return rows


def equity_panel(figures: dict) -> dict:
    """What the equity panel shows, from ``EquityReport.figures``."""
    if not figures.get("participants"):
        return {"empty": True, "error": figures.get("error", "")}
    sex_labels = dict(Sex.choices)
    degree_labels = dict(MarginalisationDegree.choices)
    by_sex = figures.get("decomposition_by_sex", {}).get("theil_t", {})
    return {
        "empty": False,
        "participants": figures["participants"],
        "currency": figures.get("currency", ""),
        "women_led_share": figures.get("women_led_share"),
        "high_marginalisation_share": figures.get("high_marginalisation_share"),
        "gini": figures.get("gini"),
        "theil_t": figures.get("theil_t"),
        "between_sex_share": (by_sex["between"] / by_sex["total"]) if by_sex.get("total") else None,
        "by_sex": _group_rows(figures.get("mean_gain_by_sex", {}), sex_labels, list(Sex.values)),
        "by_marginalisation": _group_rows(
            figures.get("mean_gain_by_marginalisation", {}),
            degree_labels,
            list(MarginalisationDegree.values),
        ),
    }


@dataclass
class TrainerReach:
    name: str
    consultants: int
    msmes: int


@dataclass
class VillageCascade:
    trainers: list[TrainerReach]
    trainer_count: int
    consultant_count: int
    msme_count: int


def village_counts(user, village: Village) -> dict:
    """The village page's slow counts, as JSON: its MSMEs' progress (``msme_progress``) and its
    cascade per trainer, counted in the database, as ``user`` sees them (None: the whole
    village). Four queries; kept as a snapshot for a large village (``snapshots``)."""
    whole = user is None or sees_whole(user, village.programme_id)
    enterprises = (Enterprise.objects if whole else enterprises_visible_to(user)).filter(village=village)
    trainers, totals = cascade_summary_for_village(village, enterprises=None if whole else enterprises)
    return {
        "progress": msme_progress(enterprises),
        "trainers": [[t.trainer_name, t.consultants, t.msmes] for t in trainers],
        "consultants": totals["consultants"],
        "msmes": totals["msmes"],
    }


def village_cascade_of(counts: dict) -> VillageCascade:
    """The cascade of ``village_counts``."""
    trainers = [TrainerReach(*row) for row in counts["trainers"]]
    return VillageCascade(trainers=trainers, trainer_count=len(trainers), consultant_count=counts["consultants"],
                          msme_count=counts["msmes"])


def village_cascade(village: Village, *, enterprises=None) -> VillageCascade:
    """Who trained whom and served which MSME in the village, summarised per trainer, through
    ``enterprises`` (the MSMEs the viewer sees; all when None). One query."""
    links = cascade_for_village(village, enterprises=enterprises)
    consultants: dict[int, set] = defaultdict(set)
    msmes: dict[int, set] = defaultdict(set)
    names = {}
    for link in links:
        names[link.trainer_id] = link.trainer_name
        consultants[link.trainer_id].add(link.consultant_id)
        msmes[link.trainer_id].add(link.enterprise_code)
    trainers = sorted(
        (TrainerReach(names[t], len(consultants[t]), len(msmes[t])) for t in names),
        key=lambda r: (-r.msmes, r.name),
    )
    return VillageCascade(
        trainers=trainers,
        trainer_count=len(names),
        consultant_count=len({link.consultant_id for link in links}),
        msme_count=len({link.enterprise_code for link in links}),
    )

