from django.contrib import admin

from aldea.demo.models import PlantedEffect


@admin.register(PlantedEffect)
class PlantedEffectAdmin(admin.ModelAdmin):
    """What the demo's simulation added, per village and month (demo data only)."""

    list_display = ["village", "month", "participants", "added_online_sales", "added_total_sales", "added_jobs"]
    list_filter = ["village"]
    readonly_fields = ["village", "month", "participants", "added_online_sales", "added_total_sales", "added_jobs"]
