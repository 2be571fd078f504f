"""Every API resource, with how to make a row of it inside the ``world`` fixture's main programme,
a valid create payload and a change; shared by the happy-path and the query-count tests."""

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count

from aldea.accounts.models import Role
from tests import factories as f

_n = count(1)


def n() -> int:
    return next(_n)


@dataclass(frozen=True)
class Resource:
    endpoint: str
    make: Callable  # world -> a new row in scope of the main programme's manager
    key: Callable = lambda obj: obj.pk  # the URL identifier of a row
    payload: Callable | None = None  # world -> body of a valid create
    change: dict = field(default_factory=dict)  # a valid PATCH, checked after refresh_from_db
    writer: str = "manager"
    deletable: bool = True
    read_only: bool = False
    # Certificates are issued and revoked, never changed: PATCH and PUT answer 405.
    changeable: bool = True

    def __str__(self):
        return self.endpoint


def _country_code(k: int) -> str:
    # First letters A–L only, so a generated code never meets the factories' "MX".
    return chr(65 + (k // 26) % 12) + chr(65 + k % 26)


def _consultant_person(w):
    return w.consultant.person


def _engagement(w):
    return f.EngagementFactory(enterprise=w.village_msme, consultant=_consultant_person(w))


def _cohort(w):
    return f.CohortFactory(course=f.CourseFactory(programme=w.programme), village=w.village)


def _enrolment(w):
    return f.EnrolmentFactory(cohort=_cohort(w))


def _municipality_key(area):
    return f"{area.country.code}-{area.code}"


def _budget_line(w):
    from aldea.programmes.models import BudgetLine

    return BudgetLine.objects.create(programme=w.programme, name=f"Línea {n()}", period_start="2025-01-01",
                                     period_end="2025-12-31", amount=1000, currency="MXN")


def _planned(w):
    from aldea.programmes.models import PlannedDisbursement

    return PlannedDisbursement.objects.create(programme=w.programme, period_start="2025-01-01",
                                              period_end="2025-03-31", amount=1000, currency="MXN")


def _transaction(w):
    from aldea.programmes.models import FinancialTransaction

    return FinancialTransaction.objects.create(programme=w.programme, kind="expenditure", transacted_on="2025-02-01",
                                               amount=1000, currency="MXN")


RESOURCES = [
    # territories (reference data: staff write)
    Resource(
        "countries", make=lambda w: f.CountryFactory(code=_country_code(n()), name="Testland"),
        key=lambda o: o.code, payload=lambda w: {"code": "BR", "name": "Brasil", "currency": "BRL"},
        change={"name": "Estados Unidos Mexicanos"}, writer="staff",
    ),
    Resource(
        "areas", make=lambda w: f.MunicipalityFactory(), key=_municipality_key,
        payload=lambda w: {"country": "MX", "level": "municipality", "parent": "MX-20", "code": "20999", "name": "Nuevo"},
        change={"population": 1234}, writer="staff",
    ),
    Resource(
        "localities", make=lambda w: f.LocalityFactory(), key=lambda o: o.code,
        payload=lambda w: {"code": "200010001", "name": "Centro", "municipality": _municipality_key(w.village.municipality),
                           "latitude": "17.05", "longitude": "-96.72"},
        change={"is_rural": False}, writer="staff",
    ),
    # programmes
    Resource(
        "programmes", make=lambda w: _manager_programme(w), key=lambda o: o.slug,
        payload=lambda w: {"slug": "new-programme", "name": "Nuevo", "country": "MX", "currency": "MXN",
                           "starts_on": "2025-01-01", "ends_on": "2026-12-31"},
        change={"description": "Updated"}, writer="staff",
    ),
    Resource(
        "villages", make=lambda w: f.VillageFactory(programme=w.programme), key=lambda o: o.slug,
        payload=lambda w: {"slug": "new-village", "name": "San Bartolo", "programme": "main",
                           "municipality": _municipality_key(w.village.municipality), "speciality": "barro negro",
                           "status": "candidate"},
        change={"speciality": "cobre"},
    ),
    Resource(
        "village-status-changes", make=lambda w: f.VillageStatusChangeFactory(village=w.village), read_only=True,
    ),
    Resource(
        "indicators", make=lambda w: f.IndicatorFactory(programme=w.programme),
        payload=lambda w: {"programme": "main", "code": "msmes-selling-online", "name": "MIPYMES que venden en línea"},
        change={"unit": "MSMEs"},
    ),
    Resource(
        "indicator-targets", make=lambda w: f.IndicatorTargetFactory(indicator=f.IndicatorFactory(programme=w.programme)),
        payload=lambda w: {"indicator": f.IndicatorFactory(programme=w.programme).pk, "village": "teotitlan",
                           "period_start": "2025-01-01", "period_end": "2025-12-31", "target": "40"},
        change={"baseline": "12.00"},
    ),
    # the budget and disbursement register
    Resource(
        "budget-lines", make=lambda w: _budget_line(w),
        payload=lambda w: {"programme": "main", "name": "Formación", "period_start": "2025-01-01",
                           "period_end": "2025-12-31", "amount": "150000.00", "currency": "MXN"},
        change={"status": "committed"},
    ),
    Resource(
        "planned-disbursements", make=lambda w: _planned(w),
        payload=lambda w: {"programme": "main", "period_start": "2025-01-01", "period_end": "2025-03-31",
                           "amount": "50000.00", "currency": "MXN", "provider_name": "Fundación"},
        change={"receiver_name": "Programa"},
    ),
    Resource(
        "transactions", make=lambda w: _transaction(w),
        payload=lambda w: {"programme": "main", "kind": "disbursement", "transacted_on": "2025-02-01",
                           "amount": "20000.00", "currency": "MXN"},
        change={"description": "Primer desembolso"},
    ),
    # partners
    Resource(
        "organisations", make=lambda w: _managed_organisation(w), key=lambda o: o.slug,
        payload=lambda w: {"slug": "uabjo", "name": "UABJO", "kind": "university", "country": "MX"},
        change={"website": "https://example.org/"},
    ),
    Resource(
        "agreements", make=lambda w: f.AgreementFactory(programme=w.programme, parties=[w.host]), key=lambda o: o.code,
        payload=lambda w: {"code": "conv-2025", "title": "Convenio", "programme": "main", "parties": ["host-university"],
                           "starts_on": "2025-01-01", "ends_on": "2025-12-31", "status": "signed"},
        change={"scope": "Formación de consultores"},
    ),
    Resource(
        "village-partner-roles", make=lambda w: f.VillagePartnerRoleFactory(village=w.village),
        payload=lambda w: {"village": "teotitlan", "organisation": "host-university", "role": "sponsor"},
        change={"starts_on": "2024-05-01"},
    ),
    # accounts
    Resource(
        "people", make=lambda w: f.MembershipFactory(programme=w.programme).person,
        payload=lambda w: {"given_name": "Rosa", "family_name": "Pérez", "sex": "female", "birth_year": 1990},
        change={"speaks_indigenous_language": True, "indigenous_language": "zapoteco"},
    ),
    Resource(
        "memberships", make=lambda w: f.MembershipFactory(programme=w.programme),
        payload=lambda w: {"person": w.consultant.person.pk, "role": "trainer", "programme": "main", "village": "teotitlan"},
        change={"is_active": False},
    ),
    # training
    Resource(
        "courses", make=lambda w: f.CourseFactory(programme=w.programme),
        payload=lambda w: {"programme": "main", "code": "ecommerce-101", "title": "Comercio electrónico", "level": "consultant"},
        change={"hours": 40},
    ),
    Resource(
        "cohorts", make=lambda w: f.CohortFactory(course=f.CourseFactory(programme=w.programme), village=w.village,
                                                  trainers=[w.trainer.person]),
        key=lambda o: o.code,
        payload=lambda w: {"code": "c-2025-1", "course": f.CourseFactory(programme=w.programme).pk, "village": "teotitlan",
                           "trainers": [w.trainer.person.pk], "starts_on": "2025-02-01", "ends_on": "2025-04-01"},
        change={"capacity": 25},
    ),
    Resource(
        "training-sessions", make=lambda w: f.TrainingSessionFactory(cohort=_trained_cohort(w)),
        payload=lambda w: {"cohort": _trained_cohort(w).code, "number": 1, "title": "Fotografía de producto",
                           "held_on": "2025-02-03"},
        change={"duration_minutes": 90}, writer="trainer",
    ),
    Resource(
        "enrolments", make=lambda w: f.EnrolmentFactory(cohort=_trained_cohort(w)),
        payload=lambda w: {"cohort": _trained_cohort(w).code, "person": w.consultant.person.pk, "enrolled_on": "2025-01-20"},
        change={"enrolled_on": "2025-01-21"}, writer="trainer",
    ),
    Resource(
        "attendance", make=lambda w: f.AttendanceFactory(enrolment=f.EnrolmentFactory(cohort=_trained_cohort(w))),
        payload=lambda w: _attendance_payload(w), change={"status": "excused"}, writer="trainer",
    ),
    Resource(
        "assessment-results", make=lambda w: f.AssessmentResultFactory(enrolment=f.EnrolmentFactory(cohort=_trained_cohort(w))),
        payload=lambda w: {"enrolment": f.EnrolmentFactory(cohort=_trained_cohort(w)).pk, "name": "Final",
                           "score": "92.5", "assessed_on": "2025-03-30"},
        change={"score": "75.00"}, writer="trainer",
    ),
    Resource(
        "certificates", make=lambda w: f.CertificateFactory(enrolment=f.EnrolmentFactory(cohort=_trained_cohort(w))),
        key=lambda o: o.code,
        payload=lambda w: {"enrolment": _certifiable_enrolment(w).pk, "issued_on": "2025-04-02"},
        writer="trainer", deletable=False, changeable=False,
    ),
    # enterprises
    Resource(
        "enterprises", make=lambda w: f.EnterpriseFactory(village=w.village), key=lambda o: o.code,
        payload=lambda w: {"code": "alebrijes-ruiz", "name": "Alebrijes Ruiz", "programme": "main", "village": "teotitlan",
                           "municipality": _municipality_key(w.village.municipality), "sector": "crafts",
                           "baseline_channels": ["physical", "social"], "is_women_led": True},
        change={"employees": 4},
    ),
    Resource(
        "products", make=lambda w: f.ProductFactory(enterprise=w.village_msme),
        payload=lambda w: {"enterprise": "village-msme", "sku": "TAP-01", "title": "Tapete", "price": "1500.00",
                           "gtin": "", "is_handmade": True},
        change={"stock": 7}, writer="consultant",
    ),
    # diagnostics
    Resource(
        "instruments", make=lambda w: f.InstrumentFactory(), key=lambda o: o.code,
        payload=lambda w: {"code": "madurez-v2", "name": "Madurez digital", "version": "2"},
        change={"description": "Second edition"}, writer="staff",
    ),
    Resource(
        "dimensions", make=lambda w: f.DimensionFactory(),
        payload=lambda w: {"instrument": f.InstrumentFactory().code, "code": "datos", "name": "Datos", "weight": "1.5"},
        change={"position": 3}, writer="staff",
    ),
    Resource(
        "answer-scales", make=lambda w: f.AnswerScaleFactory(), key=lambda o: o.code,
        payload=lambda w: {"code": "likert-5", "name": "Likert"}, change={"name": "Likert 0–4"}, writer="staff",
    ),
    Resource(
        "answer-options", make=lambda w: f.AnswerOptionFactory(),
        payload=lambda w: {"scale": f.AnswerScaleFactory().code, "value": 3, "label": "Casi siempre"},
        change={"label": "Siempre"}, writer="staff",
    ),
    Resource(
        "questions", make=lambda w: f.QuestionFactory(),
        payload=lambda w: {"dimension": f.DimensionFactory().pk, "code": "q-web", "text": "¿Tiene sitio web?",
                           "scale": f.AnswerScaleFactory().code},
        change={"text": "¿Tiene tienda en línea?"}, writer="staff",
    ),
    Resource(
        "assessments", make=lambda w: f.AnswerFactory(assessment=f.AssessmentFactory(enterprise=w.village_msme)).assessment,
        payload=lambda w: _assessment_payload(w),
        change={"assessed_on": "2025-06-01"}, writer="consultant",
    ),
    # consulting
    Resource(
        "engagements", make=_engagement,
        payload=lambda w: {"enterprise": "village-msme", "consultant": w.consultant.person.pk,
                           "supervisor": w.trainer.person.pk, "started_on": "2025-02-01"},
        change={"stage": "action_plan"}, writer="consultant",
    ),
    Resource("stage-changes", make=lambda w: f.StageChangeFactory(engagement=_engagement(w)), read_only=True),
    Resource(
        "meetings", make=lambda w: f.MeetingFactory(engagement=_engagement(w)),
        payload=lambda w: {"engagement": _engagement(w).pk, "held_on": "2025-02-10", "mode": "remote", "notes": "Fotos"},
        change={"duration_minutes": 45}, writer="consultant",
    ),
    Resource(
        "action-items", make=lambda w: f.ActionItemFactory(engagement=_engagement(w)),
        payload=lambda w: {"engagement": _engagement(w).pk, "title": "Abrir tienda", "due_on": "2025-03-01"},
        change={"status": "done", "completed_on": "2025-02-25"}, writer="consultant",
    ),
    # outcomes
    Resource(
        "sales-channels", make=lambda w: f.SalesChannelFactory(), key=lambda o: o.code,
        payload=lambda w: {"code": "mercado-libre", "name": "Mercado Libre", "kind": "marketplace"},
        change={"website": "https://www.mercadolibre.com.mx/"}, writer="staff",
    ),
    Resource(
        "listings", make=lambda w: f.ListingFactory(product=f.ProductFactory(enterprise=w.village_msme)),
        payload=lambda w: {"product": f.ProductFactory(enterprise=w.village_msme).pk, "channel": f.SalesChannelFactory().code,
                           "status": "live", "live_on": "2025-03-01", "external_id": "MLM-1"},
        change={"status": "paused"}, writer="consultant",
    ),
    Resource(
        "outcome-records", make=lambda w: f.OutcomeRecordFactory(enterprise=w.village_msme),
        payload=lambda w: {"enterprise": "village-msme", "month": "2025-03-01", "total_sales": "12000.00",
                           "online_sales": "3000.00", "orders": 9, "units": 20, "source": "survey"},
        change={"orders": 11}, writer="consultant",
    ),
]


def _manager_programme(w):
    programme = f.ProgrammeFactory()
    f.MembershipFactory(person=w.manager.person, role=Role.MANAGER, programme=programme)
    return programme


def _managed_organisation(w):
    organisation = f.OrganisationFactory()
    f.VillagePartnerRoleFactory(village=w.village, organisation=organisation)
    return organisation


def _trained_cohort(w):
    if not hasattr(w, "trained_cohort"):
        w.trained_cohort = f.CohortFactory(
            course=f.CourseFactory(programme=w.programme), village=w.village, trainers=[w.trainer.person]
        )
    return w.trained_cohort


def _certifiable_enrolment(w):
    """An enrolment that meets the certification rules: every session attended, a passing score."""
    enrolment = f.EnrolmentFactory(cohort=_trained_cohort(w), person=f.MembershipFactory(programme=w.programme).person)
    session = f.TrainingSessionFactory(cohort=enrolment.cohort)
    f.AttendanceFactory(session=session, enrolment=enrolment, status="present")
    f.AssessmentResultFactory(enrolment=enrolment, score=90)
    return enrolment


def _attendance_payload(w):
    enrolment = f.EnrolmentFactory(cohort=_trained_cohort(w))
    session = f.TrainingSessionFactory(cohort=_trained_cohort(w))
    return {"session": session.pk, "enrolment": enrolment.pk, "status": "present"}


def _assessment_payload(w):
    scale = f.AnswerScaleFactory()
    for value in range(5):
        f.AnswerOptionFactory(scale=scale, value=value)
    instrument = f.InstrumentFactory()
    dimension = f.DimensionFactory(instrument=instrument)
    f.QuestionFactory(dimension=dimension, code="sells-online", scale=scale)
    f.QuestionFactory(dimension=dimension, code="has-website", scale=scale)
    return {"enterprise": "village-msme", "instrument": instrument.code, "assessed_on": "2025-05-01",
            "assessor": w.consultant.person.pk, "answers": {"sells-online": 4, "has-website": 2}}


BY_ENDPOINT = {resource.endpoint: resource for resource in RESOURCES}
