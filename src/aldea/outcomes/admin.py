from django.contrib import admin

from aldea.outcomes.models import Listing, OutcomeRecord, SalesChannel


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
