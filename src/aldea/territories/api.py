"""API of reference geography: countries, administrative areas and localities (staff write)."""

from django.http import Http404
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from aldea.core.api import (
    CodeRelatedField,
    Conflict,
    ModelSerializer,
    ScopedViewSet,
    reference_scope,
)
from aldea.territories.models import AdministrativeArea, Country, Locality


def area_key(area: AdministrativeArea) -> str:
    return f"{area.country_id and area.country.code}-{area.code}"


@extend_schema_field({"type": "string", "pattern": r"^[A-Z]{2}-[0-9A-Za-z]+$", "example": "MX-20546"})
class AreaKeyField(serializers.RelatedField):
    """An administrative area as ``<ISO country>-<official code>``, e.g. ``MX-20546``."""

    default_error_messages = {
        "invalid": "Expected <country>-<code>, such as MX-20546.",
        "does_not_exist": "No administrative area {value}.",
    }

    def __init__(self, *, level: str | None = None, **kwargs):
        self.level = level
        kwargs.setdefault("queryset", AdministrativeArea.objects.all())
        super().__init__(**kwargs)

    def to_representation(self, value):
        return area_key(value)

    def to_internal_value(self, data):
        if not isinstance(data, str) or "-" not in data:
            self.fail("invalid")
        country, code = data.split("-", 1)
        queryset = self.get_queryset().filter(country__code=country.upper(), code=code)
        if self.level:
            queryset = queryset.filter(level=self.level)
        area = queryset.select_related("country").first()
        if area is None:
            self.fail("does_not_exist", value=data)
        return area


class CountrySerializer(ModelSerializer):
    class Meta:
        model = Country
        fields = ["code", "name", "currency"]
        extra_kwargs = {"code": {"min_length": 2}, "currency": {"min_length": 3}}

    def validate_code(self, value):
        if not (len(value) == 2 and value.isascii() and value.isalpha() and value.isupper()):
            raise serializers.ValidationError("must be two upper-case letters (ISO 3166-1 alpha-2).")
        return value

    def validate_currency(self, value):
        if not (len(value) == 3 and value.isascii() and value.isalpha() and value.isupper()):
            raise serializers.ValidationError("must be three upper-case letters (ISO 4217).")
        return value


class CountryViewSet(ScopedViewSet):
    scope = reference_scope(Country)
    serializer_class = CountrySerializer
    lookup_field = "code"
    filterset_fields = ["currency"]
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name"]


class AdministrativeAreaSerializer(ModelSerializer):
    """A state or municipality. ``key`` (``MX-20546``) identifies it in URLs and foreign keys."""

    key = serializers.SerializerMethodField()
    country = CodeRelatedField(slug_field="code", queryset=Country.objects.all())
    parent = AreaKeyField(level=AdministrativeArea.Level.STATE, allow_null=True, required=False)

    class Meta:
        model = AdministrativeArea
        fields = [
            "key", "country", "level", "parent", "code", "name", "population", "households",
            "marginalisation_index", "marginalisation_degree", "source",
        ]

    def get_key(self, area) -> str:
        return f"{area.country.code}-{area.code}"

    def validate_code(self, value):
        # The code is half of the area's key in URLs (lookup_value_regex) and foreign keys.
        if not (value.isascii() and value.isalnum()):
            raise serializers.ValidationError("must be letters and digits only, as official codes are (20546).")
        return value

    def validate(self, attrs):
        level = attrs.get("level", getattr(self.instance, "level", None))
        parent = attrs.get("parent", getattr(self.instance, "parent", None))
        if level == AdministrativeArea.Level.STATE and parent is not None:
            raise serializers.ValidationError({"parent": "a state has no parent."})
        if level == AdministrativeArea.Level.MUNICIPALITY and parent is None:
            raise serializers.ValidationError({"parent": "a municipality needs its state."})
        # The key <country>-<code> names one area, so a code is unique within its country across
        # levels (INEGI and IBGE codes are: 2 digits for a state, 5 or 7 for a municipality).
        country = attrs.get("country", getattr(self.instance, "country", None))
        code = attrs.get("code", getattr(self.instance, "code", None))
        others = AdministrativeArea.objects.filter(country=country, code=code)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if country is not None and code is not None and others.exists():
            raise serializers.ValidationError(
                {"code": f"{country.code}-{code} already names another area; a code is unique within its country."}
            )
        return super().validate(attrs)


class AdministrativeAreaFilter(filters.FilterSet):
    country = filters.CharFilter(field_name="country__code")
    state = filters.CharFilter(field_name="parent__code", label="state code (municipalities only)")

    class Meta:
        model = AdministrativeArea
        fields = {"level": ["exact"], "marginalisation_degree": ["exact"], "population": ["gte", "lte"]}


class AdministrativeAreaViewSet(ScopedViewSet):
    """States and municipalities, addressed as ``<country>-<code>`` (``/api/areas/MX-20546/``)."""

    scope = reference_scope(AdministrativeArea)
    serializer_class = AdministrativeAreaSerializer
    filterset_class = AdministrativeAreaFilter
    lookup_field = "key"
    lookup_value_regex = r"[A-Za-z]{2}-[0-9A-Za-z]+"
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name", "population", "marginalisation_index"]
    list_select_related = ("country", "parent__country")

    def get_object(self):
        country, _, code = self.kwargs["key"].partition("-")
        queryset = self.filter_queryset(self.get_queryset())
        # Two areas with one key can come from an import or the admin (the API refuses them).
        areas = list(queryset.filter(country__code=country.upper(), code=code)[:2])
        if not areas:
            raise Http404
        if len(areas) > 1:
            raise Conflict(f"{self.kwargs['key']} names more than one area; give each a code of its own.")
        self.check_object_permissions(self.request, areas[0])
        return areas[0]


class LocalitySerializer(ModelSerializer):
    municipality = AreaKeyField(level=AdministrativeArea.Level.MUNICIPALITY)

    class Meta:
        model = Locality
        fields = [
            "code", "name", "municipality", "population", "households", "is_rural",
            "marginalisation_index", "marginalisation_degree", "latitude", "longitude",
        ]
        extra_kwargs = {
            "latitude": {"min_value": -90, "max_value": 90},
            "longitude": {"min_value": -180, "max_value": 180},
        }

    def validate(self, attrs):
        latitude = attrs.get("latitude", getattr(self.instance, "latitude", None))
        longitude = attrs.get("longitude", getattr(self.instance, "longitude", None))
        if (latitude is None) != (longitude is None):
            raise serializers.ValidationError({"longitude" if longitude is None else "latitude": "a point needs both latitude and longitude."})
        return super().validate(attrs)


class LocalityFilter(filters.FilterSet):
    municipality = filters.CharFilter(field_name="municipality__code")

    class Meta:
        model = Locality
        fields = {"is_rural": ["exact"], "marginalisation_degree": ["exact"], "population": ["gte", "lte"]}


class LocalityViewSet(ScopedViewSet):
    scope = reference_scope(Locality)
    serializer_class = LocalitySerializer
    filterset_class = LocalityFilter
    lookup_field = "code"
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name", "population", "marginalisation_index"]
    list_select_related = ("municipality__country",)
