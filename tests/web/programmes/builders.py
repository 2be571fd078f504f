"""Programme data for the overview, village and explorer tests: small and hand-countable, or grown."""

import datetime
from decimal import Decimal

from django.utils import timezone

from aldea.consulting.models import Stage
from aldea.enterprises.models import Enterprise
from aldea.outcomes.models import Listing
from aldea.training.models import CourseLevel
from tests import factories as f

MONTHS = [datetime.date(2025, m, 1) for m in range(1, 4)]


def add_msme(
    world,
    *,
    village=None,
    group=Enterprise.Group.PARTICIPANT,
    engaged=False,
    listed=False,
    sold=False,
    employees=1,
    sales=(),
    municipality=None,
    owner=None,
):
    """One MSME with the steps of the cascade it reached and its online sales per month (MONTHS)."""
    village = village if group == Enterprise.Group.PARTICIPANT else None
    kwargs = {
        "village": village,
        "programme": world.programme,
        "group": group,
        "employees": employees,
        "owner": owner,
    }
    if village is None:
        kwargs["municipality"] = municipality or world.village.municipality
    msme = f.EnterpriseFactory(**kwargs)
    if engaged or sold:
        engagement = f.EngagementFactory(enterprise=msme, consultant=world.consultant.person)
        if sold:
            f.StageChangeFactory(
                engagement=engagement, from_stage=Stage.LISTING, to_stage=Stage.FIRST_SALE
            )
    if listed:
        f.ListingFactory(
            product=f.ProductFactory(enterprise=msme),
            status=Listing.Status.LIVE,
            live_on=datetime.date(2024, 6, 1),
        )
    for month, amount in zip(MONTHS, sales, strict=False):
        f.OutcomeRecordFactory(
            enterprise=msme,
            month=month,
            online_sales=Decimal(amount),
            total_sales=Decimal(amount) * 2,
        )
    return msme


def certify(world, level, *, village=None, revoked=False):
    course = f.CourseFactory(programme=world.programme, level=level)
    cohort = f.CohortFactory(
        course=course, village=village or world.village, trainers=[world.trainer.person]
    )
    enrolment = f.EnrolmentFactory(cohort=cohort, person=f.PersonFactory())
    kwargs = {"revoked_at": timezone.now(), "revocation_reason": "error"} if revoked else {}
    return f.CertificateFactory(enrolment=enrolment, **kwargs)


def small_programme(world):
    """The hand-counted programme of the figure tests (see the expected values beside each line)."""
    # Participants in the main village: 3, diagnosed 2, listed 1, first sale 1, jobs 2+3+4 = 9.
    a = add_msme(
        world,
        village=world.village,
        engaged=True,
        listed=True,
        sold=True,
        employees=2,
        sales=(100, 200, 300),
        owner=f.PersonFactory(sex="female"),
    )
    b = add_msme(
        world,
        village=world.village,
        engaged=True,
        employees=3,
        sales=(50, 0, 50),
        owner=f.PersonFactory(sex="male"),
    )
    c = add_msme(world, village=world.village, employees=4)
    # The comparison group: not counted in the tiles, only in the sales chart.
    d = add_msme(
        world, group=Enterprise.Group.COMPARISON, engaged=True, employees=10, sales=(40, 40, 40)
    )
    # Certified: 1 trainer; consultants 1 valid + 1 revoked → 1.
    certify(world, CourseLevel.TRAINER)
    certify(world, CourseLevel.CONSULTANT)
    certify(world, CourseLevel.CONSULTANT, revoked=True)
    # Agreements in force: 1 (the draft does not count); partners: host + 1 party = 2.
    party = f.OrganisationFactory()
    f.AgreementFactory(programme=world.programme, parties=[party, world.host])
    f.AgreementFactory(programme=world.programme, status="draft")
    return {"a": a, "b": b, "c": c, "d": d}


def grow(world, size):
    """Everything the overview, village and explorer count, ``size`` times over."""
    for n in range(size):
        village = f.VillageFactory(programme=world.programme)
        f.VillagePartnerRoleFactory(
            village=village, organisation=f.OrganisationFactory(municipality=village.municipality)
        )
        f.VillageStatusChangeFactory(village=village)
        for target in (world.village, village):
            add_msme(
                world,
                village=target,
                engaged=True,
                listed=n % 2 == 0,
                sold=n % 3 == 0,
                sales=(10 * n, 20, 30),
            )
        add_msme(
            world,
            group=Enterprise.Group.COMPARISON,
            sales=(5, 5, 5),
            municipality=village.municipality,
        )
        certify(world, CourseLevel.CONSULTANT, village=world.village)
        certify(world, CourseLevel.TRAINER, village=village)
        f.AgreementFactory(programme=world.programme, parties=[f.OrganisationFactory()])
        f.VillageStatusChangeFactory(village=world.village, changed_at=timezone.now())
