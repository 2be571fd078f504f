"""factory_boy factories for every model; sensible defaults build a consistent little world."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth.hashers import make_password
from factory.django import DjangoModelFactory

from aldea.accounts.models import Membership, Person, Role, User
from aldea.consulting.models import ActionItem, Engagement, Meeting, StageChange
from aldea.diagnostics.models import (
    Answer,
    AnswerOption,
    AnswerScale,
    Assessment,
    Dimension,
    Instrument,
    Question,
)
from aldea.enterprises.models import Enterprise, Product
from aldea.outcomes.models import Listing, OutcomeRecord, SalesChannel
from aldea.partners.models import Agreement, Organisation, VillagePartnerRole
from aldea.programmes.models import (
    Indicator,
    IndicatorTarget,
    Programme,
    Village,
    VillageStatusChange,
)
from aldea.territories.models import AdministrativeArea, Country, Locality
from aldea.training.models import (
    AssessmentResult,
    Attendance,
    Certificate,
    Cohort,
    Course,
    CourseLevel,
    Enrolment,
    TrainingSession,
)
from aldea.training.services import CODE_ALPHABET, CODE_GROUP

START = datetime.date(2024, 1, 1)

# --- territories ------------------------------------------------------------------------------


class CountryFactory(DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ["code"]

    code = "MX"
    name = "México"
    currency = "MXN"


class StateFactory(DjangoModelFactory):
    class Meta:
        model = AdministrativeArea
        django_get_or_create = ["country", "level", "code"]

    country = factory.SubFactory(CountryFactory)
    level = AdministrativeArea.Level.STATE
    code = "20"
    name = "Oaxaca"


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = AdministrativeArea

    country = factory.SubFactory(CountryFactory)
    level = AdministrativeArea.Level.MUNICIPALITY
    parent = factory.SubFactory(StateFactory, country=factory.SelfAttribute("..country"))
    # Five digits like a real CVE, cycling through 20001-20499 so it stays five digits however
    # many tests ran before, and never meets the real codes tests name (20546, 20553, 209xx).
    code = factory.Sequence(lambda n: f"20{n % 499 + 1:03d}")
    name = factory.Sequence(lambda n: f"Municipio {n}")
    population = 5000
    households = 1200


class LocalityFactory(DjangoModelFactory):
    class Meta:
        model = Locality

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"20{n:07d}")
    name = factory.Sequence(lambda n: f"Localidad {n}")
    population = 800
    is_rural = True


# --- programmes -------------------------------------------------------------------------------


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    slug = factory.Sequence(lambda n: f"programme-{n}")
    name = factory.Sequence(lambda n: f"Programa {n}")
    country = factory.SubFactory(CountryFactory)
    currency = "MXN"
    starts_on = START
    status = Programme.Status.ACTIVE


class VillageFactory(DjangoModelFactory):
    class Meta:
        model = Village

    programme = factory.SubFactory(ProgrammeFactory)
    slug = factory.Sequence(lambda n: f"village-{n}")
    name = factory.Sequence(lambda n: f"Aldea {n}")
    municipality = factory.SubFactory(MunicipalityFactory)
    speciality = "textiles"
    status = "active"
    launched_on = START


class VillageStatusChangeFactory(DjangoModelFactory):
    class Meta:
        model = VillageStatusChange

    village = factory.SubFactory(VillageFactory)
    from_status = "selected"
    to_status = "active"
    changed_at = factory.LazyFunction(lambda: datetime.datetime(2024, 2, 1, tzinfo=datetime.UTC))


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = Indicator

    programme = factory.SubFactory(ProgrammeFactory)
    code = factory.Sequence(lambda n: f"indicator-{n}")
    name = factory.Sequence(lambda n: f"Indicador {n}")


class IndicatorTargetFactory(DjangoModelFactory):
    class Meta:
        model = IndicatorTarget

    indicator = factory.SubFactory(IndicatorFactory)
    period_start = factory.Sequence(lambda n: START + datetime.timedelta(days=n))
    period_end = factory.LazyAttribute(lambda o: o.period_start + datetime.timedelta(days=365))
    target = Decimal(100)


# --- partners ---------------------------------------------------------------------------------


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Organización {n}")
    kind = Organisation.Kind.UNIVERSITY
    helix = "academia"
    country = factory.SubFactory(CountryFactory)


class AgreementFactory(DjangoModelFactory):
    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    code = factory.Sequence(lambda n: f"agreement-{n}")
    title = factory.Sequence(lambda n: f"Convenio {n}")
    starts_on = START
    status = Agreement.Status.SIGNED

    @factory.post_generation
    def parties(self, create, extracted, **kwargs):
        if create and extracted:
            self.parties.set(extracted)


class VillagePartnerRoleFactory(DjangoModelFactory):
    class Meta:
        model = VillagePartnerRole

    village = factory.SubFactory(VillageFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = VillagePartnerRole.Role.HOST_INSTITUTION


# --- accounts ---------------------------------------------------------------------------------


PASSWORD = "secret-pass-123"
# Hashed once: hashing per user (PBKDF2, hundreds of thousands of rounds) would dominate the suite.
_PASSWORD_HASH = make_password(PASSWORD)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    password = _PASSWORD_HASH


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    given_name = factory.Sequence(lambda n: f"Nombre{n}")
    family_name = factory.Sequence(lambda n: f"Apellido{n}")
    sex = "female"


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    role = Role.CONSULTANT
    programme = factory.SubFactory(ProgrammeFactory)


# --- training ---------------------------------------------------------------------------------


class CourseFactory(DjangoModelFactory):
    class Meta:
        model = Course

    programme = factory.SubFactory(ProgrammeFactory)
    code = factory.Sequence(lambda n: f"course-{n}")
    title = factory.Sequence(lambda n: f"Curso {n}")
    level = CourseLevel.CONSULTANT


class CohortFactory(DjangoModelFactory):
    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    course = factory.SubFactory(CourseFactory)
    code = factory.Sequence(lambda n: f"cohort-{n}")
    village = factory.SubFactory(VillageFactory, programme=factory.SelfAttribute("..course.programme"))
    starts_on = START
    ends_on = START + datetime.timedelta(days=60)

    @factory.post_generation
    def trainers(self, create, extracted, **kwargs):
        if create and extracted:
            self.trainers.set(extracted)


class TrainingSessionFactory(DjangoModelFactory):
    class Meta:
        model = TrainingSession

    cohort = factory.SubFactory(CohortFactory)
    number = factory.Sequence(lambda n: n + 1)
    held_on = START


class EnrolmentFactory(DjangoModelFactory):
    class Meta:
        model = Enrolment

    cohort = factory.SubFactory(CohortFactory)
    person = factory.SubFactory(PersonFactory)
    enrolled_on = START


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    enrolment = factory.SubFactory(EnrolmentFactory)
    session = factory.SubFactory(TrainingSessionFactory, cohort=factory.SelfAttribute("..enrolment.cohort"))
    status = Attendance.Status.PRESENT


class AssessmentResultFactory(DjangoModelFactory):
    class Meta:
        model = AssessmentResult

    enrolment = factory.SubFactory(EnrolmentFactory)
    name = factory.Sequence(lambda n: f"Examen {n}")
    score = Decimal(85)
    assessed_on = START


def one_format_code(n: int) -> str:
    letters = ""
    for _ in range(2 * CODE_GROUP):
        n, digit = divmod(n, len(CODE_ALPHABET))
        letters = CODE_ALPHABET[digit] + letters
    return f"ALD-{letters[:CODE_GROUP]}-{letters[CODE_GROUP:]}"


class CertificateFactory(DjangoModelFactory):
    class Meta:
        model = Certificate

    enrolment = factory.SubFactory(EnrolmentFactory, status=Enrolment.Status.COMPLETED)
    # The platform's one format (ALD-XXXXX-XXXXX), numbered so that codes never collide.
    code = factory.Sequence(lambda n: one_format_code(n))
    issued_on = START + datetime.timedelta(days=90)


# --- enterprises ------------------------------------------------------------------------------


class EnterpriseFactory(DjangoModelFactory):
    class Meta:
        model = Enterprise

    village = factory.SubFactory(VillageFactory)
    programme = factory.SelfAttribute("village.programme")
    code = factory.Sequence(lambda n: f"msme-{n}")
    name = factory.Sequence(lambda n: f"MIPYME {n}")
    municipality = factory.SelfAttribute("village.municipality")
    sector = "textiles"


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product

    enterprise = factory.SubFactory(EnterpriseFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n}")
    title = factory.Sequence(lambda n: f"Producto {n}")
    price = Decimal("250.00")
    is_handmade = True


# --- diagnostics ------------------------------------------------------------------------------


class InstrumentFactory(DjangoModelFactory):
    class Meta:
        model = Instrument

    code = factory.Sequence(lambda n: f"instrument-{n}")
    name = "Madurez digital"


class DimensionFactory(DjangoModelFactory):
    class Meta:
        model = Dimension

    instrument = factory.SubFactory(InstrumentFactory)
    code = factory.Sequence(lambda n: f"dimension-{n}")
    name = factory.Sequence(lambda n: f"Dimensión {n}")
    position = factory.Sequence(lambda n: n)


class AnswerScaleFactory(DjangoModelFactory):
    class Meta:
        model = AnswerScale

    code = factory.Sequence(lambda n: f"scale-{n}")
    name = "0–4"


class AnswerOptionFactory(DjangoModelFactory):
    class Meta:
        model = AnswerOption

    scale = factory.SubFactory(AnswerScaleFactory)
    value = factory.Sequence(lambda n: n)
    label = factory.Sequence(lambda n: f"Opción {n}")


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question

    dimension = factory.SubFactory(DimensionFactory)
    code = factory.Sequence(lambda n: f"question-{n}")
    text = factory.Sequence(lambda n: f"¿Pregunta {n}?")
    scale = factory.SubFactory(AnswerScaleFactory)


class AssessmentFactory(DjangoModelFactory):
    class Meta:
        model = Assessment

    enterprise = factory.SubFactory(EnterpriseFactory)
    instrument = factory.SubFactory(InstrumentFactory)
    assessed_on = START
    score = Decimal(45)
    level = "competente"


class AnswerFactory(DjangoModelFactory):
    class Meta:
        model = Answer

    assessment = factory.SubFactory(AssessmentFactory)
    question = factory.SubFactory(QuestionFactory)
    value = 2


# --- consulting -------------------------------------------------------------------------------


class EngagementFactory(DjangoModelFactory):
    class Meta:
        model = Engagement

    enterprise = factory.SubFactory(EnterpriseFactory)
    consultant = factory.SubFactory(PersonFactory)
    # Within 2024 whatever the number of engagements the session made: a date past today is not yet.
    started_on = factory.Sequence(lambda n: START + datetime.timedelta(days=n % 365))


class StageChangeFactory(DjangoModelFactory):
    class Meta:
        model = StageChange

    engagement = factory.SubFactory(EngagementFactory)
    from_stage = "diagnosed"
    to_stage = "action_plan"
    changed_at = factory.LazyFunction(lambda: datetime.datetime(2024, 3, 1, tzinfo=datetime.UTC))


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    engagement = factory.SubFactory(EngagementFactory)
    held_on = START


class ActionItemFactory(DjangoModelFactory):
    class Meta:
        model = ActionItem

    engagement = factory.SubFactory(EngagementFactory)
    title = factory.Sequence(lambda n: f"Tarea {n}")
    due_on = START + datetime.timedelta(days=30)


# --- outcomes ---------------------------------------------------------------------------------


class SalesChannelFactory(DjangoModelFactory):
    class Meta:
        model = SalesChannel

    code = factory.Sequence(lambda n: f"channel-{n}")
    name = factory.Sequence(lambda n: f"Canal {n}")
    kind = "marketplace"


class ListingFactory(DjangoModelFactory):
    class Meta:
        model = Listing

    product = factory.SubFactory(ProductFactory)
    channel = factory.SubFactory(SalesChannelFactory)
    status = Listing.Status.DRAFT


class OutcomeRecordFactory(DjangoModelFactory):
    class Meta:
        model = OutcomeRecord

    enterprise = factory.SubFactory(EnterpriseFactory)
    # One month per record, within 2022-2025: a month in the future is refused (outcome_problems),
    # and the sequence runs on across the whole test session.
    month = factory.Sequence(lambda n: datetime.date(2022 + (n // 12) % 4, n % 12 + 1, 1))
    total_sales = Decimal(10000)
    online_sales = Decimal(2500)
    orders = 12
    units = 30
