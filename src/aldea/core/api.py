"""The building blocks every app's ``api.py`` uses, and error handling that never answers 500.

Conventions of the whole API (documented here once):

* **Identifiers.** A resource whose model has a globally unique code or slug is addressed by it
  (``/api/enterprises/tapetes-ruiz/``); the others by their integer id. Administrative areas,
  whose official codes are unique only within a country, are addressed by ``<country>-<code>``
  (``MX-20546``).
* **Foreign keys** are read and written with the same identifier as the target's URL: a code
  or slug where the target has one, otherwise an id. A key the requesting user cannot see is
  answered as unknown (400), so the API never confirms that an out-of-scope record exists.
* **Scope.** Every queryset comes from the apps' ``queries.py``: rows out of scope answer 404;
  a write the user's role does not allow answers 403.
* **Validation.** Serializers check the model's database constraints before writing, so bad
  input answers 400 naming the field and the reason. Writes run in one transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, MultipleObjectsReturned
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from aldea.core.access import is_global
from aldea.core.exceptions import DomainError


def exception_handler(exc, context):
    """DRF's handler, plus database and model validation errors turned into 400s with a reason."""
    if isinstance(exc, DomainError):
        exc = ValidationError({"non_field_errors": [str(exc)]})
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = ValidationError(detail)
    elif isinstance(exc, IntegrityError):
        # Constraint violations that slipped past the serializer (a race, a check constraint).
        return Response(
            {"non_field_errors": [f"The record breaks a data rule: {exc}".strip()]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    elif isinstance(exc, (DataError, OverflowError)):
        # A number too large for the column (PostgreSQL's DataError, SQLite's OverflowError).
        return Response(
            {"non_field_errors": [f"A value is out of range for the database: {exc}".strip()]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, ValidationError) and isinstance(exc.detail, list):
        # A bare list (DRF's search filter refusing a null character): every 400 body is an object
        # keyed by field, as the schema documents.
        exc = ValidationError({api_settings.NON_FIELD_ERRORS_KEY: exc.detail})
    return drf_exception_handler(exc, context)


@csrf_exempt  # it changes nothing; a CSRF refusal would answer Django's HTML 403 instead
def unknown_endpoint(request, *args, **kwargs):
    """A path under /api/ that no endpoint serves: a 404 in the API's JSON, not Django's HTML page."""
    return JsonResponse({"detail": exceptions.NotFound.default_detail}, status=status.HTTP_404_NOT_FOUND)


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



def require_village_of(programme_id, village, *, other: str = ""):
    """400 on ``village`` when it belongs to another programme than ``programme_id``
    (the programme of the record, or of the ``other`` record it hangs from)."""
    if programme_id is not None and village is not None and village.programme_id != programme_id:
        detail = f"belongs to another programme than the {other}." if other else "belongs to another programme."
        raise serializers.ValidationError({"village": detail})


# --- fields that a service writes (the write-path rule, decision P9) --------------------------


class ServiceFieldsMixin:
    """For serializers whose model has fields that only a service sets, or that only the
    creation sets (put it before ``ModelSerializer`` in the bases).

    ``Meta.service_fields`` maps a read-only field to how its value does change ("is drawn when
    the certificate is issued."); ``Meta.create_only_fields`` names fields written when the row
    is created and fixed afterwards. A request that sends either with a value other than the
    stored one answers 400 naming the field and the way to change it, rather than having the
    value silently ignored. Sending the stored value back (a PUT of what a GET returned) passes.
    """

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            errors = self._service_field_errors(data)
            if errors:
                raise serializers.ValidationError(errors)
        attrs = super().to_internal_value(data)
        if self.instance is not None:
            # The stored value sent back (a PUT) is not written again.
            for name in getattr(self.Meta, "create_only_fields", ()):
                attrs.pop(self.fields[name].source, None)
        return attrs

    def _service_field_errors(self, data) -> dict:
        errors = {}
        meta = self.Meta
        checked = dict(getattr(meta, "service_fields", {}))
        if self.instance is not None:
            for name in getattr(meta, "create_only_fields", ()):
                checked[name] = "is set when the record is created and cannot change."
        for name, how in checked.items():
            if name in data and not self._is_stored_value(name, data[name]):
                errors[name] = [how]
        return errors

    def _is_stored_value(self, name, sent) -> bool:
        if self.instance is None:
            return False
        field = self.fields[name]
        stored = field.to_representation(value) if (value := field.get_attribute(self.instance)) is not None else None
        return stored == sent or (stored is not None and sent is not None and str(stored) == str(sent))

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


class CursorListPagination(CursorPagination):
    """Pages of the largest tables (millions of rows at 100,000 MSMEs) by a cursor: ``next`` and
    ``previous`` are links that read on from where the page ended, by primary key unless the
    client orders otherwise. There is no ``count``: counting every visible row on each page
    cost more than the page itself, and so did the OFFSET of a deep page (docs/api.md, "Paging")."""

    page_size = api_settings.PAGE_SIZE
    ordering = ("pk",)

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        first = ordering[0].lstrip("-")
        if first != "pk":
            field = queryset.model._meta.get_field(first)
            if field.null:
                # A cursor marks its place by the first ordering field's value, which must be there.
                raise ValidationError({"ordering": [
                    f"Pages of this list cannot be ordered by {first}, which may be empty; order by another field."]})
        # The primary key breaks ties, so that a page never repeats or skips a row.
        return (*ordering, "pk") if first != "pk" else ordering


class LargeTable:
    """For viewsets over the largest tables: cursor pages, in primary-key order by default."""

    pagination_class = CursorListPagination
    ordering = ("pk",)


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
        if is_global(user):
            return True
        if self.scope.writable is None:
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
        if is_global(user):
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
