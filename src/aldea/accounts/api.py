"""API of people and memberships, and the building blocks every app's ``api.py`` uses.

Conventions of the whole API (documented here once):

* **Identifiers.** A resource whose model has a globally unique code or slug is addressed by it
  (``/api/enterprises/tapetes-ruiz/``); the others by their integer id. Administrative areas,
  whose official codes are unique only within a country, are addressed by ``<country>-<code>``
  (``MX-20546``).
* **Foreign keys** are read and written with the same identifier as the target's URL: a code
  or slug where the target has one, otherwise an id. A key the requesting user cannot see is
  answered as unknown (400), so the API never confirms that an out-of-scope record exists.
* **Scope.** Every queryset comes from ``aldea.accounts.scoping``: rows out of scope answer 404;
  a write the user's role does not allow answers 403.
* **Validation.** Serializers check the model's database constraints before writing, so bad
  input answers 400 naming the field and the reason. Writes run in one transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, MultipleObjectsReturned
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.settings import api_settings

from aldea.accounts import scoping
from aldea.accounts.models import Membership, Person, Role
from aldea.partners.models import Organisation
from aldea.programmes.models import Programme, Village
from aldea.territories.models import AdministrativeArea, Locality

# --- fields -----------------------------------------------------------------------------------


class ScopedRelatedMixin:
    """Limits a related field's choices to the rows the requesting user can see."""

    def __init__(self, *, visible: Callable | None = None, **kwargs):
        self.visible = visible
        super().__init__(**kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        if self.visible is not None and request is not None:
            queryset = self.visible(request.user)
        return queryset


class CodeRelatedField(ScopedRelatedMixin, serializers.SlugRelatedField):
    """A foreign key read and written as the target's code or slug."""

    default_error_messages = {"ambiguous": "{slug_name}={value} matches several records."}

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except MultipleObjectsReturned:
            self.fail("ambiguous", slug_name=self.slug_field, value=data)


class IdRelatedField(ScopedRelatedMixin, serializers.PrimaryKeyRelatedField):
    """A foreign key read and written as the target's id (for models without a unique code)."""


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


# --- serializers ------------------------------------------------------------------------------


class ModelSerializer(serializers.ModelSerializer):
    """Checks the model's constraints (unique and check) before any write reaches the database.

    DRF's own unique-together validators are replaced by the model's ``validate_constraints``,
    which also understands conditional and nullable unique constraints.
    """

    def get_validators(self):
        return list(getattr(getattr(self, "Meta", None), "validators", []))

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        many_to_many = {f.name for f in model._meta.many_to_many}
        written = {
            field.source for field in self._writable_fields if field.source not in many_to_many
        }
        if self.instance is None:
            candidate = model(**{k: v for k, v in attrs.items() if k not in many_to_many})
        else:
            candidate = model(**{f.attname: getattr(self.instance, f.attname) for f in model._meta.concrete_fields})
            candidate._state.adding = False
            for name, value in attrs.items():
                if name not in many_to_many:
                    setattr(candidate, name, value)
        exclude = {f.name for f in model._meta.concrete_fields if f.name not in written}
        try:
            candidate.validate_constraints(exclude=exclude)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(_serializer_errors(exc)) from exc
        return attrs


def _serializer_errors(exc: DjangoValidationError) -> dict:
    if not hasattr(exc, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if key == NON_FIELD_ERRORS else key): messages
        for key, messages in exc.message_dict.items()
    }


def require_order(attrs, instance, earlier: str, later: str, *, message: str | None = None):
    """400 on ``later`` when it falls before ``earlier`` (either may come from the instance)."""
    start = attrs.get(earlier, getattr(instance, earlier, None))
    end = attrs.get(later, getattr(instance, later, None))
    if start is not None and end is not None and end < start:
        raise serializers.ValidationError({later: message or f"must be on or after {earlier} ({start})."})


def current(attrs, instance, name, default=None):
    """The value ``name`` will have after this write."""
    if name in attrs:
        return attrs[name]
    return getattr(instance, name, default) if instance is not None else default


# --- viewsets ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """How a viewset is scoped.

    ``visible(user)`` gives the rows the user may read. ``writable(user)`` gives the rows that a
    write must hang from (the *anchor*, reached from the object by the dotted ``anchor`` path; an
    empty path means the object itself); ``None`` means only staff write. ``can_create(user)``
    decides creation for resources anchored to themselves.
    """

    visible: Callable
    writable: Callable | None = None
    anchor: str = ""
    can_create: Callable | None = None


class ScopedViewSet(viewsets.ModelViewSet):
    scope: Scope
    list_select_related: tuple = ()
    list_prefetch_related: tuple = ()

    def get_queryset(self):
        queryset = self.scope.visible(self.request.user)
        if self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        if self.list_prefetch_related:
            queryset = queryset.prefetch_related(*self.list_prefetch_related)
        if not queryset.ordered:
            # Pages of an unordered queryset may repeat or skip rows.
            queryset = queryset.order_by("pk")
        return queryset

    # -- permissions: reading is the queryset's business; writing is checked here.

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD", "OPTIONS") and not self._may_write_some(request.user):
            raise exceptions.PermissionDenied("Your role does not allow changes here.")

    def _may_write_some(self, user) -> bool:
        if scoping.is_global(user):
            return True
        if self.scope.writable is None or not scoping.reach_of(user).can_write_anything:
            return False
        if self.action == "create" and not self.scope.anchor:
            return bool(self.scope.can_create and self.scope.can_create(user))
        return self.scope.writable(user).exists()

    def check_object_permissions(self, request, obj):
        super().check_object_permissions(request, obj)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            self._require_writable(self._anchor({}, obj))

    def _anchor(self, values: dict, instance):
        if not self.scope.anchor:
            return instance
        first, *rest = self.scope.anchor.split(".")
        target = values[first] if first in values else getattr(instance, first, None)
        for name in rest:
            target = getattr(target, name, None) if target is not None else None
        return target

    def _require_writable(self, anchor):
        user = self.request.user
        if scoping.is_global(user):
            return
        if anchor is None or self.scope.writable is None:
            raise exceptions.PermissionDenied("Your role does not allow this change.")
        if not self.scope.writable(user).filter(pk=anchor.pk).exists():
            raise exceptions.PermissionDenied("Your role does not allow changes to this record.")

    # -- writes: one transaction each; the anchor is checked again with the new values.

    def perform_create(self, serializer):
        if self.scope.anchor:
            self._require_writable(self._anchor(serializer.validated_data, None))
        with transaction.atomic():
            self.save_new(serializer)

    def perform_update(self, serializer):
        if self.scope.anchor:
            self._require_writable(self._anchor(serializer.validated_data, serializer.instance))
        with transaction.atomic():
            self.save_changes(serializer)

    def perform_destroy(self, instance):
        try:
            with transaction.atomic():
                instance.delete()
        except (ProtectedError, RestrictedError) as exc:
            raise Conflict(
                f"{instance._meta.verbose_name} is still used by "
                f"{len(exc.protected_objects if hasattr(exc, 'protected_objects') else exc.restricted_objects)}"
                " other record(s); remove or reassign them first."
            ) from exc

    def save_new(self, serializer):
        serializer.save()

    def save_changes(self, serializer):
        serializer.save()


def everyone(model):
    """A ``visible`` function for reference data that every signed-in user reads."""

    def visible(user):
        return model.objects.all() if user.is_authenticated else model.objects.none()

    return visible


def reference_scope(model) -> Scope:
    """Reference data (countries, areas, scales, channels): everyone reads, only staff write."""
    return Scope(visible=everyone(model))


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The record is still in use."
    default_code = "conflict"


def any_manager(user) -> bool:
    reach = scoping.reach_of(user)
    return reach.is_global or bool(reach.manager_programme_ids)


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
        if not instance.has_contact_consent:
            data["email"] = data["phone"] = ""
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


class PersonViewSet(ScopedViewSet):
    """People: participants, staff and owners. Managers add and edit people of their programme."""

    scope = Scope(
        visible=scoping.persons_visible_to, writable=scoping.persons_writable_by, can_create=any_manager
    )
    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    search_fields = ["given_name", "family_name"]
    ordering_fields = ["family_name", "given_name", "birth_year", "created_at"]
    list_select_related = ("locality",)


class MembershipSerializer(ModelSerializer):
    """A role in a programme. ``person`` is an id; programme, village and organisation are slugs."""

    person = IdRelatedField(queryset=Person.objects.all(), visible=scoping.persons_visible_to)
    programme = CodeRelatedField(
        slug_field="slug", queryset=Programme.objects.all(), visible=scoping.programmes_managed_by
    )
    village = CodeRelatedField(
        slug_field="slug", queryset=Village.objects.all(), visible=scoping.villages_visible_to,
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
        if village is not None and programme is not None and village.programme_id != programme.id:
            raise serializers.ValidationError({"village": "belongs to another programme."})
        return super().validate(attrs)


class MembershipFilter(filters.FilterSet):
    programme = filters.CharFilter(field_name="programme__slug")
    village = filters.CharFilter(field_name="village__slug")
    organisation = filters.CharFilter(field_name="organisation__slug")

    class Meta:
        model = Membership
        fields = ["role", "is_active", "person"]


class MembershipViewSet(ScopedViewSet):
    """Roles of people in programmes; managers grant and end them."""

    scope = Scope(
        visible=scoping.memberships_visible_to, writable=scoping.programmes_managed_by, anchor="programme"
    )
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter
    search_fields = ["person__given_name", "person__family_name"]
    ordering_fields = ["role", "starts_on", "created_at"]
    list_select_related = ("person", "programme", "village", "organisation")

