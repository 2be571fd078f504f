from django.contrib import admin

from aldea.partners.models import Agreement, Organisation, VillagePartnerRole


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "helix", "country", "municipality"]
    list_filter = ["helix", "kind", "country"]
    search_fields = ["name", "slug"]
    list_select_related = ["country", "municipality"]
    raw_id_fields = ["municipality"]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "status", "signed_on", "starts_on", "ends_on"]
    list_filter = ["status", "programme"]
    search_fields = ["title", "code", "parties__name"]
    filter_horizontal = ["parties"]
    date_hierarchy = "starts_on"


@admin.register(VillagePartnerRole)
class VillagePartnerRoleAdmin(admin.ModelAdmin):
    list_display = ["village", "organisation", "role", "starts_on"]
    list_filter = ["role", "village__programme"]
    search_fields = ["village__name", "organisation__name"]
    list_select_related = ["village", "organisation"]
