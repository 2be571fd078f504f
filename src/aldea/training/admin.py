from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from aldea.core.admin_actions import ServiceCreateMixin, service_action
from aldea.training import services
from aldea.training.models import (
    AssessmentResult,
    Attendance,
    Certificate,
    Cohort,
    Course,
    Enrolment,
    TrainingSession,
)


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "level", "programme", "hours", "passing_score"]
    list_filter = ["level", "programme"]
    search_fields = ["code", "title"]


class TrainingSessionInline(admin.TabularInline):
    model = TrainingSession
    extra = 0


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["code", "course", "village", "institution", "starts_on", "ends_on", "capacity"]
    list_filter = ["course__level", "village"]
    search_fields = ["code", "course__title", "village__name", "institution__name"]
    list_select_related = ["course", "village", "institution"]
    raw_id_fields = ["trainers"]
    inlines = [TrainingSessionInline]


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ["cohort", "number", "title", "held_on"]
    list_filter = ["cohort__course__level"]
    search_fields = ["cohort__code", "title"]
    list_select_related = ["cohort"]


def _withdraw(enrolment, *, user):
    services.withdraw(enrolment=enrolment, user=user)


def _reinstate(enrolment, *, user):
    services.reinstate(enrolment=enrolment, user=user)


def _certify(enrolment, *, user):
    services.issue_certificate(enrolment=enrolment, user=user)


@admin.register(Enrolment)
class EnrolmentAdmin(ServiceCreateMixin, admin.ModelAdmin):
    """Enrolled through ``services.enrol`` (a member of the programme, a free place); the status
    changes through the actions (withdraw, reinstate, certify), never by hand."""

    list_display = ["person", "cohort", "status", "enrolled_on"]
    list_filter = ["status", "cohort__course__level"]
    search_fields = ["person__given_name", "person__family_name", "cohort__code"]
    list_select_related = ["person", "cohort"]
    raw_id_fields = ["person", "cohort"]
    readonly_fields = ["status"]
    create_service = staticmethod(services.enrol)
    create_refusal = staticmethod(lambda data: services.enrolment_refusal(cohort=data["cohort"], person=data["person"]))
    actions = [
        service_action("withdraw_enrolments", _("Withdraw the participants"), _withdraw),
        service_action("reinstate_enrolments", _("Reinstate the withdrawn participants"), _reinstate),
        service_action("issue_certificates", _("Issue certificates to those who met the rules"), _certify),
    ]

    def get_readonly_fields(self, request, obj=None):
        fixed = ["cohort", "person"] if obj is not None else []
        return [*super().get_readonly_fields(request, obj), *fixed]


@admin.register(Attendance)
class AttendanceAdmin(ServiceCreateMixin, admin.ModelAdmin):
    """Recorded and corrected through ``services.record_attendance``, which names the user."""

    list_display = ["enrolment", "session", "status", "recorded_by", "recorded_at"]
    list_filter = ["status"]
    search_fields = ["enrolment__person__family_name", "session__cohort__code"]
    list_select_related = ["enrolment__person", "enrolment__cohort", "session__cohort", "recorded_by"]
    raw_id_fields = ["enrolment", "session"]
    readonly_fields = ["recorded_by", "recorded_at"]
    create_service = staticmethod(services.record_attendance)
    create_refusal = staticmethod(
        lambda data: services.attendance_refusal(session=data["session"], enrolment=data["enrolment"])
    )

    def get_readonly_fields(self, request, obj=None):
        fixed = ["session", "enrolment"] if obj is not None else []
        return [*super().get_readonly_fields(request, obj), *fixed]

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        services.record_attendance(session=obj.session, enrolment=obj.enrolment, status=obj.status, user=request.user)
        obj.refresh_from_db()


@admin.register(AssessmentResult)
class AssessmentResultAdmin(admin.ModelAdmin):
    list_display = ["enrolment", "name", "score", "assessed_on"]
    search_fields = ["enrolment__person__family_name", "name"]
    list_select_related = ["enrolment__person", "enrolment__cohort"]
    raw_id_fields = ["enrolment", "assessor"]


def _revoke(certificate, *, user, reason):
    services.revoke_certificate(certificate=certificate, reason=reason, user=user)


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """Certificates are issued from the enrolments (the "Issue certificates" action, which applies
    the certification rules and draws the code) and revoked with the action here; no field is
    edited by hand and none is ever deleted."""

    list_display = ["code", "enrolment", "issued_on", "issued_by", "revoked_at"]
    list_filter = ["issued_on"]
    search_fields = ["code", "enrolment__person__given_name", "enrolment__person__family_name"]
    list_select_related = ["enrolment__person", "enrolment__cohort", "issued_by"]
    actions = [service_action("revoke_certificates", _("Revoke the certificates…"), _revoke, asks_reason=True)]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # The list keeps its revoke action (a model-wide change); a certificate's own page is view-only.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False
