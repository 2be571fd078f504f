from auditlog.admin import LogEntryAdmin
from auditlog.filters import ResourceTypeFilter
from django.contrib import admin

from aldea.ops.models import AuditEntry, WorkerHeartbeat


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
