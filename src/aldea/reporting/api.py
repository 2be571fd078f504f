"""API of indicators (definitions over the platform's facts), their targets, and their values."""

from dataclasses import asdict

from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from aldea.accounts.queries import sees_whole
from aldea.core.api import (
    CodeRelatedField,
    IdRelatedField,
    ModelSerializer,
    Scope,
    ScopedViewSet,
    current,
    require_order,
    require_village_of,
)
from aldea.programmes.models import Indicator, IndicatorTarget, Programme, Village
from aldea.programmes.queries import (
    indicator_targets_visible_to,
    indicators_visible_to,
    programmes_managed_by,
    programmes_visible_to,
    villages_visible_to,
)
from aldea.reporting.indicators.values import (
    DISAGGREGATIONS,
    DefinitionError,
    check_definition,
    indicator_values,
)


class IndicatorSerializer(ModelSerializer):
    programme = CodeRelatedField(slug_field="slug", queryset=Programme.objects.all(), visible=programmes_visible_to)

    class Meta:
        model = Indicator
        fields = [
            "id", "programme", "code", "name", "unit", "description", "is_ascending", "definition", "period_type",
            "aggregation", "scale", "is_money", "is_headline", "position",
        ]

    def validate_definition(self, value):
        try:
            check_definition(value)
        except DefinitionError as exc:
            raise serializers.ValidationError(str(exc)) from exc
        return value


class IndicatorFilter(filters.FilterSet):
    programme = filters.CharFilter(field_name="programme__slug")

    class Meta:
        model = Indicator
        fields = ["code", "unit", "is_ascending"]


class IndicatorValueSerializer(serializers.Serializer):
    key = serializers.JSONField(allow_null=True, help_text="The group of the breakdown; null for the programme.")
    label = serializers.CharField()
    numerator = serializers.DecimalField(max_digits=20, decimal_places=2)
    denominator = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    value = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)


class IndicatorValuesQuery(serializers.Serializer):
    start = serializers.DateField(required=False, help_text="First day; default: the programme's start.")
    end = serializers.DateField(required=False, help_text="Last day; default: today.")
    by = serializers.ChoiceField(choices=list(DISAGGREGATIONS), required=False, help_text="A breakdown.")


class IndicatorViewSet(ScopedViewSet):
    scope = Scope(visible=indicators_visible_to, writable=programmes_managed_by, anchor="programme")
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter
    search_fields = ["code", "name"]
    ordering_fields = ["position", "code", "name"]
    list_select_related = ("programme",)

    @extend_schema(parameters=[IndicatorValuesQuery], responses=IndicatorValueSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def values(self, request, pk=None):
        """The indicator's values from live data over a period, whole or broken down, over the
        villages the user sees."""
        indicator = self.get_object()
        query = IndicatorValuesQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        start = query.validated_data.get("start", indicator.programme.starts_on)
        end = query.validated_data.get("end", timezone.localdate())
        if end < start:
            raise serializers.ValidationError({"end": "must be on or after start."})
        villages = None
        if not sees_whole(request.user, indicator.programme_id):
            villages = list(villages_visible_to(request.user).filter(programme_id=indicator.programme_id)
                            .values_list("id", flat=True))
        try:
            rows = indicator_values(indicator, start=start, end=end, by=query.validated_data.get("by"),
                                    village_ids=villages)
        except DefinitionError as exc:
            raise serializers.ValidationError({"by": str(exc)}) from exc
        return Response(IndicatorValueSerializer([asdict(row) for row in rows], many=True).data)


class IndicatorTargetSerializer(ModelSerializer):
    """A target of an indicator (by id) for the programme or a village (by slug) in a period."""

    indicator = IdRelatedField(queryset=Indicator.objects.all(), visible=indicators_visible_to)
    village = CodeRelatedField(
        slug_field="slug", queryset=Village.objects.all(), visible=villages_visible_to,
        allow_null=True, required=False,
    )

    class Meta:
        model = IndicatorTarget
        fields = ["id", "indicator", "village", "period_start", "period_end", "baseline", "target"]

    def validate(self, attrs):
        require_order(attrs, self.instance, "period_start", "period_end")
        indicator = current(attrs, self.instance, "indicator")
        village = current(attrs, self.instance, "village")
        require_village_of(indicator and indicator.programme_id, village, other="indicator")
        return super().validate(attrs)


class IndicatorTargetFilter(filters.FilterSet):
    programme = filters.CharFilter(field_name="indicator__programme__slug")
    indicator_code = filters.CharFilter(field_name="indicator__code")
    village = filters.CharFilter(field_name="village__slug")

    class Meta:
        model = IndicatorTarget
        fields = {"indicator": ["exact"], "period_start": ["gte", "lte"]}


class IndicatorTargetViewSet(ScopedViewSet):
    scope = Scope(
        visible=indicator_targets_visible_to, writable=programmes_managed_by,
        anchor="indicator.programme",
    )
    serializer_class = IndicatorTargetSerializer
    filterset_class = IndicatorTargetFilter
    ordering_fields = ["period_start", "target"]
    list_select_related = ("indicator", "village")
