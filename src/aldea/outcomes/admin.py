from django.contrib import admin

from aldea.outcomes.models import Listing, OutcomeRecord, OutcomeRollup, SalesChannel
from aldea.outcomes.rollups import refresh_outcome_rollups


@admin.register(SalesChannel)
class SalesChannelAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = ["product", "channel", "status", "external_id", "live_on"]
    list_filter = ["status", "channel"]
    search_fields = ["product__title", "external_id", "product__enterprise__name"]
    list_select_related = ["product", "channel"]
    raw_id_fields = ["product"]


@admin.register(OutcomeRecord)
class OutcomeRecordAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "month", "total_sales", "online_sales", "orders", "units", "employees", "source"]
    list_filter = ["source", "enterprise__group", "enterprise__village"]
    search_fields = ["enterprise__name", "enterprise__code"]
    list_select_related = ["enterprise"]
    raw_id_fields = ["enterprise"]
    date_hierarchy = "month"

    # The admin writes records itself; it refreshes the roll-ups as the service does.
    def save_model(self, request, obj, form, change):
        before = OutcomeRecord.objects.filter(pk=obj.pk).values_list("enterprise_id", "month").first() if change else None
        super().save_model(request, obj, form, change)
        refresh_outcome_rollups(enterprise_months=[(obj.enterprise_id, obj.month), *([before] if before else [])])

    def delete_model(self, request, obj):
        place = (obj.enterprise_id, obj.month)
        super().delete_model(request, obj)
        refresh_outcome_rollups(enterprise_months=[place])

    def delete_queryset(self, request, queryset):
        places = list(queryset.values_list("enterprise_id", "month"))
        super().delete_queryset(request, queryset)
        refresh_outcome_rollups(enterprise_months=places)


@admin.register(OutcomeRollup)
class OutcomeRollupAdmin(admin.ModelAdmin):
    """Kept by aldea.outcomes.rollups: shown, never edited."""

    list_display = ["programme", "village", "month", "group", "sex", "age_band", "records", "online_sales", "computed_at"]
    list_filter = ["programme", "group", "age_band"]
    date_hierarchy = "month"

    readonly_fields = [f.name for f in OutcomeRollup._meta.concrete_fields if f.name != "id"]
