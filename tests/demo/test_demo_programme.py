"""Shape and plausibility of the default demo programme, generated once for this module."""

import datetime as dt
from collections import defaultdict

import pytest
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import Count, F, Sum

from aldea.accounts.models import Membership
from aldea.consulting.models import Engagement, StageChange
from aldea.consulting.services import ALLOWED_MOVES
from aldea.demo.catalogue import DEMO_PASSWORD, DEMO_USERS
from aldea.demo.generator import generate_demo
from aldea.diagnostics.models import Assessment
from aldea.enterprises.models import Enterprise, Product
from aldea.outcomes.models import Listing, OutcomeRecord
from aldea.partners.models import Agreement, Organisation, VillagePartnerRole
from aldea.programmes.models import IndicatorTarget, Programme, Village
from aldea.reporting.indicators.values import indicator_values
from aldea.training.models import AssessmentResult, Attendance, Certificate, Cohort, Course
from aldea.training.services import CERTIFICATE_CODE

pytestmark = pytest.mark.django_db

HIGH = {"alto", "muy_alto"}
LOW = {"muy_bajo", "bajo"}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The default demo, written once in a transaction that is rolled back after the module."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield generate_demo(seed=2026)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def monthly_gain(demo, django_db_blocker):
    """Per MSME: mean monthly online sales in Jul-Dec 2025 minus Jan-Jun 2024 (MXN)."""
    with django_db_blocker.unblock():
        gain = defaultdict(float)
        rows = OutcomeRecord.objects.filter(month__lte=dt.date(2024, 6, 1)) | OutcomeRecord.objects.filter(
            month__gte=dt.date(2025, 7, 1))
        for enterprise_id, month, online in rows.values_list("enterprise_id", "month", "online_sales"):
            gain[enterprise_id] += float(online) / 6 * (1 if month.year == 2025 else -1)
        enterprises = {e.pk: e for e in Enterprise.objects.select_related("municipality")}
        return {enterprises[pk]: value for pk, value in gain.items()}


def mean(values):
    values = list(values)
    return sum(values) / len(values)


def test_demo_has_eight_villages_in_real_municipalities(demo):
    villages = {v.slug: v for v in Village.objects.select_related("municipality__parent")}
    assert len(villages) == 8
    assert villages["teotitlan-del-valle"].municipality.code == "20546"
    assert villages["santa-clara-del-cobre"].municipality.name == "Salvador Escalante"
    assert villages["santa-clara-del-cobre"].municipality.parent.code == "16"
    assert villages["san-bartolo-coyotepec"].municipality.code == "20115"
    assert all(v.launched_on and v.status in ("active", "graduated") for v in villages.values())


def test_partners_cover_the_triple_helix_with_agreements_and_village_roles(demo):
    organisations = Organisation.objects.all()
    assert organisations.count() >= 10
    assert set(organisations.values_list("helix", flat=True)) == {"government", "academia", "industry"}
    marketplaces = set(organisations.filter(kind="marketplace").values_list("name", flat=True))
    assert {"Mercado Libre México", "Amazon México"} <= marketplaces
    assert Agreement.objects.annotate(n=Count("parties")).filter(n__gte=2).count() >= 6
    roles_per_village = VillagePartnerRole.objects.values("village").annotate(n=Count("id"))
    assert len(roles_per_village) == 8 and all(r["n"] >= 4 for r in roles_per_village)


def test_training_cascade_has_three_levels_and_about_40_trainers_and_800_consultants(demo):
    assert set(Course.objects.values_list("level", flat=True)) == {"trainer", "consultant", "msme_workshop"}
    for level in ("trainer", "consultant", "msme_workshop"):
        cohorts = Cohort.objects.filter(course__level=level)
        assert cohorts.exists() and not cohorts.filter(sessions__isnull=True).exists()
        assert Certificate.objects.filter(enrolment__cohort__course__level=level).exists()
    assert Attendance.objects.exists() and AssessmentResult.objects.exists()
    trainers = Membership.objects.filter(role="trainer", village__isnull=False).count()
    consultants = Membership.objects.filter(role="consultant").count()
    assert 35 <= trainers <= 45
    assert 750 <= consultants <= 850
    # The cascade is queryable: a trainer taught consultants who then served MSMEs.
    served = Engagement.objects.filter(
        consultant__enrolments__cohort__trainers=F("supervisor"),
        consultant__enrolments__cohort__course__level="consultant",
    )
    assert served.count() == Engagement.objects.count()
    assert Certificate.objects.filter(revoked_at__isnull=False).exclude(revocation_reason="").count() >= 1


def test_demo_stage_histories_follow_the_allowed_moves(demo):
    moves = set(StageChange.objects.exclude(from_stage="").values_list("from_stage", "to_stage").distinct())
    assert moves and all(to in ALLOWED_MOVES[origin] for origin, to in moves), moves


def test_demo_certificates_use_the_platforms_one_code_format(demo):
    codes = list(Certificate.objects.values_list("code", flat=True))
    assert codes and all(CERTIFICATE_CODE.match(code) for code in codes)


def test_about_50_msmes_per_village_and_a_comparison_group_in_similar_municipalities(demo):
    per_village = dict(Enterprise.objects.filter(group="participant").values_list("village__slug")
                       .annotate(n=Count("id")))
    assert len(per_village) == 8 and set(per_village.values()) == {50}
    comparison = Enterprise.objects.filter(group="comparison").select_related("municipality")
    assert comparison.count() >= 100
    assert not comparison.filter(village__isnull=False).exists()
    village_munis = {v.municipality.code: v.municipality for v in Village.objects.select_related("municipality")}
    village_states = {code[:2] for code in village_munis}
    assert all(e.municipality.code[:2] in village_states for e in comparison)
    assert not comparison.filter(municipality__code__in=village_munis).exists()
    degrees_by_state = defaultdict(set)
    for muni in village_munis.values():
        degrees_by_state[muni.code[:2]].add(muni.marginalisation_degree)
    order = ["muy_bajo", "bajo", "medio", "alto", "muy_alto"]
    for e in comparison:
        distance = min(abs(order.index(e.municipality.marginalisation_degree) - order.index(d))
                       for d in degrees_by_state[e.municipality.code[:2]])
        assert distance <= 1


def test_owners_are_people_with_sex_birth_year_language_and_consent(demo):
    owners = Enterprise.objects.filter(group="participant").values_list(
        "owner__sex", "owner__birth_year", "owner__speaks_indigenous_language", "owner__has_contact_consent",
        "owner__contact_consent_on")
    assert {sex for sex, *_ in owners} >= {"female", "male"}
    assert all(1940 <= year <= 2006 for _, year, *_ in owners)
    assert 0.1 < mean(speaks for _, _, speaks, *_ in owners) < 0.6
    assert all(on is not None for *_, consent, on in owners if consent)
    assert Enterprise.objects.filter(owner__isnull=True).count() == 0


def test_products_are_priced_in_pesos_and_handmade_goods_have_no_gtin(demo):
    assert not Product.objects.exclude(currency="MXN").exists()
    assert not Product.objects.filter(is_handmade=True).exclude(gtin="").exists()
    assert Product.objects.filter(is_handmade=False).exclude(gtin="").exists()  # bottled mezcal
    channels = set(Listing.objects.filter(status="live").values_list("channel__code", flat=True))
    assert channels == {"mercado-libre", "amazon-mx", "shopify", "google-shopping", "facebook-marketplace",
                        "whatsapp-business"}
    assert not Listing.objects.filter(status="live", live_on__isnull=True).exists()


def test_engagements_move_through_stages_with_dropouts_and_reasons(demo):
    stages = dict(Engagement.objects.values_list("stage").annotate(n=Count("id")))
    assert set(stages) == {"diagnosed", "action_plan", "listing", "first_sale", "graduated", "dropped"}
    assert 0.1 <= stages["dropped"] / sum(stages.values()) <= 0.45
    assert not Engagement.objects.filter(stage="dropped", drop_reason="").exists()
    assert Engagement.objects.filter(meetings__isnull=False, action_items__isnull=False).distinct().count() == 400


def test_every_msme_has_a_baseline_maturity_assessment_on_the_instrument(demo):
    assert Enterprise.objects.filter(assessments__isnull=True).count() == 0
    assessment = Assessment.objects.first()
    assert len(assessment.dimension_scores) == 6
    assert assessment.answers.count() == 24
    assert {"inicial", "novato", "competente"} <= set(Assessment.objects.values_list("level", flat=True))


def test_every_msme_has_24_months_of_outcomes_with_online_within_total(demo):
    months = OutcomeRecord.objects.values("enterprise").annotate(n=Count("id")).values_list("n", flat=True)
    assert set(months) == {24} and len(months) == 600
    assert set(OutcomeRecord.objects.values_list("month", flat=True)) == {
        dt.date(2024 + i // 12, i % 12 + 1, 1) for i in range(24)}
    assert not OutcomeRecord.objects.filter(online_sales__gt=F("total_sales")).exists()


def test_online_sales_are_heavy_tailed(demo):
    totals = sorted(
        (float(t) for t in OutcomeRecord.objects.values("enterprise").annotate(s=Sum("online_sales"))
         .values_list("s", flat=True)), reverse=True)
    top_decile = sum(totals[: len(totals) // 10]) / sum(totals)
    assert top_decile > 0.4


def test_participants_gain_more_online_sales_than_the_comparison_group(monthly_gain):
    participants = mean(g for e, g in monthly_gain.items() if e.group == "participant")
    comparison = mean(g for e, g in monthly_gain.items() if e.group == "comparison")
    assert comparison > 0  # everyone drifts online: a before/after comparison alone overstates the effect
    assert participants > 3 * comparison


def test_women_led_and_highly_marginalised_msmes_gain_differently(monthly_gain):
    participants = {e: g for e, g in monthly_gain.items() if e.group == "participant"}
    women = mean(g for e, g in participants.items() if e.is_women_led)
    men = mean(g for e, g in participants.items() if not e.is_women_led)
    assert women < 0.9 * men
    high = mean(g for e, g in participants.items() if e.municipality.marginalisation_degree in HIGH)
    low = mean(g for e, g in participants.items() if e.municipality.marginalisation_degree in LOW)
    assert high < 0.6 * low


def test_women_led_msmes_drop_out_less_often(demo):
    def rate(**filters):
        engagements = Engagement.objects.filter(**filters)
        return engagements.filter(stage="dropped").count() / engagements.count()

    assert rate(enterprise__is_women_led=True) < rate(enterprise__is_women_led=False)


def test_indicators_have_programme_and_village_targets_and_values_from_the_records(demo):
    programme = Programme.objects.get(slug="aldeas-digitales-demo")
    assert programme.indicators.count() >= 10
    targets = IndicatorTarget.objects.filter(indicator__programme=programme)
    assert targets.filter(village__isnull=True).count() == 2 * programme.indicators.count()
    assert targets.filter(village__isnull=False).values("village").distinct().count() == 8
    diagnosed = programme.indicators.get(code="mipymes-diagnosticadas")
    [value] = indicator_values(diagnosed, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
    # Every participant is diagnosed by the end of 2025: 8 villages × 50.
    assert value.value == 400 == Engagement.objects.filter(
        enterprise__programme=programme, enterprise__group="participant", started_on__lte=dt.date(2025, 12, 31)
    ).values("enterprise").distinct().count()


def test_one_demo_login_per_role_with_a_person_and_scoped_membership(demo):
    assert {u[0] for u in demo["logins"]} == {"admin", *[u[0] for u in DEMO_USERS]}
    admin = authenticate(username="admin", password=DEMO_PASSWORD)
    assert admin is not None and admin.is_superuser and admin.person
    for username, role, village_slug, organisation_slug, *_ in DEMO_USERS:
        user = authenticate(username=username, password=DEMO_PASSWORD)
        assert user is not None, username
        membership = user.person.memberships.get(role=role)
        assert membership.programme.slug == "aldeas-digitales-demo"
        assert (membership.village.slug if membership.village else None) == village_slug
        if role == "partner":
            assert membership.organisation.slug == organisation_slug
    consultant = authenticate(username="consultora", password=DEMO_PASSWORD).person
    assert consultant.engagements.count() >= 3
    owner = authenticate(username="artesana", password=DEMO_PASSWORD).person
    assert owner.enterprises.get().products.filter(listings__status="live").exists()
