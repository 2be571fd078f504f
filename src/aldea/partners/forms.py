"""Forms of the partners pages: the expiry horizon, organisations, agreements, roles in villages."""

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from aldea.core.forms import DateInput
from aldea.partners.figures import DEFAULT_EXPIRY_DAYS
from aldea.partners.models import Agreement, Organisation, VillagePartnerRole


class ExpiryForm(forms.Form):
    days = forms.IntegerField(
        label=_("Ending within (days)"), min_value=1, max_value=1095, initial=DEFAULT_EXPIRY_DAYS,
    )

    def days_or_default(self) -> int:
        return self.cleaned_data["days"] if self.is_valid() and self.cleaned_data["days"] else DEFAULT_EXPIRY_DAYS


DOCUMENT_EXTENSIONS = ["pdf", "doc", "docx", "odt", "jpg", "jpeg", "png"]
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["programme", "code", "title", "parties", "scope", "obligations", "signed_on", "starts_on", "ends_on",
                  "status", "document"]
        labels = {
            "programme": _("Programme"), "code": _("Code"), "title": _("Title"), "parties": _("Parties"),
            "scope": _("Scope"), "obligations": _("Obligations"), "signed_on": _("Signed on"),
            "starts_on": _("Starts on"), "ends_on": _("Ends on"), "status": _("Status"), "document": _("Document"),
        }
        help_texts = {
            "code": _("Letters, digits and hyphens; unique."),
            "parties": _("At least one organisation."),
            "status": _("Whether it is in force follows from its dates: a signed agreement past its end date is expired."),
            "document": _("The signed agreement: PDF, Word, OpenDocument or a photo, at most 10 MB."),
        }
        widgets = {
            "parties": forms.CheckboxSelectMultiple,
            "scope": forms.Textarea(attrs={"rows": 3}),
            "obligations": forms.Textarea(attrs={"rows": 4}),
            "signed_on": DateInput(), "starts_on": DateInput(), "ends_on": DateInput(),
        }
        error_messages = {"parties": {"required": _("Choose at least one party.")}}

    def __init__(self, *args, programmes, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["programme"].empty_label = None
        self.fields["parties"].queryset = organisations
        self.fields["parties"].required = True
        self.fields["document"].validators.append(FileExtensionValidator(DOCUMENT_EXTENSIONS))

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document and getattr(document, "size", 0) > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(_("The document is larger than 10 MB."))
        return document

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The agreement cannot end before it starts."))
        signed_on = cleaned.get("signed_on")
        if signed_on and ends_on and signed_on > ends_on:
            self.add_error("signed_on", _("The agreement cannot be signed after it ends."))
        return cleaned


class OrganisationForm(forms.ModelForm):
    """An organisation of the triple helix; the helix follows the type unless chosen."""

    class Meta:
        model = Organisation
        fields = ["name", "slug", "kind", "helix", "country", "website"]
        labels = {"name": _("Name"), "slug": _("Code"), "kind": _("Type"), "helix": _("Helix"),
                  "country": _("Country"), "website": _("Website")}
        help_texts = {"slug": _("Letters, digits and hyphens; unique."),
                      "helix": _("Government, academia or industry; by default the one its type belongs to.")}

    def __init__(self, *args, countries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = countries
        self.fields["country"].to_field_name = "code"
        self.fields["helix"].required = False

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("helix") and cleaned.get("kind"):
            cleaned["helix"] = Organisation.DEFAULT_HELIX[cleaned["kind"]]
        return cleaned


class VillageRoleForm(forms.ModelForm):
    class Meta:
        model = VillagePartnerRole
        fields = ["village", "role", "starts_on"]
        labels = {"village": _("Village"), "role": _("Role"), "starts_on": _("Since")}
        widgets = {"starts_on": DateInput()}

    def __init__(self, *args, villages, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        self.fields["village"].queryset = villages

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("village") and cleaned.get("role") and VillagePartnerRole.objects.filter(
            village=cleaned["village"], organisation=self.instance.organisation, role=cleaned["role"]
        ).exists():
            raise forms.ValidationError(_("The organisation already has this role in this village."))
        return cleaned
