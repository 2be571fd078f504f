from django.contrib import admin

from aldea.interop.models import (
    ChannelOrderLine,
    ChannelSales,
    KoboSubmission,
    PersonReference,
    UploadJob,
)


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


@admin.register(ChannelOrderLine)
class ChannelOrderLineAdmin(admin.ModelAdmin):
    list_display = ["order_id", "line_key", "channel", "enterprise", "sold_on", "units", "amount", "status", "imported_at"]
    list_filter = ["channel", "status", "enterprise__village"]
    search_fields = ["order_id", "line_key", "enterprise__name", "enterprise__code", "product__sku"]
    list_select_related = ["enterprise", "channel", "product"]
    raw_id_fields = ["enterprise", "product"]
    date_hierarchy = "sold_on"


@admin.register(UploadJob)
class UploadJobAdmin(admin.ModelAdmin):
    """The worker's large uploads: shown for support, never edited (the worker owns them)."""

    list_display = ["created_at", "user", "phase", "kind", "name", "status", "finished_at"]
    list_filter = ["phase", "status", "kind"]
    search_fields = ["name", "user__username", "public_id"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
