from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aldea.consulting.models import (
    ActionItem,
    ConsultantChange,
    Engagement,
    Meeting,
    Stage,
    StageChange,
)
from aldea.consulting.services import (
    consultant_refusal,
    move_engagement,
    next_stage,
    start_engagement,
)
from aldea.core.admin_actions import HistoryAdminMixin, ServiceCreateMixin, service_action
from aldea.core.exceptions import DomainError


class StageChangeInline(HistoryAdminMixin, admin.TabularInline):
    model = StageChange
    extra = 0
    readonly_fields = ["from_stage", "to_stage", "changed_at", "changed_by", "reason"]


class MeetingInline(admin.TabularInline):
    model = Meeting
    extra = 0


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    extra = 0


def _advance(engagement, *, user):
    stage = next_stage(engagement.stage)
    if stage is None:
        raise DomainError(_("A closed engagement can only be reopened at the diagnosed stage."))
    move_engagement(engagement=engagement, to_stage=stage, user=user)


def _drop(engagement, *, user, reason):
    move_engagement(engagement=engagement, to_stage=Stage.DROPPED, user=user, reason=reason)


def _reopen(engagement, *, user):
    move_engagement(engagement=engagement, to_stage=Stage.DIAGNOSED, user=user)


@admin.register(Engagement)
class EngagementAdmin(ServiceCreateMixin, admin.ModelAdmin):
    """The stage moves only through ``move_engagement`` (these actions, the board, the API), which
    checks the allowed moves and records each one; an engagement added here starts at diagnosed."""

    list_display = ["enterprise", "consultant", "supervisor", "stage", "started_on", "closed_on"]
    list_filter = ["stage", "enterprise__village"]
    search_fields = ["enterprise__name", "consultant__given_name", "consultant__family_name", "drop_reason"]
    list_select_related = ["enterprise", "consultant", "supervisor"]
    raw_id_fields = ["enterprise", "consultant", "supervisor"]
    readonly_fields = ["stage", "drop_reason_code", "drop_reason", "closed_on"]
    inlines = [StageChangeInline, MeetingInline, ActionItemInline]
    create_service = staticmethod(start_engagement)
    create_refusal = staticmethod(
        lambda data: consultant_refusal(enterprise=data["enterprise"], consultant=data["consultant"])
    )
    actions = [
        service_action("advance_engagements", gettext_lazy("Move to the next stage"), _advance),
        service_action("drop_engagements", gettext_lazy("Drop the engagements…"), _drop, asks_reason=True),
        service_action("reopen_engagements", gettext_lazy("Reopen at the diagnosed stage"), _reopen),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Reassigning goes through reassign_engagement (the board, the API), which checks the
        # consultant's role and village and records the change.
        fixed = ["enterprise", "consultant"] if obj is not None else []
        return [*super().get_readonly_fields(request, obj), *fixed]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["engagement", "held_on", "mode", "duration_minutes"]
    list_filter = ["mode"]
    search_fields = ["engagement__enterprise__name", "notes"]
    list_select_related = ["engagement__enterprise", "engagement__consultant"]
    raw_id_fields = ["engagement"]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["title", "engagement", "due_on", "status", "completed_on"]
    list_filter = ["status"]
    search_fields = ["title", "engagement__enterprise__name"]
    list_select_related = ["engagement__enterprise", "engagement__consultant"]
    raw_id_fields = ["engagement"]


@admin.register(StageChange)
class StageChangeAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["engagement", "from_stage", "to_stage", "changed_at", "changed_by"]
    list_filter = ["to_stage"]
    search_fields = ["engagement__enterprise__name", "reason"]
    list_select_related = ["engagement__enterprise", "engagement__consultant", "changed_by"]


@admin.register(ConsultantChange)
class ConsultantChangeAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["engagement", "from_consultant", "to_consultant", "changed_at", "changed_by"]
    search_fields = ["engagement__enterprise__name"]
    list_select_related = ["engagement__enterprise", "engagement__consultant", "from_consultant", "to_consultant",
                           "changed_by"]
