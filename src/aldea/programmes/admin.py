from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from aldea.core.admin_actions import HistoryAdminMixin, ServiceCreateMixin, service_action
from aldea.programmes.models import (
    BudgetLine,
    EquityReport,
    FinancialTransaction,
    Indicator,
    IndicatorTarget,
    PlannedDisbursement,
    Programme,
    Village,
    VillageStatus,
    VillageStatusChange,
)
from aldea.programmes.services import change_village_status, create_village


def _move_villages_to(status):
    def move(village, *, user):
        change_village_status(village=village, to_status=status, user=user)

    return move


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "country", "status", "starts_on", "ends_on"]
    list_filter = ["status", "country"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class VillageStatusChangeInline(HistoryAdminMixin, admin.TabularInline):
    model = VillageStatusChange
    extra = 0
    readonly_fields = ["from_status", "to_status", "changed_at", "changed_by", "note"]


@admin.register(Village)
class VillageAdmin(ServiceCreateMixin, admin.ModelAdmin):
    """The status and launch date move only through the lifecycle service: the actions below
    (one allowed move each), the village page and the API. A village added here is a candidate."""

    list_display = ["name", "programme", "municipality", "speciality", "status", "launched_on", "target_msmes"]
    list_filter = ["status", "programme"]
    search_fields = ["name", "slug", "speciality", "municipality__name"]
    list_select_related = ["programme", "municipality"]
    raw_id_fields = ["municipality", "locality"]
    readonly_fields = ["status", "launched_on"]
    inlines = [VillageStatusChangeInline]
    create_service = staticmethod(create_village)
    actions = [
        service_action("select_villages", _("Select the villages"), _move_villages_to(VillageStatus.SELECTED)),
        service_action(
            "return_villages_to_candidates", _("Return the villages to candidates"),
            _move_villages_to(VillageStatus.CANDIDATE),
        ),
        service_action(
            "activate_villages", _("Activate the villages (launched today)"), _move_villages_to(VillageStatus.ACTIVE)
        ),
        service_action("graduate_villages", _("Graduate the villages"), _move_villages_to(VillageStatus.GRADUATED)),
    ]


class IndicatorTargetInline(admin.TabularInline):
    model = IndicatorTarget
    extra = 0
    raw_id_fields = ["village"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "programme", "unit"]
    list_filter = ["programme"]
    search_fields = ["code", "name"]
    inlines = [IndicatorTargetInline]


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(admin.ModelAdmin):
    list_display = ["indicator", "village", "period_start", "period_end", "baseline", "target"]
    list_filter = ["indicator__programme", "indicator"]
    search_fields = ["indicator__name", "village__name"]
    list_select_related = ["indicator", "village"]


@admin.register(VillageStatusChange)
class VillageStatusChangeAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["village", "from_status", "to_status", "changed_at", "changed_by"]
    list_filter = ["to_status", "village__programme"]
    search_fields = ["village__name", "note"]
    list_select_related = ["village", "changed_by"]


@admin.register(EquityReport)
class EquityReportAdmin(HistoryAdminMixin, admin.ModelAdmin):
    # Computed by ``aldea compute_analytics``; the admin shows the stored figures.
    list_display = ["programme", "computed_at", "participants"]
    list_filter = ["programme"]
    readonly_fields = ["programme", "computed_at", "participants", "figures"]


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ["programme", "name", "period_start", "period_end", "amount", "currency", "kind", "status"]
    list_filter = ["programme", "kind", "status"]
    search_fields = ["name"]


@admin.register(PlannedDisbursement)
class PlannedDisbursementAdmin(admin.ModelAdmin):
    list_display = ["programme", "period_start", "period_end", "amount", "currency", "provider_name", "receiver_name"]
    list_filter = ["programme"]


@admin.register(FinancialTransaction)
class FinancialTransactionAdmin(admin.ModelAdmin):
    list_display = ["programme", "kind", "transacted_on", "amount", "currency", "provider_name", "receiver_name"]
    list_filter = ["programme", "kind"]
    search_fields = ["reference", "description"]
