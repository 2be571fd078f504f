"""Forms of the workspace pages."""

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from aldea.consulting.models import Stage
from aldea.enterprises.models import Sector


class MsmeFilterForm(forms.Form):
    """The list's filters; an invalid value is ignored rather than failing the page."""

    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    village = forms.ModelChoiceField(
        label=_("Village"), queryset=None, required=False, empty_label=_("All villages"), to_field_name="slug"
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    women_led = forms.ChoiceField(
        label=_("Women-led"), required=False,
        choices=[("", _("All")), ("yes", _("Women-led")), ("no", _("Not women-led"))],
    )

    def __init__(self, *args, villages: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.fields["sector"].choices = [("", _("All sectors")), *Sector.choices]
        self.fields["stage"].choices = [("", _("All stages")), ("none", _("No engagement")), *Stage.choices]

    def apply(self, queryset: QuerySet) -> QuerySet:
        """The queryset narrowed by the valid filters (expects the ``current_stage`` annotation)."""
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["q"]:
            queryset = queryset.filter(Q(name__icontains=data["q"]) | Q(code__icontains=data["q"]))
        if data["village"]:
            queryset = queryset.filter(village=data["village"])
        if data["sector"]:
            queryset = queryset.filter(sector=data["sector"])
        if data["stage"] == "none":
            queryset = queryset.filter(current_stage__isnull=True)
        elif data["stage"]:
            queryset = queryset.filter(current_stage=data["stage"])
        if data["women_led"]:
            queryset = queryset.filter(is_women_led=data["women_led"] == "yes")
        return queryset
