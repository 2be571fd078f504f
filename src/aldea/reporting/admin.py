from django.contrib import admin

from aldea.reporting.models import FunderReport, ImpactEstimate


@admin.register(ImpactEstimate)
class ImpactEstimateAdmin(admin.ModelAdmin):
    """Computed by the analytics task: shown, not edited."""

    list_display = ["programme", "outcome", "price_index", "computed_at", "participants", "comparison", "error"]
    list_filter = ["programme", "outcome"]
    search_fields = ["programme__name", "snapshot_hash"]
    readonly_fields = ["programme", "outcome", "price_index", "computed_at", "data_as_of", "snapshot_hash",
                       "rows_read", "msmes", "participants", "comparison", "error", "result"]


@admin.register(FunderReport)
class FunderReportAdmin(admin.ModelAdmin):
    list_display = ["programme", "language", "status", "progress", "created_at", "finished_at", "requested_by"]
    list_filter = ["programme", "status", "language"]
    readonly_fields = ["programme", "requested_by", "language", "period_start", "period_end", "status",
                       "progress", "stage", "error", "snapshot_hash", "created_at", "finished_at"]
