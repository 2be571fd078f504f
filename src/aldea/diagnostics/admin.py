from django.contrib import admin

from aldea.core.admin_actions import HistoryAdminMixin
from aldea.diagnostics.models import (
    Answer,
    AnswerOption,
    AnswerScale,
    Assessment,
    Dimension,
    Instrument,
    Question,
)


class DimensionInline(admin.TabularInline):
    model = Dimension
    extra = 0


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "version"]
    search_fields = ["code", "name"]
    inlines = [DimensionInline]


@admin.register(Dimension)
class DimensionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "instrument", "position", "weight"]
    list_filter = ["instrument"]
    search_fields = ["code", "name"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["code", "text", "dimension", "position", "weight"]
    list_filter = ["dimension__instrument", "dimension"]
    search_fields = ["code", "text"]
    list_select_related = ["dimension"]


class AnswerOptionInline(admin.TabularInline):
    model = AnswerOption
    extra = 0


@admin.register(AnswerScale)
class AnswerScaleAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    inlines = [AnswerOptionInline]


class AnswerInline(HistoryAdminMixin, admin.TabularInline):
    model = Answer
    extra = 0
    readonly_fields = ["question", "value"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    # Scores come from the scoring function over the answers: an assessment is recorded through
    # the diagnostic form or the API (diagnostics.services.record_assessment), not added here.
    list_display = ["enterprise", "assessed_on", "score", "level", "assessor"]
    list_filter = ["level", "instrument"]
    search_fields = ["enterprise__name", "enterprise__code"]
    list_select_related = ["enterprise", "assessor"]
    readonly_fields = ["dimension_scores", "score", "level"]
    raw_id_fields = ["enterprise", "assessor"]
    inlines = [AnswerInline]

    def has_add_permission(self, request):
        return False


@admin.register(AnswerOption)
class AnswerOptionAdmin(admin.ModelAdmin):
    list_display = ["scale", "value", "label"]
    list_filter = ["scale"]


@admin.register(Answer)
class AnswerAdmin(HistoryAdminMixin, admin.ModelAdmin):
    # An answer changed alone would leave its assessment's stored score stale.
    list_display = ["assessment", "question", "value"]
    list_filter = ["question__dimension"]
    search_fields = ["assessment__enterprise__name", "question__code"]
    list_select_related = ["assessment__enterprise", "question"]
    raw_id_fields = ["assessment"]
