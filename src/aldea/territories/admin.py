from django.contrib import admin

from aldea.core.admin_actions import HistoryAdminMixin
from aldea.territories.models import AdministrativeArea, ClusterClassification, Country, Locality


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "currency"]
    search_fields = ["code", "name"]


@admin.register(AdministrativeArea)
class AdministrativeAreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "population", "households", "marginalisation_degree"]
    list_filter = ["country", "level", "marginalisation_degree"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    raw_id_fields = ["parent"]


@admin.register(Locality)
class LocalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "municipality", "population", "households", "is_rural", "marginalisation_degree"]
    list_filter = ["is_rural", "marginalisation_degree"]
    search_fields = ["code", "name", "municipality__name"]
    list_select_related = ["municipality"]
    raw_id_fields = ["municipality"]


@admin.register(ClusterClassification)
class ClusterClassificationAdmin(HistoryAdminMixin, admin.ModelAdmin):
    # Computed by ``aldea compute_analytics``, which replaces a profile's rows on every run.
    list_display = ["area", "profile", "active_shops", "turnover_cny", "qualifies", "rank", "rule"]
    list_filter = ["profile", "qualifies"]
    search_fields = ["area__name", "area__code"]
    list_select_related = ["area"]
