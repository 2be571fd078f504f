"""API of consultancy: engagements of student consultants with MSMEs, their stage history,
meetings and action items. Consultants and managers write them for the MSMEs they serve."""

from django_filters import rest_framework as filters
from rest_framework import serializers

from aldea.accounts.models import Person
from aldea.accounts.queries import persons_nameable_by
from aldea.consulting.models import ActionItem, Engagement, Meeting, Stage, StageChange
from aldea.consulting.queries import (
    action_items_visible_to,
    engagements_visible_to,
    meetings_visible_to,
    stage_changes_visible_to,
)
from aldea.consulting.services import (
    consultant_refusal,
    drop_reason_problem,
    move_engagement,
    reassign_engagement,
    start_engagement,
)
from aldea.core.api import (
    CodeRelatedField,
    IdRelatedField,
    LargeTable,
    ModelSerializer,
    Scope,
    ScopedViewSet,
    ServiceFieldsMixin,
    current,
    require_order,
)
from aldea.enterprises.models import Enterprise
from aldea.enterprises.queries import enterprises_served_by, enterprises_visible_to


class EngagementSerializer(ServiceFieldsMixin, ModelSerializer):
    """An engagement of a consultant (person id) with an MSME (code), supervised by a trainer
    (person id). It starts at ``diagnosed``; changing ``stage`` moves it through the consulting
    service, which allows one stage forward at a time, any earlier open stage, ``dropped`` (with
    a ``drop_reason_code`` and, for ``other``, words in ``drop_reason``) from an open stage, and
    ``diagnosed`` from a closed one, and records each move in the stage history. ``closed_on`` is
    set when it graduates or drops. Changing ``consultant`` reassigns the engagement (its
    programme's managers may, and a consultant their own engagement): the stage history stays and
    the change is recorded with who made it and when."""

    enterprise = CodeRelatedField(slug_field="code", queryset=Enterprise.objects.all(), visible=enterprises_visible_to)
    consultant = IdRelatedField(queryset=Person.objects.all(), visible=persons_nameable_by)
    supervisor = IdRelatedField(
        queryset=Person.objects.all(), visible=persons_nameable_by, allow_null=True, required=False
    )

    class Meta:
        model = Engagement
        fields = [
            "id", "enterprise", "consultant", "supervisor", "stage", "drop_reason_code", "drop_reason",
            "started_on", "closed_on",
            "created_at", "updated_at",
        ]
        read_only_fields = ["closed_on", "created_at", "updated_at"]
        service_fields = {"closed_on": "is set when the engagement graduates or is dropped."}

    def validate(self, attrs):
        require_order(attrs, self.instance, "started_on", "closed_on")
        stage = current(attrs, self.instance, "stage", Stage.DIAGNOSED)
        if self.instance is None and stage != Stage.DIAGNOSED:
            raise serializers.ValidationError({"stage": "a new engagement starts at diagnosed; move it afterwards."})
        dropping = stage == Stage.DROPPED and self.instance is not None and self.instance.stage != stage
        words = (attrs.get("drop_reason") or "").strip()
        if dropping:
            code = attrs.get("drop_reason_code") or ("other" if words else "")
            if not code:
                raise serializers.ValidationError(
                    {"drop_reason_code": "is required when an engagement is dropped."}
                )
            problem = drop_reason_problem(code=code, words=words)
            if problem:
                raise serializers.ValidationError({"drop_reason": problem})
            # Words alone are an "other" reason; the model's checks see the code the move will store.
            attrs["drop_reason_code"] = code
        for name in ("drop_reason", "drop_reason_code"):
            kept = getattr(self.instance, name) if self.instance is not None else ""
            if name in attrs and not dropping and attrs[name] != kept:
                raise serializers.ValidationError({name: "is given with the move to dropped."})
        enterprise = current(attrs, self.instance, "enterprise")
        consultant = current(attrs, self.instance, "consultant")
        if ({"enterprise", "consultant"} & attrs.keys()) and enterprise is not None and consultant is not None:
            refusal = consultant_refusal(enterprise=enterprise, consultant=consultant)
            if refusal:
                raise serializers.ValidationError({"consultant": refusal})
        return super().validate(attrs)


class EngagementFilter(filters.FilterSet):
    enterprise = filters.CharFilter(field_name="enterprise__code")
    village = filters.CharFilter(field_name="enterprise__village__slug")
    programme = filters.CharFilter(field_name="enterprise__programme__slug")

    class Meta:
        model = Engagement
        fields = {
            "stage": ["exact", "in"], "consultant": ["exact"], "supervisor": ["exact"],
            "started_on": ["gte", "lte"],
        }


class EngagementViewSet(LargeTable, ScopedViewSet):
    scope = Scope(visible=engagements_visible_to, writable=enterprises_served_by, anchor="enterprise")
    serializer_class = EngagementSerializer
    filterset_class = EngagementFilter
    search_fields = ["enterprise__name", "enterprise__code", "consultant__family_name"]
    ordering_fields = ["started_on", "closed_on", "stage"]
    list_select_related = ("enterprise", "consultant", "supervisor")

    def save_new(self, serializer):
        data = serializer.validated_data
        serializer.instance = start_engagement(
            enterprise=data["enterprise"], consultant=data["consultant"], supervisor=data.get("supervisor"),
            started_on=data["started_on"], user=self.request.user,
        )

    def save_changes(self, serializer):
        # A reassignment and a stage move go through the services, which check them and record
        # who, when and why.
        data = serializer.validated_data
        to_stage = data.pop("stage", serializer.instance.stage)
        reason = data.pop("drop_reason", "")
        code = data.pop("drop_reason_code", "")
        consultant = data.pop("consultant", None)
        if consultant is not None and consultant.pk != serializer.instance.consultant_id:
            serializer.instance = reassign_engagement(
                engagement=serializer.instance, consultant=consultant, user=self.request.user
            )
        engagement = serializer.save()
        if to_stage != engagement.stage:
            move_engagement(
                engagement=engagement, to_stage=to_stage, user=self.request.user, reason=reason,
                drop_reason_code=code,
            )
            serializer.instance.refresh_from_db()


class StageChangeSerializer(ModelSerializer):
    changed_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    # Plain strings: the engagement's ``stage`` enum documents the values once, under one name.
    from_stage = serializers.CharField(read_only=True)
    to_stage = serializers.CharField(read_only=True)

    class Meta:
        model = StageChange
        fields = ["id", "engagement", "from_stage", "to_stage", "changed_at", "changed_by", "reason"]


class StageChangeFilter(filters.FilterSet):
    enterprise = filters.CharFilter(field_name="engagement__enterprise__code")

    class Meta:
        model = StageChange
        fields = {"engagement": ["exact"], "to_stage": ["exact"], "changed_at": ["gte", "lte"]}


class StageChangeViewSet(LargeTable, ScopedViewSet):
    """The stage history of engagements (read-only; written when an engagement's stage changes)."""

    scope = Scope(visible=stage_changes_visible_to)
    http_method_names = ["get", "head", "options"]
    serializer_class = StageChangeSerializer
    filterset_class = StageChangeFilter
    ordering_fields = ["changed_at"]
    list_select_related = ("changed_by",)


class MeetingSerializer(ModelSerializer):
    engagement = IdRelatedField(queryset=Engagement.objects.all(), visible=engagements_visible_to)

    class Meta:
        model = Meeting
        fields = ["id", "engagement", "held_on", "mode", "duration_minutes", "notes"]
        extra_kwargs = {"duration_minutes": {"min_value": 1}}


class MeetingFilter(filters.FilterSet):
    enterprise = filters.CharFilter(field_name="engagement__enterprise__code")

    class Meta:
        model = Meeting
        fields = {"engagement": ["exact"], "mode": ["exact"], "held_on": ["gte", "lte"]}


class MeetingViewSet(LargeTable, ScopedViewSet):
    scope = Scope(visible=meetings_visible_to, writable=enterprises_served_by, anchor="engagement.enterprise")
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    search_fields = ["notes"]
    ordering_fields = ["held_on", "duration_minutes"]


class ActionItemSerializer(ModelSerializer):
    """A task agreed in an engagement (id); ``done`` needs ``completed_on``."""

    engagement = IdRelatedField(queryset=Engagement.objects.all(), visible=engagements_visible_to)

    class Meta:
        model = ActionItem
        fields = ["id", "engagement", "title", "due_on", "status", "completed_on"]

    def validate(self, attrs):
        if current(attrs, self.instance, "status") == ActionItem.Status.DONE and not current(
            attrs, self.instance, "completed_on"
        ):
            raise serializers.ValidationError({"completed_on": "is required when the action item is done."})
        return super().validate(attrs)


class ActionItemFilter(filters.FilterSet):
    enterprise = filters.CharFilter(field_name="engagement__enterprise__code")

    class Meta:
        model = ActionItem
        fields = {"engagement": ["exact"], "status": ["exact"], "due_on": ["gte", "lte"]}


class ActionItemViewSet(LargeTable, ScopedViewSet):
    scope = Scope(
        visible=action_items_visible_to, writable=enterprises_served_by, anchor="engagement.enterprise"
    )
    serializer_class = ActionItemSerializer
    filterset_class = ActionItemFilter
    search_fields = ["title"]
    ordering_fields = ["due_on", "status"]
