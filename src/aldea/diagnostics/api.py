"""API of the digital-maturity instrument (reference data) and assessments of MSMEs.

An assessment is created from its answers (question code → value) and scored by
``diagnostics.services.record_assessment``; scores are never written by hand.
"""

from decimal import Decimal

from django.db.models import Prefetch
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from aldea.accounts.models import Person
from aldea.accounts.queries import persons_nameable_by
from aldea.core.api import (
    CodeRelatedField,
    IdRelatedField,
    LargeTable,
    ModelSerializer,
    Scope,
    ScopedViewSet,
    reference_scope,
)
from aldea.diagnostics.models import (
    Answer,
    AnswerOption,
    AnswerScale,
    Assessment,
    Dimension,
    Instrument,
    Question,
)
from aldea.diagnostics.queries import assessments_visible_to, enterprises_diagnosable_by
from aldea.diagnostics.scoring import ScoringError
from aldea.diagnostics.services import record_assessment
from aldea.enterprises.models import Enterprise
from aldea.enterprises.queries import enterprises_visible_to

# --- the instrument (reference data: staff write) ---------------------------------------------


class InstrumentSerializer(ModelSerializer):
    class Meta:
        model = Instrument
        fields = ["code", "name", "version", "description"]


class InstrumentViewSet(ScopedViewSet):
    scope = reference_scope(Instrument)
    serializer_class = InstrumentSerializer
    lookup_field = "code"
    filterset_fields = ["version"]
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name"]


class DimensionSerializer(ModelSerializer):
    instrument = CodeRelatedField(slug_field="code", queryset=Instrument.objects.all())

    class Meta:
        model = Dimension
        fields = ["id", "instrument", "code", "name", "position", "weight"]
        extra_kwargs = {"weight": {"min_value": Decimal("0.01")}}


class DimensionFilter(filters.FilterSet):
    instrument = filters.CharFilter(field_name="instrument__code")

    class Meta:
        model = Dimension
        fields = ["code"]


class DimensionViewSet(ScopedViewSet):
    scope = reference_scope(Dimension)
    serializer_class = DimensionSerializer
    filterset_class = DimensionFilter
    search_fields = ["code", "name"]
    ordering_fields = ["position", "code"]
    list_select_related = ("instrument",)


class AnswerScaleSerializer(ModelSerializer):
    class Meta:
        model = AnswerScale
        fields = ["code", "name"]


class AnswerScaleViewSet(ScopedViewSet):
    scope = reference_scope(AnswerScale)
    serializer_class = AnswerScaleSerializer
    lookup_field = "code"
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name"]


class AnswerOptionSerializer(ModelSerializer):
    scale = CodeRelatedField(slug_field="code", queryset=AnswerScale.objects.all())

    class Meta:
        model = AnswerOption
        fields = ["id", "scale", "value", "label"]


class AnswerOptionFilter(filters.FilterSet):
    scale = filters.CharFilter(field_name="scale__code")

    class Meta:
        model = AnswerOption
        fields = ["value"]


class AnswerOptionViewSet(ScopedViewSet):
    scope = reference_scope(AnswerOption)
    serializer_class = AnswerOptionSerializer
    filterset_class = AnswerOptionFilter
    search_fields = ["label"]
    ordering_fields = ["value"]
    list_select_related = ("scale",)


class QuestionSerializer(ModelSerializer):
    """A question of a dimension (id), answered on a scale (code)."""

    dimension = IdRelatedField(queryset=Dimension.objects.all())
    scale = CodeRelatedField(slug_field="code", queryset=AnswerScale.objects.all())

    class Meta:
        model = Question
        fields = ["id", "dimension", "code", "text", "position", "scale", "weight"]
        extra_kwargs = {"weight": {"min_value": Decimal("0.01")}}


class QuestionFilter(filters.FilterSet):
    instrument = filters.CharFilter(field_name="dimension__instrument__code")
    dimension_code = filters.CharFilter(field_name="dimension__code")

    class Meta:
        model = Question
        fields = ["dimension", "code"]


class QuestionViewSet(ScopedViewSet):
    scope = reference_scope(Question)
    serializer_class = QuestionSerializer
    filterset_class = QuestionFilter
    search_fields = ["code", "text"]
    ordering_fields = ["position", "code"]
    list_select_related = ("dimension", "scale")


# --- assessments of MSMEs ---------------------------------------------------------------------


@extend_schema_field(
    {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}, "example": {"registro": 3}}
)
class AnswersField(serializers.DictField):
    """Answers keyed by question code; read from the assessment's Answer rows."""

    def __init__(self, **kwargs):
        super().__init__(child=serializers.IntegerField(min_value=0, max_value=1000), **kwargs)

    def get_attribute(self, instance):
        if hasattr(instance, "answers_by_code"):  # read for a whole page (AssessmentViewSet)
            return instance.answers_by_code
        return {answer.question.code: answer.value for answer in instance.answers.all()}


class AssessmentSerializer(ModelSerializer):
    """A maturity assessment of an MSME (code) with an instrument (code). Write the answers;
    the dimension scores, score (0–100) and level are computed."""

    enterprise = CodeRelatedField(slug_field="code", queryset=Enterprise.objects.all(), visible=enterprises_visible_to)
    instrument = CodeRelatedField(slug_field="code", queryset=Instrument.objects.all())
    assessor = IdRelatedField(
        queryset=Person.objects.all(), visible=persons_nameable_by, allow_null=True, required=False
    )
    answers = AnswersField()
    dimension_scores = serializers.DictField(child=serializers.FloatField(), read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id", "enterprise", "instrument", "assessed_on", "assessor", "answers", "dimension_scores", "score",
            "level", "created_at", "updated_at",
        ]
        read_only_fields = ["score", "level", "created_at", "updated_at"]

    def create(self, validated_data):
        try:
            return record_assessment(
                enterprise=validated_data["enterprise"],
                instrument=validated_data["instrument"],
                answers=validated_data["answers"],
                assessed_on=validated_data["assessed_on"],
                assessor=validated_data.get("assessor"),
            )
        except ScoringError as exc:
            raise serializers.ValidationError({"answers": exc.problems}) from exc

    def update(self, instance, validated_data):
        # Answers are the assessment: changing them means recording a new assessment.
        for name in ("assessed_on", "assessor"):
            if name in validated_data:
                setattr(instance, name, validated_data[name])
        instance.save()
        return instance

    def validate(self, attrs):
        if self.instance is not None and {"answers", "instrument", "enterprise"} & attrs.keys():
            raise serializers.ValidationError(
                {"answers": "an assessment's MSME, instrument and answers are fixed; record a new assessment."}
            )
        return super().validate({k: v for k, v in attrs.items() if k != "answers"}) | (
            {"answers": attrs["answers"]} if "answers" in attrs else {}
        )


class AssessmentFilter(filters.FilterSet):
    enterprise = filters.CharFilter(field_name="enterprise__code")
    village = filters.CharFilter(field_name="enterprise__village__slug")
    instrument = filters.CharFilter(field_name="instrument__code")

    class Meta:
        model = Assessment
        fields = {"level": ["exact"], "assessed_on": ["gte", "lte"], "score": ["gte", "lte"], "assessor": ["exact"]}


class AssessmentViewSet(LargeTable, ScopedViewSet):
    """Assessments in scope; consultants and managers record them for MSMEs they serve."""

    scope = Scope(visible=assessments_visible_to, writable=enterprises_diagnosable_by, anchor="enterprise")
    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter
    ordering_fields = ["assessed_on", "score"]
    list_select_related = ("enterprise", "instrument")
    list_prefetch_related = (Prefetch("answers", queryset=Answer.objects.select_related("question")),)

    def paginate_queryset(self, queryset):
        """A page's answers are read as (assessment, code, value) rows in one query, not as
        models: some 1,300 answers and their questions a page, whose objects alone made Python's
        garbage collector pause for most of a second on one page in ten at 100,000 MSMEs."""
        page = super().paginate_queryset(queryset.prefetch_related(None))
        if page is not None:
            answers = {assessment.pk: {} for assessment in page}
            for assessment_id, code, value in Answer.objects.filter(assessment_id__in=answers).values_list(
                "assessment_id", "question__code", "value"
            ):
                answers[assessment_id][code] = value
            for assessment in page:
                assessment.answers_by_code = answers[assessment.pk]
        return page
