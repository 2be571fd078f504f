from django.contrib import admin

from aldea.workspace.models import OverviewSnapshot


@admin.register(OverviewSnapshot)
class OverviewSnapshotAdmin(admin.ModelAdmin):
    """Kept by aldea.workspace.figures.snapshots: shown, never edited (`aldea refresh_overviews`
    counts them again)."""

    list_display = ["programme", "scope", "computed_at", "computed_on", "refresh_queued_at"]
    list_filter = ["programme"]
    list_select_related = ["programme"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
