"""API of MSMEs and their products."""

from decimal import Decimal

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
    current,
    require_village_of,
)
from aldea.enterprises.models import ChannelKind, Enterprise, Product
from aldea.enterprises.queries import (
    enterprises_visible_to,
    enterprises_with_editable_products,
    products_visible_to,
)
from aldea.programmes.models import Programme, Village
from aldea.programmes.queries import (
    programmes_managed_by,
    programmes_visible_to,
    villages_visible_to,
)
from aldea.territories.api import AreaKeyField
from aldea.territories.models import AdministrativeArea, Locality


@extend_schema_field({
    "type": "array",
    "items": {"type": "string"},
    "description": "Sales channel kinds used before the programme, any of: "
    + ", ".join(value for value, _ in ChannelKind.choices),
})
class BaselineChannelsField(serializers.ListField):
    # Described without an enum: the same choices are the ``kind`` of sales channels, and one
    # choice set under two enum names makes drf-spectacular warn.
    pass


class EnterpriseSerializer(ModelSerializer):
    """An MSME in a programme (slug) and village (slug), owned by a person (id)."""

    programme = CodeRelatedField(slug_field="slug", queryset=Programme.objects.all(), visible=programmes_visible_to)
    village = CodeRelatedField(
        slug_field="slug", queryset=Village.objects.all(), visible=villages_visible_to,
        allow_null=True, required=False,
    )
    owner = IdRelatedField(
        queryset=Person.objects.all(), visible=persons_nameable_by, allow_null=True, required=False
    )
    municipality = AreaKeyField(level=AdministrativeArea.Level.MUNICIPALITY)
    locality = CodeRelatedField(slug_field="code", queryset=Locality.objects.all(), allow_null=True, required=False)
    baseline_channels = BaselineChannelsField(
        child=serializers.ChoiceField(choices=ChannelKind.choices), required=False, max_length=len(ChannelKind.choices)
    )

    class Meta:
        model = Enterprise
        fields = [
            "code", "name", "programme", "village", "group", "owner", "municipality", "locality", "sector",
            "speciality", "formal_status", "employees", "founded_year", "is_women_led", "baseline_channels",
            "has_showcase_consent", "created_at", "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"founded_year": {"min_value": 1800, "max_value": 2100}}

    def validate(self, attrs):
        group = current(attrs, self.instance, "group", Enterprise.Group.PARTICIPANT)
        village = current(attrs, self.instance, "village")
        programme = current(attrs, self.instance, "programme")
        if group == Enterprise.Group.PARTICIPANT and village is None:
            raise serializers.ValidationError({"village": "is required for a participating MSME."})
        require_village_of(programme and programme.id, village)
        locality = current(attrs, self.instance, "locality")
        municipality = current(attrs, self.instance, "municipality")
        if locality is not None and municipality is not None and locality.municipality_id != municipality.id:
            raise serializers.ValidationError({"locality": "is not in the MSME's municipality."})
        return super().validate(attrs)


class EnterpriseFilter(filters.FilterSet):
    programme = filters.CharFilter(field_name="programme__slug")
    village = filters.CharFilter(field_name="village__slug")
    municipality = filters.CharFilter(field_name="municipality__code")

    class Meta:
        model = Enterprise
        fields = {
            "group": ["exact"], "sector": ["exact"], "formal_status": ["exact"], "is_women_led": ["exact"],
            "owner": ["exact"], "employees": ["gte", "lte"], "founded_year": ["gte", "lte"],
        }


class EnterpriseViewSet(LargeTable, ScopedViewSet):
    """MSMEs in scope; managers register and edit them."""

    scope = Scope(visible=enterprises_visible_to, writable=programmes_managed_by, anchor="programme")
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter
    lookup_field = "code"
    search_fields = ["code", "name", "speciality"]
    ordering_fields = ["name", "code", "employees", "founded_year", "created_at"]
    list_select_related = ("programme", "village", "owner", "municipality__country", "locality")


class ProductSerializer(ModelSerializer):
    """A product of an MSME (code). Prices are positive, in the product's currency."""

    enterprise = CodeRelatedField(slug_field="code", queryset=Enterprise.objects.all(), visible=enterprises_visible_to)
    image_urls = serializers.ListField(child=serializers.URLField(max_length=500), required=False, max_length=20)

    class Meta:
        model = Product
        fields = [
            "id", "enterprise", "sku", "title", "description", "category", "price", "currency", "stock",
            "brand", "gtin", "mpn", "is_handmade", "image_urls", "created_at", "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"price": {"min_value": Decimal("0.01")}}

    def validate_gtin(self, value):
        if value and not (value.isascii() and value.isdigit() and 8 <= len(value) <= 14):
            raise serializers.ValidationError("must be 8 to 14 digits, or empty for goods without one.")
        return value

    def validate_currency(self, value):
        if not (len(value) == 3 and value.isascii() and value.isalpha() and value.isupper()):
            raise serializers.ValidationError("must be three upper-case letters (ISO 4217).")
        return value


class ProductFilter(filters.FilterSet):
    enterprise = filters.CharFilter(field_name="enterprise__code")
    village = filters.CharFilter(field_name="enterprise__village__slug")

    class Meta:
        model = Product
        fields = {"category": ["exact"], "is_handmade": ["exact"], "price": ["gte", "lte"], "stock": ["gte"]}


class ProductViewSet(LargeTable, ScopedViewSet):
    """Products; consultants and managers edit those of MSMEs they serve, owners their own."""

    scope = Scope(
        visible=products_visible_to, writable=enterprises_with_editable_products, anchor="enterprise"
    )
    serializer_class = ProductSerializer
    filterset_class = ProductFilter
    search_fields = ["sku", "title", "category", "brand"]
    ordering_fields = ["title", "price", "stock", "created_at"]
    list_select_related = ("enterprise",)
