"""API of sales channels (reference data), listings of products on channels, and monthly
outcome records of MSMEs."""

from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from rest_framework import serializers

from aldea.core.api import (
    CodeRelatedField,
    IdRelatedField,
    LargeTable,
    ModelSerializer,
    Scope,
    ScopedViewSet,
    current,
    reference_scope,
)
from aldea.enterprises.models import Enterprise, Product
from aldea.enterprises.queries import (
    enterprises_served_by,
    enterprises_visible_to,
    products_visible_to,
)
from aldea.outcomes.models import Listing, OutcomeRecord, SalesChannel
from aldea.outcomes.queries import listings_visible_to, outcome_records_visible_to
from aldea.outcomes.services import (
    delete_outcome_record,
    entry_source,
    outcome_problems,
    save_outcome_record,
)


class SalesChannelSerializer(ModelSerializer):
    class Meta:
        model = SalesChannel
        fields = ["code", "name", "kind", "website"]


class SalesChannelViewSet(ScopedViewSet):
    scope = reference_scope(SalesChannel)
    serializer_class = SalesChannelSerializer
    lookup_field = "code"
    filterset_fields = ["kind"]
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name"]


class ListingSerializer(ModelSerializer):
    """A product (id) on a channel (code); ``live`` needs ``live_on``."""

    product = IdRelatedField(queryset=Product.objects.all(), visible=products_visible_to)
    channel = CodeRelatedField(slug_field="code", queryset=SalesChannel.objects.all())
    enterprise = serializers.CharField(source="product.enterprise.code", read_only=True)

    class Meta:
        model = Listing
        fields = [
            "id", "product", "enterprise", "channel", "external_id", "url", "status", "live_on", "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def validate(self, attrs):
        if current(attrs, self.instance, "status") == Listing.Status.LIVE and not current(attrs, self.instance, "live_on"):
            raise serializers.ValidationError({"live_on": "is required for a live listing."})
        return super().validate(attrs)


class ListingFilter(filters.FilterSet):
    enterprise = filters.CharFilter(field_name="product__enterprise__code")
    village = filters.CharFilter(field_name="product__enterprise__village__slug")
    channel = filters.CharFilter(field_name="channel__code")

    class Meta:
        model = Listing
        fields = {"status": ["exact"], "product": ["exact"], "live_on": ["gte", "lte"]}


class ListingViewSet(LargeTable, ScopedViewSet):
    scope = Scope(visible=listings_visible_to, writable=enterprises_served_by, anchor="product.enterprise")
    serializer_class = ListingSerializer
    filterset_class = ListingFilter
    search_fields = ["external_id", "product__title"]
    ordering_fields = ["live_on", "status", "created_at"]
    list_select_related = ("product__enterprise", "channel")


class OutcomeRecordSerializer(ModelSerializer):
    """An MSME's (code) results in a month, given as the month's first day (``2025-03-01``).
    Online sales are part of total sales."""

    enterprise = CodeRelatedField(slug_field="code", queryset=Enterprise.objects.all(), visible=enterprises_visible_to)

    class Meta:
        model = OutcomeRecord
        fields = [
            "id", "enterprise", "month", "currency", "total_sales", "online_sales", "orders", "units", "employees",
            "export_markets", "source", "created_at", "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"total_sales": {"min_value": 0}, "online_sales": {"min_value": 0}}

    def validate(self, attrs):
        # The checks the outcome entry page applies too (aldea.outcomes.services).
        values = {f: current(attrs, self.instance, f) for f in OutcomeRecord.FIGURES}
        values["total_sales"] = values["total_sales"] or 0
        values["online_sales"] = values["online_sales"] or 0
        problems = outcome_problems(month=current(attrs, self.instance, "month"), values=values)
        if problems:
            raise serializers.ValidationError(problems)
        # "The owner's entry" is the owner's to claim: the same rule as the outcome entry page.
        enterprise = current(attrs, self.instance, "enterprise")
        own_source = entry_source(user=self.context["request"].user, enterprise=enterprise)
        if attrs.get("source") == OutcomeRecord.Source.OWNER and own_source != OutcomeRecord.Source.OWNER:
            raise serializers.ValidationError({"source": _("Only the MSME's owner enters figures as her own.")})
        attrs.setdefault("source", own_source)
        return super().validate(attrs)

    # Each figure written here keeps its source: what the client names, else the writer's own
    # entry on the platform (which a later channel report may not replace; OutcomeRecord.SOURCE_RANK).
    def create(self, validated_data):
        source = validated_data["source"]
        return save_outcome_record(
            record=OutcomeRecord(), values=validated_data, user=self.context["request"].user, source=source
        )

    def update(self, instance, validated_data):
        source = validated_data["source"]
        return save_outcome_record(
            record=instance, values=validated_data, user=self.context["request"].user, source=source
        )


class OutcomeRecordFilter(filters.FilterSet):
    enterprise = filters.CharFilter(field_name="enterprise__code")
    village = filters.CharFilter(field_name="enterprise__village__slug")
    programme = filters.CharFilter(field_name="enterprise__programme__slug")
    group = filters.CharFilter(field_name="enterprise__group")

    class Meta:
        model = OutcomeRecord
        fields = {"month": ["exact", "gte", "lte"], "source": ["exact"], "total_sales": ["gte", "lte"]}


class OutcomeRecordViewSet(LargeTable, ScopedViewSet):
    scope = Scope(visible=outcome_records_visible_to, writable=enterprises_served_by, anchor="enterprise")
    serializer_class = OutcomeRecordSerializer
    filterset_class = OutcomeRecordFilter
    ordering_fields = ["month", "total_sales", "online_sales", "orders"]
    list_select_related = ("enterprise",)

    def perform_destroy(self, instance):
        delete_outcome_record(record=instance, user=self.request.user)
