"""API of programmes, villages (programme sites), their status history, indicators and targets."""

from django_filters import rest_framework as filters
from rest_framework import serializers

from aldea.core.api import (
    CodeRelatedField,
    ModelSerializer,
    Scope,
    ScopedViewSet,
    current,
    require_order,
)
from aldea.programmes.models import (
    BudgetLine,
    FinancialTransaction,
    PlannedDisbursement,
    Programme,
    Village,
    VillageStatus,
    VillageStatusChange,
)
from aldea.programmes.queries import (
    budget_lines_visible_to,
    planned_disbursements_visible_to,
    programmes_managed_by,
    programmes_visible_to,
    transactions_visible_to,
    village_status_changes_visible_to,
    villages_visible_to,
)
from aldea.programmes.services import (
    BUDGET_FIELDS,
    PLANNED_DISBURSEMENT_FIELDS,
    TRANSACTION_FIELDS,
    change_village_status,
    create_village,
    delete_planned_disbursement,
    delete_transaction,
    save_budget_line,
    save_planned_disbursement,
    save_transaction,
)
from aldea.territories.api import AreaKeyField
from aldea.territories.models import AdministrativeArea, Country, Locality


class ProgrammeSerializer(ModelSerializer):
    country = CodeRelatedField(slug_field="code", queryset=Country.objects.all())

    class Meta:
        model = Programme
        fields = [
            "slug", "name", "country", "currency", "starts_on", "ends_on", "status", "description",
            "iati_identifier", "created_at", "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def validate_currency(self, value):
        if not (len(value) == 3 and value.isascii() and value.isalpha() and value.isupper()):
            raise serializers.ValidationError("must be three upper-case letters (ISO 4217).")
        return value

    def validate(self, attrs):
        require_order(attrs, self.instance, "starts_on", "ends_on")
        return super().validate(attrs)


class ProgrammeFilter(filters.FilterSet):
    country = filters.CharFilter(field_name="country__code")

    class Meta:
        model = Programme
        fields = {"status": ["exact"], "starts_on": ["gte", "lte"]}


class ProgrammeViewSet(ScopedViewSet):
    """Programmes the user belongs to. Staff create them; their managers edit them."""

    scope = Scope(visible=programmes_visible_to, writable=programmes_managed_by)
    serializer_class = ProgrammeSerializer
    filterset_class = ProgrammeFilter
    lookup_field = "slug"
    search_fields = ["slug", "name"]
    ordering_fields = ["starts_on", "name", "status"]
    list_select_related = ("country",)


class VillageSerializer(ModelSerializer):
    """A village of a programme. A new village may start at any status (an active or graduated
    one with its ``launched_on``); afterwards ``status`` moves through the village lifecycle
    service (candidate ⇄ selected → active → graduated), which records each move, and
    ``launched_on`` may be given with the move to active (it defaults to today)."""

    programme = CodeRelatedField(slug_field="slug", queryset=Programme.objects.all(), visible=programmes_visible_to)
    municipality = AreaKeyField(level=AdministrativeArea.Level.MUNICIPALITY)
    locality = CodeRelatedField(slug_field="code", queryset=Locality.objects.all(), allow_null=True, required=False)

    class Meta:
        model = Village
        fields = [
            "slug", "name", "programme", "municipality", "locality", "speciality", "status",
            "launched_on", "target_msmes", "story", "created_at", "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def validate(self, attrs):
        if self.instance is None:
            status = attrs.get("status", VillageStatus.CANDIDATE)
            if status not in (VillageStatus.CANDIDATE, VillageStatus.SELECTED) and not attrs.get("launched_on"):
                raise serializers.ValidationError({"launched_on": f"is required for a village that is {status}."})
        else:
            # The lifecycle service makes the move after the plain fields are saved; it is kept
            # out of the attributes so that the constraint check sees the village as it is now.
            self.status_move = self._status_move(attrs)
        locality = current(attrs, self.instance, "locality")
        municipality = current(attrs, self.instance, "municipality")
        if locality is not None and municipality is not None and locality.municipality_id != municipality.id:
            raise serializers.ValidationError({"locality": "is not in the village's municipality."})
        return super().validate(attrs)

    def _status_move(self, attrs):
        """(to_status, launch date) of the requested move, or None; takes both out of ``attrs``."""
        to_status = attrs.pop("status", self.instance.status)
        launched_on = attrs.pop("launched_on", self.instance.launched_on)
        activating = to_status == VillageStatus.ACTIVE and self.instance.status != VillageStatus.ACTIVE
        if launched_on != self.instance.launched_on and not activating:
            raise serializers.ValidationError({"launched_on": "is set when the village becomes active."})
        if to_status == self.instance.status:
            return None
        return to_status, (launched_on if activating else None)


class VillageFilter(filters.FilterSet):
    programme = filters.CharFilter(field_name="programme__slug")
    municipality = filters.CharFilter(field_name="municipality__code")

    class Meta:
        model = Village
        fields = {"status": ["exact"], "launched_on": ["gte", "lte"]}


class VillageViewSet(ScopedViewSet):
    """Villages in scope; a status change is recorded in the village's status history."""

    scope = Scope(visible=villages_visible_to, writable=programmes_managed_by, anchor="programme")
    serializer_class = VillageSerializer
    filterset_class = VillageFilter
    lookup_field = "slug"
    search_fields = ["slug", "name", "speciality"]
    ordering_fields = ["name", "status", "launched_on", "target_msmes"]
    list_select_related = ("programme", "municipality__country", "locality")

    def save_new(self, serializer):
        serializer.instance = create_village(**serializer.validated_data, user=self.request.user)

    def save_changes(self, serializer):
        # A status move goes through the lifecycle service, which records it in the history.
        village = serializer.save()
        if serializer.status_move is not None:
            to_status, launched_on = serializer.status_move
            change_village_status(village=village, to_status=to_status, user=self.request.user, on=launched_on)
            village.refresh_from_db()


class VillageStatusChangeSerializer(ModelSerializer):
    village = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    changed_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    # Plain strings: the village's ``status`` enum documents the values once, under one name.
    from_status = serializers.CharField(read_only=True)
    to_status = serializers.CharField(read_only=True)

    class Meta:
        model = VillageStatusChange
        fields = ["id", "village", "from_status", "to_status", "changed_at", "changed_by", "note"]


class VillageStatusChangeFilter(filters.FilterSet):
    village = filters.CharFilter(field_name="village__slug")

    class Meta:
        model = VillageStatusChange
        fields = {"to_status": ["exact"], "changed_at": ["gte", "lte"]}


class VillageStatusChangeViewSet(ScopedViewSet):
    """The status history of villages (read-only; written when a village's status changes)."""

    scope = Scope(visible=village_status_changes_visible_to)
    http_method_names = ["get", "head", "options"]
    serializer_class = VillageStatusChangeSerializer
    filterset_class = VillageStatusChangeFilter
    ordering_fields = ["changed_at"]
    list_select_related = ("village", "changed_by")


# -- the budget and disbursement register -------------------------------------------------------


class MoneySerializer(ModelSerializer):
    """Common checks of the register: an ISO 4217 currency, a period in order (IATI: a budget
    period is at most a year), the programme by its code."""

    programme = CodeRelatedField(slug_field="slug", queryset=Programme.objects.all(), visible=programmes_visible_to)

    def validate_currency(self, value):
        if not (len(value) == 3 and value.isascii() and value.isalpha() and value.isupper()):
            raise serializers.ValidationError("must be three upper-case letters (ISO 4217).")
        return value

    def validate(self, attrs):
        if "period_start" in self.Meta.fields:
            require_order(attrs, self.instance, "period_start", "period_end")
            start, end = current(attrs, self.instance, "period_start"), current(attrs, self.instance, "period_end")
            if start and end and (end - start).days > 366:
                raise serializers.ValidationError({"period_end": "IATI periods are at most a year long."})
        return super().validate(attrs)


class BudgetLineSerializer(MoneySerializer):
    class Meta:
        model = BudgetLine
        fields = ["id", "programme", "name", "kind", "status", "period_start", "period_end", "amount", "currency"]


class PlannedDisbursementSerializer(MoneySerializer):
    class Meta:
        model = PlannedDisbursement
        fields = ["id", "programme", "period_start", "period_end", "amount", "currency", "provider_name",
                  "provider_ref", "receiver_name", "receiver_ref"]


class FinancialTransactionSerializer(MoneySerializer):
    class Meta:
        model = FinancialTransaction
        fields = ["id", "programme", "kind", "transacted_on", "amount", "currency", "reference", "description",
                  "provider_name", "provider_ref", "receiver_name", "receiver_ref"]


class BudgetLineFilter(filters.FilterSet):
    programme = filters.CharFilter(field_name="programme__slug")

    class Meta:
        model = BudgetLine
        fields = ["kind", "status"]


class PlannedDisbursementFilter(filters.FilterSet):
    programme = filters.CharFilter(field_name="programme__slug")

    class Meta:
        model = PlannedDisbursement
        fields = []


class FinancialTransactionFilter(filters.FilterSet):
    programme = filters.CharFilter(field_name="programme__slug")

    class Meta:
        model = FinancialTransaction
        fields = ["kind"]


class BudgetLineViewSet(ScopedViewSet):
    """The programme's budget lines (seen by those who see the programme whole; managers write)."""

    scope = Scope(visible=budget_lines_visible_to, writable=programmes_managed_by, anchor="programme")
    serializer_class = BudgetLineSerializer
    filterset_class = BudgetLineFilter
    ordering_fields = ["period_start", "amount"]
    list_select_related = ("programme",)

    # The same service as the workspace's budget page (a PATCH keeps the fields it leaves out).
    def save_new(self, serializer):
        data = serializer.validated_data
        serializer.instance = save_budget_line(
            user=self.request.user, programme=data["programme"],
            **{name: data.get(name, BudgetLine._meta.get_field(name).get_default()) for name in BUDGET_FIELDS},
        )

    def save_changes(self, serializer):
        line, data = serializer.instance, serializer.validated_data
        line.programme = data.get("programme", line.programme)  # the viewset checked the new one
        serializer.instance = save_budget_line(
            user=self.request.user, programme=line.programme, line=line,
            **{name: data.get(name, getattr(line, name)) for name in BUDGET_FIELDS},
        )


class RegisterServiceMixin:
    """Writes through the register's service (the same as the workspace's budget page): a PATCH
    keeps the fields it leaves out; a delete goes through its ``delete_*`` service."""

    model: type
    fields: tuple
    save_service = delete_service = None
    argument = ""

    def save_new(self, serializer):
        data = serializer.validated_data
        default = lambda name: self.model._meta.get_field(name).get_default()
        serializer.instance = self.save_service(
            user=self.request.user, programme=data["programme"],
            **{name: data.get(name, default(name)) for name in self.fields},
        )

    def save_changes(self, serializer):
        row, data = serializer.instance, serializer.validated_data
        row.programme = data.get("programme", row.programme)  # the viewset checked the new one
        serializer.instance = self.save_service(
            user=self.request.user, programme=row.programme, **{self.argument: row},
            **{name: data.get(name, getattr(row, name)) for name in self.fields},
        )

    def perform_destroy(self, instance):
        self.delete_service(user=self.request.user, **{self.argument: instance})


class PlannedDisbursementViewSet(RegisterServiceMixin, ScopedViewSet):
    model, fields, argument = PlannedDisbursement, PLANNED_DISBURSEMENT_FIELDS, "disbursement"
    save_service, delete_service = staticmethod(save_planned_disbursement), staticmethod(delete_planned_disbursement)
    scope = Scope(visible=planned_disbursements_visible_to, writable=programmes_managed_by, anchor="programme")
    serializer_class = PlannedDisbursementSerializer
    filterset_class = PlannedDisbursementFilter
    ordering_fields = ["period_start", "amount"]
    list_select_related = ("programme",)


class FinancialTransactionViewSet(RegisterServiceMixin, ScopedViewSet):
    model, fields, argument = FinancialTransaction, TRANSACTION_FIELDS, "transaction_row"
    save_service, delete_service = staticmethod(save_transaction), staticmethod(delete_transaction)
    scope = Scope(visible=transactions_visible_to, writable=programmes_managed_by, anchor="programme")
    serializer_class = FinancialTransactionSerializer
    filterset_class = FinancialTransactionFilter
    ordering_fields = ["transacted_on", "amount"]
    list_select_related = ("programme",)
