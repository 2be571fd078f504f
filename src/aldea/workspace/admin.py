from django.contrib import admin

from aldea.core.admin_actions import HistoryAdminMixin
from aldea.workspace.models import OverviewSnapshot


@admin.register(OverviewSnapshot)
class OverviewSnapshotAdmin(HistoryAdminMixin, admin.ModelAdmin):
    """Kept by aldea.workspace.figures.snapshots: shown, never edited (`aldea refresh_overviews`
    counts them again)."""

    list_display = ["programme", "scope", "computed_at", "computed_on", "refresh_queued_at"]
    list_filter = ["programme"]
    list_select_related = ["programme"]
