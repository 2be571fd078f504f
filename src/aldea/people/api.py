"""API of people and their roles in programmes (conventions of the whole API: aldea.core.api)."""

from django_filters import rest_framework as filters
from rest_framework import serializers

from aldea.accounts.models import Membership, Person, Role
from aldea.accounts.queries import manages_any, persons_nameable_by, persons_writable_by
from aldea.core.api import (
    CodeRelatedField,
    IdRelatedField,
    LargeTable,
    ModelSerializer,
    Scope,
    ScopedViewSet,
    current,
    require_order,
    require_village_of,
)
from aldea.partners.models import Organisation
from aldea.people.queries import hidden_person_fields, memberships_visible_to, persons_visible_to
from aldea.programmes.models import Programme, Village
from aldea.programmes.queries import programmes_managed_by, villages_visible_to
from aldea.territories.models import Locality

# --- people and memberships -------------------------------------------------------------------


class PersonSerializer(ModelSerializer):
    """A person. Email and phone are shown only when the person consented to be contacted."""

    locality = CodeRelatedField(slug_field="code", queryset=Locality.objects.all(), allow_null=True, required=False)

    class Meta:
        model = Person
        fields = [
            "id", "given_name", "family_name", "sex", "birth_year", "speaks_indigenous_language",
            "indigenous_language", "email", "phone", "has_contact_consent", "contact_consent_on",
            "locality", "created_at", "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"birth_year": {"min_value": 1900, "max_value": 2030}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        for name in hidden_person_fields(request.user, instance) if request else ("email", "phone"):
            data[name] = ""
        return data

    def validate(self, attrs):
        if current(attrs, self.instance, "has_contact_consent") and not current(
            attrs, self.instance, "contact_consent_on"
        ):
            raise serializers.ValidationError({"contact_consent_on": "is required when the person consents."})
        return super().validate(attrs)


class PersonFilter(filters.FilterSet):
    programme = filters.CharFilter(field_name="memberships__programme__slug", distinct=True)
    role = filters.ChoiceFilter(field_name="memberships__role", choices=Role.choices, distinct=True)

    class Meta:
        model = Person
        fields = ["sex", "speaks_indigenous_language", "has_contact_consent"]


class PersonViewSet(LargeTable, ScopedViewSet):
    """People: participants, staff and owners. Managers add and edit people of their programme."""

    scope = Scope(
        visible=persons_visible_to, writable=persons_writable_by, can_create=manages_any
    )
    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    search_fields = ["given_name", "family_name"]
    ordering_fields = ["family_name", "given_name", "birth_year", "created_at"]
    list_select_related = ("locality",)


class MembershipSerializer(ModelSerializer):
    """A role in a programme. ``person`` is an id; programme, village and organisation are slugs."""

    person = IdRelatedField(queryset=Person.objects.all(), visible=persons_nameable_by)
    programme = CodeRelatedField(
        slug_field="slug", queryset=Programme.objects.all(), visible=programmes_managed_by
    )
    village = CodeRelatedField(
        slug_field="slug", queryset=Village.objects.all(), visible=villages_visible_to,
        allow_null=True, required=False,
    )
    organisation = CodeRelatedField(
        slug_field="slug", queryset=Organisation.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Membership
        fields = [
            "id", "person", "role", "programme", "village", "organisation", "starts_on", "ends_on",
            "is_active", "created_at", "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def validate(self, attrs):
        require_order(attrs, self.instance, "starts_on", "ends_on")
        if current(attrs, self.instance, "role") == Role.PARTNER and not current(attrs, self.instance, "organisation"):
            raise serializers.ValidationError({"organisation": "is required for a partner."})
        village = current(attrs, self.instance, "village")
        programme = current(attrs, self.instance, "programme")
        require_village_of(programme and programme.id, village)
        return super().validate(attrs)


class MembershipFilter(filters.FilterSet):
    programme = filters.CharFilter(field_name="programme__slug")
    village = filters.CharFilter(field_name="village__slug")
    organisation = filters.CharFilter(field_name="organisation__slug")

    class Meta:
        model = Membership
        fields = ["role", "is_active", "person"]


class MembershipViewSet(LargeTable, ScopedViewSet):
    """Roles of people in programmes; managers grant and end them."""

    scope = Scope(
        visible=memberships_visible_to, writable=programmes_managed_by, anchor="programme"
    )
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter
    search_fields = ["person__given_name", "person__family_name"]
    ordering_fields = ["role", "starts_on", "created_at"]
    list_select_related = ("person", "programme", "village", "organisation")

