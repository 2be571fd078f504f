from django import forms
from django.utils.translation import gettext_lazy as _

from aldea.programmes.models import VillageStatus
from aldea.programmes.services import ALLOWED_MOVES
from aldea.territories.codes import is_municipality_code, municipality_code_format


class VillageStatusForm(forms.Form):
    """Move a village along its lifecycle; only the moves allowed from its status are offered."""

    to_status = forms.ChoiceField(label=_("New status"), choices=VillageStatus.choices)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, village, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = ALLOWED_MOVES.get(village.status, set())
        self.fields["to_status"].choices = [
            (value, label) for value, label in VillageStatus.choices if value in allowed
        ]
        self.has_moves = bool(allowed)


class ProposeVillageForm(forms.Form):
    """Propose a municipality of the territory explorer as a candidate village."""

    programme = forms.SlugField(widget=forms.HiddenInput)
    municipality = forms.CharField(label=_("Municipality code"), max_length=12, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Village name"), max_length=150)
    speciality = forms.CharField(label=_("Speciality"), max_length=150)
    note = forms.CharField(
        label=_("Why this community"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, country, **kwargs):
        super().__init__(*args, **kwargs)
        self.country = country

    def clean_municipality(self):
        """The code in the country's own format: 5 digits in Mexico, 7 in Brazil (IBGE), ..."""
        code = self.cleaned_data["municipality"]
        if not is_municipality_code(code, self.country.code):
            raise forms.ValidationError(
                _("%(code)s is not a municipality code of %(country)s, which has %(format)s. "
                  "Choose a municipality from the table."),
                code="invalid",
                params={"code": code, "country": self.country.name,
                        "format": municipality_code_format(self.country.code).description},
            )
        return code
