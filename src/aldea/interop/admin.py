from django.contrib import admin

from aldea.interop.models import ChannelSales, KoboSubmission, PersonReference


@admin.register(PersonReference)
class PersonReferenceAdmin(admin.ModelAdmin):
    list_display = ["external_id", "person"]
    search_fields = ["external_id", "person__given_name", "person__family_name"]
    list_select_related = ["person"]
    raw_id_fields = ["person"]


@admin.register(KoboSubmission)
class KoboSubmissionAdmin(admin.ModelAdmin):
    list_display = ["uuid", "form", "imported_at"]
    list_filter = ["form"]
    search_fields = ["uuid"]
    date_hierarchy = "imported_at"


@admin.register(ChannelSales)
class ChannelSalesAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "channel", "month", "sales", "orders", "units"]
    list_filter = ["channel", "enterprise__village"]
    search_fields = ["enterprise__name", "enterprise__code"]
    list_select_related = ["enterprise", "channel"]
    raw_id_fields = ["enterprise"]
    date_hierarchy = "month"
