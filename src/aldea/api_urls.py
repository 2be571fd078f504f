"""One router for every app's viewsets, so the API has a single index at /api/."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from aldea.accounts.token_api import TokenView
from aldea.consulting.api import (
    ActionItemViewSet,
    EngagementViewSet,
    MeetingViewSet,
    StageChangeViewSet,
)
from aldea.diagnostics.api import (
    AnswerOptionViewSet,
    AnswerScaleViewSet,
    AssessmentViewSet,
    DimensionViewSet,
    InstrumentViewSet,
    QuestionViewSet,
)
from aldea.enterprises.api import EnterpriseViewSet, ProductViewSet
from aldea.outcomes.api import ListingViewSet, OutcomeRecordViewSet, SalesChannelViewSet
from aldea.partners.api import AgreementViewSet, OrganisationViewSet, VillagePartnerRoleViewSet
from aldea.people.api import MembershipViewSet, PersonViewSet
from aldea.programmes.api import (
    BudgetLineViewSet,
    FinancialTransactionViewSet,
    PlannedDisbursementViewSet,
    ProgrammeViewSet,
    VillageStatusChangeViewSet,
    VillageViewSet,
)
from aldea.reporting.api import IndicatorTargetViewSet, IndicatorViewSet
from aldea.territories.api import AdministrativeAreaViewSet, CountryViewSet, LocalityViewSet
from aldea.training.api import (
    AssessmentResultViewSet,
    AttendanceViewSet,
    CertificateViewSet,
    CohortViewSet,
    CourseViewSet,
    EnrolmentViewSet,
    TrainingSessionViewSet,
    VillageCascadeView,
)

router = DefaultRouter()
# territories
router.register("countries", CountryViewSet, basename="country")
router.register("areas", AdministrativeAreaViewSet, basename="area")
router.register("localities", LocalityViewSet, basename="locality")
# programmes
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("villages", VillageViewSet, basename="village")
router.register("village-status-changes", VillageStatusChangeViewSet, basename="village-status-change")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("indicator-targets", IndicatorTargetViewSet, basename="indicator-target")
router.register("budget-lines", BudgetLineViewSet, basename="budget-line")
router.register("planned-disbursements", PlannedDisbursementViewSet, basename="planned-disbursement")
router.register("transactions", FinancialTransactionViewSet, basename="transaction")
# partners
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("village-partner-roles", VillagePartnerRoleViewSet, basename="village-partner-role")
# people
router.register("people", PersonViewSet, basename="person")
router.register("memberships", MembershipViewSet, basename="membership")
# training
router.register("courses", CourseViewSet, basename="course")
router.register("cohorts", CohortViewSet, basename="cohort")
router.register("training-sessions", TrainingSessionViewSet, basename="training-session")
router.register("enrolments", EnrolmentViewSet, basename="enrolment")
router.register("attendance", AttendanceViewSet, basename="attendance")
router.register("assessment-results", AssessmentResultViewSet, basename="assessment-result")
router.register("certificates", CertificateViewSet, basename="certificate")
# enterprises
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("products", ProductViewSet, basename="product")
# diagnostics
router.register("instruments", InstrumentViewSet, basename="instrument")
router.register("dimensions", DimensionViewSet, basename="dimension")
router.register("answer-scales", AnswerScaleViewSet, basename="answer-scale")
router.register("answer-options", AnswerOptionViewSet, basename="answer-option")
router.register("questions", QuestionViewSet, basename="question")
router.register("assessments", AssessmentViewSet, basename="assessment")
# consulting
router.register("engagements", EngagementViewSet, basename="engagement")
router.register("stage-changes", StageChangeViewSet, basename="stage-change")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("action-items", ActionItemViewSet, basename="action-item")
# outcomes
router.register("sales-channels", SalesChannelViewSet, basename="sales-channel")
router.register("listings", ListingViewSet, basename="listing")
router.register("outcome-records", OutcomeRecordViewSet, basename="outcome-record")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("villages/<slug:slug>/cascade/", VillageCascadeView.as_view(), name="village-cascade"),
    *router.urls,
]
