from auditlog.admin import LogEntryAdmin
from auditlog.filters import ResourceTypeFilter
from django.contrib import admin

from aldea.ops.models import AuditEntry, ProcessedWrite, WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["worker_id", "hostname", "pid", "started_at", "beat_at"]
    search_fields = ["worker_id", "hostname"]


# django-auditlog's admin for the trail, with Aldea's door and programme; never edited or deleted.
admin.site.unregister(AuditEntry)


@admin.register(AuditEntry)
class AuditEntryAdmin(LogEntryAdmin):
    list_display = ["created", "resource_url", "action", "door", "programme_id", "rows", "msg_short", "user_url"]
    list_filter = ["action", "door", ResourceTypeFilter]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProcessedWrite)
class ProcessedWriteAdmin(admin.ModelAdmin):
    """The idempotency store of queued field writes (aldea.ops.idempotency): shown, never edited
    (ops sits below core, so core.admin_actions.HistoryAdminMixin is not used here)."""

    list_display = ["created_at", "user", "path", "status"]
    list_filter = ["status"]
    search_fields = ["path", "key", "user__username"]
    list_select_related = ["user"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
