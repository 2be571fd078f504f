from django.contrib import admin

from aldea.consulting.models import ActionItem, Engagement, Meeting, StageChange


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    readonly_fields = ["from_stage", "to_stage", "changed_at", "changed_by", "reason"]
    can_delete = False


class MeetingInline(admin.TabularInline):
    model = Meeting
    extra = 0


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    extra = 0


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "consultant", "supervisor", "stage", "started_on", "closed_on"]
    list_filter = ["stage", "enterprise__village"]
    search_fields = ["enterprise__name", "consultant__given_name", "consultant__family_name", "drop_reason"]
    list_select_related = ["enterprise", "consultant", "supervisor"]
    raw_id_fields = ["enterprise", "consultant", "supervisor"]
    inlines = [StageChangeInline, MeetingInline, ActionItemInline]


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
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ["engagement", "from_stage", "to_stage", "changed_at", "changed_by"]
    list_filter = ["to_stage"]
    search_fields = ["engagement__enterprise__name", "reason"]
    list_select_related = ["engagement__enterprise", "engagement__consultant", "changed_by"]
