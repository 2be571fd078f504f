"""API of the training cascade: courses, cohorts, sessions, enrolments, attendance, results and
certificates. Managers write all of it; trainers write the records of the cohorts they train.
Enrolments, attendance and certificates are written through ``aldea.training.services``."""

from dataclasses import asdict

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from aldea.accounts.models import Person
from aldea.accounts.queries import persons_nameable_by
from aldea.core.access import visible_or_404
from aldea.core.api import (
    CodeRelatedField,
    IdRelatedField,
    LargeTable,
    ModelSerializer,
    Scope,
    ScopedViewSet,
    ServiceFieldsMixin,
    current,
    require_order,
    require_village_of,
)
from aldea.enterprises.queries import enterprises_visible_to
from aldea.partners.models import Organisation
from aldea.programmes.models import Programme, Village
from aldea.programmes.queries import (
    programmes_managed_by,
    programmes_visible_to,
    villages_visible_to,
)
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
from aldea.training.queries import (
    assessment_results_listed_for,
    attendance_listed_for,
    cascade_for_village,
    certificates_listed_for,
    cohorts_visible_to,
    cohorts_writable_by,
    courses_visible_to,
    enrolments_visible_to,
    training_sessions_visible_to,
)

# --- courses and cohorts ----------------------------------------------------------------------


class CourseSerializer(ModelSerializer):
    programme = CodeRelatedField(slug_field="slug", queryset=Programme.objects.all(), visible=programmes_visible_to)

    class Meta:
        model = Course
        fields = [
            "id", "programme", "code", "title", "level", "hours", "passing_score", "min_attendance",
            "description", "created_at", "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {
            "passing_score": {"min_value": 0, "max_value": 100},
            "min_attendance": {"min_value": 0, "max_value": 1},
        }


class CourseFilter(filters.FilterSet):
    programme = filters.CharFilter(field_name="programme__slug")

    class Meta:
        model = Course
        fields = ["level", "code"]


class CourseViewSet(ScopedViewSet):
    scope = Scope(visible=courses_visible_to, writable=programmes_managed_by, anchor="programme")
    serializer_class = CourseSerializer
    filterset_class = CourseFilter
    search_fields = ["code", "title"]
    ordering_fields = ["level", "code", "title", "hours"]
    list_select_related = ("programme",)


class CohortSerializer(ModelSerializer):
    """A cohort of a course (id), in a village (slug), run by an institution (slug), with its
    trainers (person ids)."""

    course = IdRelatedField(queryset=Course.objects.all(), visible=courses_visible_to)
    village = CodeRelatedField(
        slug_field="slug", queryset=Village.objects.all(), visible=villages_visible_to,
        allow_null=True, required=False,
    )
    institution = CodeRelatedField(
        slug_field="slug", queryset=Organisation.objects.all(), allow_null=True, required=False
    )
    trainers = IdRelatedField(
        queryset=Person.objects.all(), visible=persons_nameable_by, many=True, required=False
    )

    class Meta:
        model = Cohort
        fields = [
            "code", "course", "village", "institution", "trainers", "starts_on", "ends_on", "capacity",
            "created_at", "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"capacity": {"min_value": 1}}

    def validate(self, attrs):
        require_order(attrs, self.instance, "starts_on", "ends_on")
        course = current(attrs, self.instance, "course")
        village = current(attrs, self.instance, "village")
        require_village_of(course and course.programme_id, village, other="course")
        return super().validate(attrs)


class CohortFilter(filters.FilterSet):
    programme = filters.CharFilter(field_name="course__programme__slug")
    village = filters.CharFilter(field_name="village__slug")
    institution = filters.CharFilter(field_name="institution__slug")
    level = filters.CharFilter(field_name="course__level")
    trainer = filters.NumberFilter(field_name="trainers__id", distinct=True)

    class Meta:
        model = Cohort
        fields = {"course": ["exact"], "starts_on": ["gte", "lte"]}


class CohortViewSet(ScopedViewSet):
    scope = Scope(visible=cohorts_visible_to, writable=programmes_managed_by, anchor="course.programme")
    serializer_class = CohortSerializer
    filterset_class = CohortFilter
    lookup_field = "code"
    search_fields = ["code", "course__title"]
    ordering_fields = ["starts_on", "ends_on", "code", "capacity"]
    list_select_related = ("course", "village", "institution")
    list_prefetch_related = ("trainers",)


# --- the records of a cohort (trainers of the cohort write them) -------------------------------


class TrainingSessionSerializer(ModelSerializer):
    cohort = CodeRelatedField(slug_field="code", queryset=Cohort.objects.all(), visible=cohorts_visible_to)

    class Meta:
        model = TrainingSession
        fields = ["id", "cohort", "number", "title", "held_on", "duration_minutes"]
        extra_kwargs = {"number": {"min_value": 1}, "duration_minutes": {"min_value": 1}}


class TrainingSessionFilter(filters.FilterSet):
    cohort = filters.CharFilter(field_name="cohort__code")

    class Meta:
        model = TrainingSession
        fields = {"held_on": ["gte", "lte"]}


class TrainingSessionViewSet(LargeTable, ScopedViewSet):
    scope = Scope(visible=training_sessions_visible_to, writable=cohorts_writable_by, anchor="cohort")
    serializer_class = TrainingSessionSerializer
    filterset_class = TrainingSessionFilter
    search_fields = ["title"]
    ordering_fields = ["held_on", "number"]
    list_select_related = ("cohort",)


class EnrolmentSerializer(ServiceFieldsMixin, ModelSerializer):
    """A person (id) enrolled in a cohort (code). The person holds an active role in the cohort's
    programme and the cohort has a free place; ``enrolled_on`` defaults to today. Changing
    ``status`` to ``withdrawn`` withdraws the participant and back to ``enrolled`` reinstates them;
    ``completed`` comes only with a certificate. Cohort and person are fixed once enrolled."""

    cohort = CodeRelatedField(slug_field="code", queryset=Cohort.objects.all(), visible=cohorts_visible_to)
    person = IdRelatedField(queryset=Person.objects.all(), visible=persons_nameable_by)
    person_name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = Enrolment
        fields = ["id", "cohort", "person", "person_name", "enrolled_on", "status", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"enrolled_on": {"required": False}}
        create_only_fields = ["cohort", "person"]

    def validate(self, attrs):
        if self.instance is None and attrs.get("status", Enrolment.Status.ENROLLED) != Enrolment.Status.ENROLLED:
            raise serializers.ValidationError({"status": "a new enrolment starts as enrolled."})
        return super().validate(attrs)


class EnrolmentFilter(filters.FilterSet):
    cohort = filters.CharFilter(field_name="cohort__code")
    level = filters.CharFilter(field_name="cohort__course__level")

    class Meta:
        model = Enrolment
        fields = {"status": ["exact"], "person": ["exact"], "enrolled_on": ["gte", "lte"]}


class EnrolmentViewSet(LargeTable, ScopedViewSet):
    scope = Scope(visible=enrolments_visible_to, writable=cohorts_writable_by, anchor="cohort")
    serializer_class = EnrolmentSerializer
    filterset_class = EnrolmentFilter
    search_fields = ["person__given_name", "person__family_name"]
    ordering_fields = ["enrolled_on", "status"]
    list_select_related = ("cohort", "person")

    def save_new(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.enrol(
            cohort=data["cohort"], person=data["person"], user=self.request.user, enrolled_on=data.get("enrolled_on"),
        )

    def save_changes(self, serializer):
        # The status goes through the service that owns it; the other fields are plain data.
        to_status = serializer.validated_data.pop("status", serializer.instance.status)
        enrolment = serializer.save()
        services.change_enrolment_status(enrolment=enrolment, to_status=to_status, user=self.request.user)
        enrolment.refresh_from_db()


class AttendanceSerializer(ServiceFieldsMixin, ModelSerializer):
    """Attendance of an enrolment (id) at a session (id) of the same cohort, recorded through the
    attendance service, which names the requesting user in ``recorded_by``. Session and
    enrolment are fixed once recorded; a correction changes ``status``."""

    session = IdRelatedField(queryset=TrainingSession.objects.all(), visible=training_sessions_visible_to)
    enrolment = IdRelatedField(queryset=Enrolment.objects.all(), visible=enrolments_visible_to)
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Attendance
        fields = ["id", "session", "enrolment", "status", "recorded_by", "recorded_at"]
        read_only_fields = ["recorded_at"]
        create_only_fields = ["session", "enrolment"]
        service_fields = {
            "recorded_by": "is the user who records the attendance.",
            "recorded_at": "is the time the attendance is recorded.",
        }


class AttendanceFilter(filters.FilterSet):
    cohort = filters.CharFilter(field_name="session__cohort__code")

    class Meta:
        model = Attendance
        fields = ["status", "session", "enrolment"]


class AttendanceViewSet(LargeTable, ScopedViewSet):
    scope = Scope(visible=attendance_listed_for, writable=cohorts_writable_by, anchor="enrolment.cohort")
    serializer_class = AttendanceSerializer
    filterset_class = AttendanceFilter
    ordering_fields = ["recorded_at", "status"]
    list_select_related = ("session", "enrolment", "recorded_by")

    def save_new(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.record_attendance(
            session=data["session"], enrolment=data["enrolment"], status=data["status"], user=self.request.user,
        )

    def save_changes(self, serializer):
        attendance = serializer.instance
        serializer.instance = services.record_attendance(
            session=attendance.session, enrolment=attendance.enrolment,
            status=serializer.validated_data.get("status", attendance.status), user=self.request.user,
        )


class AssessmentResultSerializer(ModelSerializer):
    """A graded assessment (score 0–100) of an enrolment (id), by an assessor (person id)."""

    enrolment = IdRelatedField(queryset=Enrolment.objects.all(), visible=enrolments_visible_to)
    assessor = IdRelatedField(
        queryset=Person.objects.all(), visible=persons_nameable_by, allow_null=True, required=False
    )

    class Meta:
        model = AssessmentResult
        fields = ["id", "enrolment", "name", "score", "assessed_on", "assessor"]
        extra_kwargs = {"score": {"min_value": 0, "max_value": 100}}


class AssessmentResultFilter(filters.FilterSet):
    cohort = filters.CharFilter(field_name="enrolment__cohort__code")

    class Meta:
        model = AssessmentResult
        fields = {"enrolment": ["exact"], "name": ["exact"], "score": ["gte", "lte"], "assessed_on": ["gte", "lte"]}


class AssessmentResultViewSet(LargeTable, ScopedViewSet):
    scope = Scope(
        visible=assessment_results_listed_for, writable=cohorts_writable_by,
        anchor="enrolment.cohort",
    )
    serializer_class = AssessmentResultSerializer
    filterset_class = AssessmentResultFilter
    search_fields = ["name"]
    ordering_fields = ["assessed_on", "score"]
    list_select_related = ("enrolment",)


class CertificateSerializer(ServiceFieldsMixin, ModelSerializer):
    """A certificate of an enrolment (id). ``POST`` issues it when the participant met the
    course's attendance and score rules (otherwise 400 naming what is missing); the platform
    draws the ``code`` (``ALD-XXXXX-XXXXX``); ``issued_on`` defaults to today. A certificate is
    never changed or deleted: the ``revoke`` action revokes it, for good, with a reason."""

    enrolment = IdRelatedField(queryset=Enrolment.objects.all(), visible=enrolments_visible_to)
    issued_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    is_revoked = serializers.BooleanField(read_only=True)

    class Meta:
        model = Certificate
        fields = ["code", "enrolment", "issued_on", "issued_by", "revoked_at", "revocation_reason", "is_revoked"]
        read_only_fields = ["code", "revoked_at", "revocation_reason"]
        extra_kwargs = {"issued_on": {"required": False}}
        service_fields = {
            "code": "is drawn by the platform when the certificate is issued; leave it out.",
            "issued_by": "is the user who issues the certificate.",
            "revoked_at": "is set by the revoke action (POST /api/certificates/{code}/revoke/).",
            "revocation_reason": "is given to the revoke action (POST /api/certificates/{code}/revoke/).",
            "is_revoked": "is set by the revoke action (POST /api/certificates/{code}/revoke/).",
        }


class RevocationSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class CertificateFilter(filters.FilterSet):
    cohort = filters.CharFilter(field_name="enrolment__cohort__code")
    is_revoked = filters.BooleanFilter(field_name="revoked_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Certificate
        fields = {"enrolment": ["exact"], "issued_on": ["gte", "lte"]}


class CertificateViewSet(LargeTable, ScopedViewSet):
    """Certificates: issued and revoked through the training services, never changed or deleted
    (they are printed and verified by code)."""

    scope = Scope(visible=certificates_listed_for, writable=cohorts_writable_by, anchor="enrolment.cohort")
    http_method_names = ["get", "post", "head", "options"]
    serializer_class = CertificateSerializer
    filterset_class = CertificateFilter
    lookup_field = "code"
    search_fields = ["code", "enrolment__person__family_name"]
    ordering_fields = ["issued_on", "code"]
    list_select_related = ("enrolment", "issued_by")

    def save_new(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.issue_certificate(
            enrolment=data["enrolment"], user=self.request.user, issued_on=data.get("issued_on"),
        )

    @extend_schema(request=RevocationSerializer, responses=CertificateSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, code=None):
        """Revoke the certificate, for good, with a reason (400 if it is revoked already)."""
        certificate = self.get_object()
        reason = RevocationSerializer(data=request.data)
        reason.is_valid(raise_exception=True)
        certificate = services.revoke_certificate(
            certificate=certificate, reason=reason.validated_data["reason"], user=request.user
        )
        return Response(CertificateSerializer(certificate, context=self.get_serializer_context()).data)


# --- the cascade of a village -----------------------------------------------------------------


class CascadeLinkSerializer(serializers.Serializer):
    trainer_id = serializers.IntegerField()
    trainer_name = serializers.CharField()
    cohort_code = serializers.CharField()
    consultant_id = serializers.IntegerField()
    consultant_name = serializers.CharField()
    enterprise_code = serializers.CharField()
    enterprise_name = serializers.CharField()


class VillageCascadeView(generics.GenericAPIView):
    """The village's training cascade, trainer → consultant → MSME served, through the MSMEs the
    user sees (an owner sees the trainers and consultants of her own MSME, not her neighbours')."""

    serializer_class = CascadeLinkSerializer
    pagination_class = None
    filter_backends = []

    @extend_schema(responses=CascadeLinkSerializer(many=True))
    def get(self, request, slug):
        village = visible_or_404(villages_visible_to(request.user), slug=slug)
        links = cascade_for_village(village, enterprises=enterprises_visible_to(request.user))
        return Response(self.get_serializer([asdict(link) for link in links], many=True).data)
