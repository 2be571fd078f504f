from django.contrib import admin

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


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["person", "cohort", "status", "enrolled_on"]
    list_filter = ["status", "cohort__course__level"]
    search_fields = ["person__given_name", "person__family_name", "cohort__code"]
    list_select_related = ["person", "cohort"]
    raw_id_fields = ["person", "cohort"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["enrolment", "session", "status", "recorded_at"]
    list_filter = ["status"]
    search_fields = ["enrolment__person__family_name", "session__cohort__code"]
    list_select_related = ["enrolment__person", "enrolment__cohort", "session__cohort"]
    raw_id_fields = ["enrolment", "session", "recorded_by"]


@admin.register(AssessmentResult)
class AssessmentResultAdmin(admin.ModelAdmin):
    list_display = ["enrolment", "name", "score", "assessed_on"]
    search_fields = ["enrolment__person__family_name", "name"]
    list_select_related = ["enrolment__person", "enrolment__cohort"]
    raw_id_fields = ["enrolment", "assessor"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["code", "enrolment", "issued_on", "revoked_at"]
    list_filter = ["issued_on"]
    search_fields = ["code", "enrolment__person__given_name", "enrolment__person__family_name"]
    list_select_related = ["enrolment__person", "enrolment__cohort"]
    raw_id_fields = ["enrolment", "issued_by"]
