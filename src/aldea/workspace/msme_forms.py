"""Forms of the MSME profile's own pages: monthly results (more to follow)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from aldea.outcomes.models import OutcomeRecord
from aldea.outcomes.services import outcome_problems, outlier_warnings

NUMBER = {"min": "0", "inputmode": "numeric"}
MONEY = {"min": "0", "step": "0.01", "inputmode": "decimal"}


class OutcomeEntryForm(forms.Form):
    """One month's results of one MSME. A figure far from the MSME's usual months is refused
    until the user ticks ``confirm_unusual``."""

    month = forms.DateField(
        label=_("Month"), input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    total_sales = forms.DecimalField(label=_("Total sales"), max_digits=14, decimal_places=2,
                                     widget=forms.NumberInput(attrs=MONEY))
    online_sales = forms.DecimalField(label=_("Online sales"), max_digits=14, decimal_places=2,
                                      widget=forms.NumberInput(attrs=MONEY))
    orders = forms.IntegerField(label=_("Online orders"), max_value=2**31 - 1, initial=0,
                                widget=forms.NumberInput(attrs=NUMBER))
    units = forms.IntegerField(label=_("Units sold"), max_value=2**31 - 1, initial=0,
                               widget=forms.NumberInput(attrs=NUMBER))
    employees = forms.IntegerField(label=_("Employees"), required=False, max_value=32767,
                                   widget=forms.NumberInput(attrs=NUMBER))
    confirm_unusual = forms.BooleanField(label=_("The unusual figures are right: save them anyway"), required=False)

    FIGURES = ("total_sales", "online_sales", "orders", "units", "employees")

    def __init__(self, *args, enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.enterprise = enterprise
        self.warnings = {}

    def clean(self):
        cleaned = super().clean()
        values = {name: cleaned.get(name) for name in self.FIGURES}
        for field, message in outcome_problems(month=cleaned.get("month"), values=values).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        if self.errors or cleaned.get("confirm_unusual"):
            return cleaned
        self.warnings = outlier_warnings(enterprise=self.enterprise, month=cleaned["month"], values=values)
        for field, message in self.warnings.items():
            self.add_error(field, message)
        return cleaned

    def figures(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIGURES}

    @staticmethod
    def initial_from(record: OutcomeRecord) -> dict:
        return {"month": record.month, **{name: getattr(record, name) for name in OutcomeEntryForm.FIGURES}}
