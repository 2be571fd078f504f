"""API of partner organisations, agreements and partner roles in villages."""

from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from aldea.accounts.queries import manages_any
from aldea.core.api import (
    CodeRelatedField,
    ModelSerializer,
    Scope,
    ScopedViewSet,
    require_order,
)
from aldea.partners.models import Agreement, AgreementState, Organisation, VillagePartnerRole
from aldea.partners.queries import (
    agreements_visible_to,
    organisations_visible_to,
    organisations_writable_by,
    village_partner_roles_visible_to,
)
from aldea.programmes.models import Programme, Village
from aldea.programmes.queries import (
    programmes_managed_by,
    programmes_visible_to,
    villages_visible_to,
)
from aldea.territories.api import AreaKeyField
from aldea.territories.models import AdministrativeArea, Country


class OrganisationSerializer(ModelSerializer):
    country = CodeRelatedField(slug_field="code", queryset=Country.objects.all())
    municipality = AreaKeyField(level=AdministrativeArea.Level.MUNICIPALITY, allow_null=True, required=False)

    class Meta:
        model = Organisation
        fields = ["slug", "name", "kind", "helix", "country", "municipality", "website", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"helix": {"required": False}}

    def validate(self, attrs):
        # The helix defaults to the one the kind usually belongs to; the programme may override it.
        if self.instance is None and "helix" not in attrs and "kind" in attrs:
            attrs["helix"] = Organisation.DEFAULT_HELIX[attrs["kind"]]
        return super().validate(attrs)


class OrganisationFilter(filters.FilterSet):
    country = filters.CharFilter(field_name="country__code")
    programme = filters.CharFilter(field_name="agreements__programme__slug", distinct=True)

    class Meta:
        model = Organisation
        fields = ["kind", "helix"]


class OrganisationViewSet(ScopedViewSet):
    """Partner organisations (visible to every user); managers add them and edit their partners."""

    scope = Scope(
        visible=organisations_visible_to, writable=organisations_writable_by,
        can_create=manages_any,
    )
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    lookup_field = "slug"
    search_fields = ["slug", "name"]
    ordering_fields = ["name", "kind", "helix"]
    list_select_related = ("country", "municipality__country")


class AgreementSerializer(ModelSerializer):
    """An agreement of a programme (slug) with its parties (organisation slugs). ``status`` is what
    the parties decided (draft, signed, terminated); ``state`` follows from it and the dates: a
    signed agreement past its end date is expired."""

    state = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ChoiceField(choices=AgreementState.choices))
    def get_state(self, agreement) -> str:
        return agreement.state_on(timezone.localdate())

    programme = CodeRelatedField(slug_field="slug", queryset=Programme.objects.all(), visible=programmes_visible_to)
    parties = CodeRelatedField(slug_field="slug", queryset=Organisation.objects.all(), many=True)

    class Meta:
        model = Agreement
        fields = [
            "code", "title", "programme", "parties", "scope", "signed_on", "starts_on", "ends_on",
            "status", "state", "document", "created_at", "updated_at",
        ]
        read_only_fields = ["document", "created_at", "updated_at"]

    def validate(self, attrs):
        require_order(attrs, self.instance, "starts_on", "ends_on")
        return super().validate(attrs)


class AgreementFilter(filters.FilterSet):
    programme = filters.CharFilter(field_name="programme__slug")
    party = filters.CharFilter(field_name="parties__slug", distinct=True)

    class Meta:
        model = Agreement
        fields = {"status": ["exact"], "starts_on": ["gte", "lte"]}


class AgreementViewSet(ScopedViewSet):
    scope = Scope(visible=agreements_visible_to, writable=programmes_managed_by, anchor="programme")
    serializer_class = AgreementSerializer
    filterset_class = AgreementFilter
    lookup_field = "code"
    search_fields = ["code", "title"]
    ordering_fields = ["starts_on", "signed_on", "title"]
    list_select_related = ("programme",)
    list_prefetch_related = ("parties",)


class VillagePartnerRoleSerializer(ModelSerializer):
    village = CodeRelatedField(slug_field="slug", queryset=Village.objects.all(), visible=villages_visible_to)
    organisation = CodeRelatedField(slug_field="slug", queryset=Organisation.objects.all())

    class Meta:
        model = VillagePartnerRole
        fields = ["id", "village", "organisation", "role", "starts_on"]


class VillagePartnerRoleFilter(filters.FilterSet):
    village = filters.CharFilter(field_name="village__slug")
    organisation = filters.CharFilter(field_name="organisation__slug")
    programme = filters.CharFilter(field_name="village__programme__slug")

    class Meta:
        model = VillagePartnerRole
        fields = ["role"]


class VillagePartnerRoleViewSet(ScopedViewSet):
    scope = Scope(
        visible=village_partner_roles_visible_to, writable=programmes_managed_by,
        anchor="village.programme",
    )
    serializer_class = VillagePartnerRoleSerializer
    filterset_class = VillagePartnerRoleFilter
    ordering_fields = ["role", "starts_on"]
    list_select_related = ("village", "organisation")
