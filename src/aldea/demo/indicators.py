"""Indicators of the demo programme, with targets per year (programme) and per village.

Actual values are computed from the generated records with one grouped query per indicator and
period, so they are right at any scale and agree with what the pages and the API show.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, F, Q, Sum

from aldea.consulting.models import ActionItem, Engagement, StageChange
from aldea.enterprises.models import Enterprise
from aldea.outcomes.models import Listing, OutcomeRecord
from aldea.partners.models import Agreement, VillagePartnerRole
from aldea.programmes.models import Indicator, IndicatorTarget, Village
from aldea.training.models import Certificate

PERIODS = ((dt.date(2024, 1, 1), dt.date(2024, 12, 31)), (dt.date(2025, 1, 1), dt.date(2025, 12, 31)))
WHOLE = (dt.date(2024, 1, 1), dt.date(2025, 12, 31))


def _grouped(queryset, village_path: str, value) -> dict:
    return {row["v"]: row["n"] or 0 for row in queryset.values(v=F(village_path)).annotate(n=value).order_by()}


def _certified(level):
    def actual(prog, start, end):
        qs = Certificate.objects.filter(enrolment__cohort__course__programme=prog, enrolment__cohort__course__level=level,
                                        issued_on__lte=end, revoked_at__isnull=True)
        if level == "trainer":
            # Trainer cohorts are national; count them in the trainer's village.
            return _grouped(qs.filter(enrolment__person__memberships__role="trainer",
                                      enrolment__person__memberships__village__isnull=False),
                            "enrolment__person__memberships__village", Count("id")), None
        return _grouped(qs, "enrolment__cohort__village", Count("id")), None
    return actual


def _diagnosed(prog, start, end):
    return _grouped(Engagement.objects.filter(enterprise__programme=prog, started_on__lte=end),
                    "enterprise__village", Count("enterprise", distinct=True)), None


def _listed(prog, start, end):
    live = Listing.objects.filter(product__enterprise__programme=prog, status="live", live_on__lte=end)
    return _grouped(live, "product__enterprise__village", Count("product__enterprise", distinct=True)), None


def _listings(prog, start, end):
    live = Listing.objects.filter(product__enterprise__programme=prog, status="live", live_on__lte=end)
    return _grouped(live, "product__enterprise__village", Count("id")), None


def _first_sale(prog, start, end):
    changes = StageChange.objects.filter(engagement__enterprise__programme=prog, to_stage="first_sale",
                                         changed_at__date__lte=end)
    return _grouped(changes, "engagement__enterprise__village", Count("engagement__enterprise", distinct=True)), None


def _online_sales(prog, start, end):
    records = OutcomeRecord.objects.filter(enterprise__programme=prog, enterprise__group="participant",
                                           month__gte=start, month__lte=end)
    return _grouped(records, "enterprise__village", Sum("online_sales")), None


def _women_led(prog, start, end):
    msmes = Enterprise.objects.filter(programme=prog, group="participant")
    return (_grouped(msmes, "village", Count("id", filter=Q(is_women_led=True))),
            _grouped(msmes, "village", Count("id")))


def _implemented(prog, start, end):
    items = ActionItem.objects.filter(engagement__enterprise__programme=prog, due_on__lte=end)
    return (_grouped(items, "engagement__enterprise__village", Count("id", filter=Q(status="done", completed_on__lte=end))),
            _grouped(items, "engagement__enterprise__village", Count("id")))


def _exporting(prog, start, end):
    records = OutcomeRecord.objects.filter(enterprise__programme=prog, enterprise__group="participant",
                                           export_markets__gt=0, month__lte=end)
    return _grouped(records, "enterprise__village", Count("enterprise", distinct=True)), None


def _dropout(prog, start, end):
    engagements = Engagement.objects.filter(enterprise__programme=prog, started_on__lte=end)
    return (_grouped(engagements, "enterprise__village", Count("id", filter=Q(stage="dropped", closed_on__lte=end))),
            _grouped(engagements, "enterprise__village", Count("id")))


def _active_villages(prog, start, end):
    villages = Village.objects.filter(programme=prog, status__in=["active", "graduated"], launched_on__lte=end)
    return _grouped(villages, "id", Count("id")), None


def _partners(prog, start, end):
    # Organisations with a role in any village, counted once for the programme (key None).
    roles = VillagePartnerRole.objects.filter(village__programme=prog)
    return {None: roles.values("organisation").distinct().count()}, None


def _agreements(prog, start, end):
    # Agreements bind the whole programme: counted under no village (key None).
    active = Agreement.objects.filter(programme=prog, starts_on__lte=end).exclude(status__in=["draft", "terminated"])
    return {None: active.count()}, None


def _jobs(prog, start, end):
    last_month = end.replace(day=1)
    records = OutcomeRecord.objects.filter(enterprise__programme=prog, enterprise__group="participant", month=last_month)
    return _grouped(records, "enterprise__village", Sum("employees")), None


PROGRAMME_ONLY = {"aliados", "convenios"}

# code, name, unit, higher is better, actual, targets for (2024, 2025) as a function of planned
# participants P (programme or village) and the plan.
INDICATORS = (
    ("formadores-certificados", "Formadores (docentes) certificados", "personas", True, _certified("trainer"),
     lambda p, plan, share: (round(0.9 * sum(plan.trainers) * share), round(0.9 * sum(plan.trainers) * share))),
    ("consultores-certificados", "Consultores estudiantes certificados", "personas", True, _certified("consultant"),
     lambda p, plan, share: (round(0.85 * sum(plan.consultants) * share), round(0.9 * sum(plan.consultants) * share))),
    ("mipymes-diagnosticadas", "MIPYMES con diagnóstico de madurez digital", "MIPYMES", True, _diagnosed,
     lambda p, plan, share: (round(0.8 * p), p)),
    ("mipymes-publicadas", "MIPYMES con al menos una publicación activa", "MIPYMES", True, _listed,
     lambda p, plan, share: (round(0.4 * p), round(0.7 * p))),
    ("publicaciones-activas", "Publicaciones activas en canales digitales", "publicaciones", True, _listings,
     lambda p, plan, share: (2 * p, round(3.5 * p))),
    ("mipymes-primera-venta", "MIPYMES con primera venta en línea", "MIPYMES", True, _first_sale,
     lambda p, plan, share: (round(0.2 * p), round(0.5 * p))),
    ("ventas-en-linea", "Ventas en línea de las MIPYMES participantes", "MXN", True, _online_sales,
     lambda p, plan, share: (p * 20_000, p * 90_000)),
    ("mipymes-lideradas-por-mujeres", "MIPYMES lideradas por mujeres", "%", True, _women_led,
     lambda p, plan, share: (50, 50)),
    ("recomendaciones-implementadas", "Recomendaciones del plan de acción implementadas", "%", True, _implemented,
     lambda p, plan, share: (50, 60)),
    ("mipymes-exportadoras", "MIPYMES que exportan", "MIPYMES", True, _exporting,
     lambda p, plan, share: (0, max(1, round(0.05 * p)))),
    ("aldeas-activas", "Aldeas digitales activas", "aldeas", True, _active_villages,
     lambda p, plan, share: (max(1, round(6 * share)), max(1, round(8 * share)))),
    ("aliados", "Instituciones aliadas (hélice triple)", "instituciones", True, _partners,
     lambda p, plan, share: (16, 24)),
    ("convenios", "Convenios vigentes", "convenios", True, _agreements,
     lambda p, plan, share: (8, 12)),
    ("empleos", "Empleos en las MIPYMES participantes", "personas", True, _jobs,
     lambda p, plan, share: (round(2.0 * p), round(2.4 * p))),
    ("tasa-de-abandono", "MIPYMES que abandonan el acompañamiento", "%", False, _dropout,
     lambda p, plan, share: (20, 25)),
)


def _value(numerators: dict, denominators: dict | None, keys) -> Decimal:
    num = sum((Decimal(numerators.get(k, 0)) for k in keys), Decimal(0))
    if denominators is None:
        return num.quantize(Decimal("0.01"))
    den = sum(denominators.get(k, 0) for k in keys)
    return (100 * num / den).quantize(Decimal("0.01")) if den else Decimal(0)


def create_indicators(programme, villages, plan) -> int:
    """Create the indicators with programme targets per year and village targets for the programme."""
    total = sum(plan.participants)
    village_ids = [v.pk for v in villages]
    targets = []
    for code, name, unit, ascending, actual, target_for in INDICATORS:
        indicator = Indicator.objects.create(programme=programme, code=code, name=name, unit=unit,
                                             is_ascending=ascending)
        results = {}
        for start, end in PERIODS:
            results[end] = actual(programme, start, end)
        for (start, end), target in zip(PERIODS, target_for(total, plan, 1.0), strict=True):
            numerators, denominators = results[end]
            targets.append(IndicatorTarget(indicator=indicator, village=None, period_start=start, period_end=end,
                                           baseline=Decimal(0) if unit != "%" else None, target=target,
                                           actual=_value(numerators, denominators, [*village_ids, None])))
        if code in PROGRAMME_ONLY:
            continue
        if code == "ventas-en-linea":
            # A sum over the whole programme, not the last year only.
            whole = actual(programme, *WHOLE)
        else:
            whole = results[WHOLE[1]]
        for village, planned in zip(villages, plan.participants, strict=True):
            share = planned / total if total else 0
            target = target_for(planned, plan, share)[1]
            if code == "ventas-en-linea":
                target = planned * 110_000
            targets.append(IndicatorTarget(indicator=indicator, village=village, period_start=WHOLE[0],
                                           period_end=WHOLE[1], baseline=Decimal(0) if unit != "%" else None,
                                           target=target, actual=_value(whole[0], whole[1], [village.pk])))
    IndicatorTarget.objects.bulk_create(targets)
    return len(targets)

