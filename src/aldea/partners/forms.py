"""Forms of the partners pages: the expiry horizon and a new agreement."""

from django import forms
from django.utils.translation import gettext_lazy as _

from aldea.partners.figures import DEFAULT_EXPIRY_DAYS
from aldea.partners.models import Agreement


class ExpiryForm(forms.Form):
    days = forms.IntegerField(
        label=_("Ending within (days)"), min_value=1, max_value=1095, initial=DEFAULT_EXPIRY_DAYS,
    )

    def days_or_default(self) -> int:
        return self.cleaned_data["days"] if self.is_valid() and self.cleaned_data["days"] else DEFAULT_EXPIRY_DAYS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["programme", "code", "title", "parties", "scope", "signed_on", "starts_on", "ends_on", "status"]
        labels = {
            "programme": _("Programme"), "code": _("Code"), "title": _("Title"), "parties": _("Parties"),
            "scope": _("Scope"), "signed_on": _("Signed on"), "starts_on": _("Starts on"),
            "ends_on": _("Ends on"), "status": _("Status"),
        }
        help_texts = {
            "code": _("Letters, digits and hyphens; unique."),
            "parties": _("At least one organisation."),
        }
        widgets = {
            "parties": forms.CheckboxSelectMultiple,
            "scope": forms.Textarea(attrs={"rows": 3}),
            "signed_on": DateInput(), "starts_on": DateInput(), "ends_on": DateInput(),
        }
        error_messages = {"parties": {"required": _("Choose at least one party.")}}

    def __init__(self, *args, programmes, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["programme"].empty_label = None
        self.fields["parties"].queryset = organisations
        self.fields["parties"].required = True

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The agreement cannot end before it starts."))
        signed_on = cleaned.get("signed_on")
        if signed_on and ends_on and signed_on > ends_on:
            self.add_error("signed_on", _("The agreement cannot be signed after it ends."))
        return cleaned
