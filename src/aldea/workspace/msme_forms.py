"""Forms of the MSME pages: registering an MSME, and its monthly results."""

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aldea.accounts.models import Sex
from aldea.enterprises.models import Sector
from aldea.outcomes.models import Listing, OutcomeRecord, SalesChannel
from aldea.outcomes.services import outcome_problems, outlier_warnings

NUMBER = {"min": "0", "inputmode": "numeric"}
PHONE = re.compile(r"^\+?[0-9][0-9 ]{6,28}$")
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


class MsmeRegistrationForm(forms.Form):
    """A new MSME and its owner, short enough for a phone in the field."""

    name = forms.CharField(label=_("MSME name"), max_length=200)
    village = forms.ModelChoiceField(label=_("Village"), queryset=None, to_field_name="slug")
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    employees = forms.IntegerField(label=_("Employees"), min_value=1, max_value=32767, initial=1,
                                   widget=forms.NumberInput(attrs=NUMBER))
    owner_given_name = forms.CharField(label=_("Owner's given name"), max_length=100)
    owner_family_name = forms.CharField(label=_("Owner's family name"), max_length=100, required=False)
    owner_sex = forms.ChoiceField(label=_("Owner's sex"), choices=Sex.choices, initial=Sex.UNDISCLOSED)
    owner_birth_year = forms.IntegerField(label=_("Owner's birth year"), required=False,
                                          widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    owner_phone = forms.CharField(label=_("Owner's phone"), max_length=30, required=False,
                                  widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    owner_has_contact_consent = forms.BooleanField(label=_("The owner consents to be contacted"), required=False)
    has_showcase_consent = forms.BooleanField(
        label=_("The owner consents to show the MSME and its products on the public showcase"), required=False)

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages

    def clean_owner_birth_year(self):
        year = self.cleaned_data["owner_birth_year"]
        if year is not None and not 1900 <= year <= timezone.localdate().year:
            raise forms.ValidationError(_("Give a year between 1900 and this year."))
        return year

    def clean_owner_phone(self):
        phone = self.cleaned_data["owner_phone"].strip()
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(_("Give digits, spaces and an optional leading +."))
        return phone

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("owner_has_contact_consent") and not cleaned.get("owner_phone"):
            self.add_error("owner_phone", _("Give a phone to contact the owner on, or untick the consent."))
        return cleaned


class ListingForm(forms.Form):
    """A product of the MSME on a sales channel, with its status and address."""

    product = forms.ModelChoiceField(label=_("Product"), queryset=None, to_field_name="sku")
    channel = forms.ModelChoiceField(label=_("Sales channel"), queryset=SalesChannel.objects.all(),
                                     to_field_name="code")
    status = forms.ChoiceField(label=_("Status"), choices=Listing.Status.choices)
    url = forms.URLField(label=_("Address (URL)"), required=False, max_length=500, assume_scheme="https")

    def __init__(self, *args, enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = enterprise.products.order_by("title")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Listing.Status.LIVE and not cleaned.get("url") and "url" not in self.errors:
            self.add_error("url", _("A live listing needs its address."))
        return cleaned
