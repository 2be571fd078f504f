"""Forms of the MSME pages: the list's filters and the product form."""

import re

from django import forms
from django.core.validators import URLValidator
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from aldea.consulting.models import Stage
from aldea.enterprises.models import Enterprise, Product, Sector

GTIN_PATTERN = re.compile(r"^[0-9]{8,14}$")


class EnterpriseFilterForm(forms.Form):
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


class ImageUrlsField(forms.CharField):
    """Image URLs, one a line, stored as a list."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        urls = [line.strip() for line in text.splitlines() if line.strip()]
        validate = URLValidator(schemes=["http", "https"])
        for url in urls:
            validate(url)
        return urls


class ProductForm(forms.ModelForm):
    """A product of one MSME. The MSME and the currency come from the page, not the form."""

    image_urls = ImageUrlsField(label=_("Photo URLs (one a line)"), required=False)

    class Meta:
        model = Product
        fields = [
            "title", "sku", "description", "category", "price", "stock", "brand",
            "is_handmade", "gtin", "mpn", "image_urls",
        ]
        labels = {
            "title": _("Title"), "sku": _("SKU"), "description": _("Description"), "category": _("Category"),
            "price": _("Price"), "stock": _("Stock"), "brand": _("Brand"), "is_handmade": _("Handmade"),
            "gtin": _("GTIN (barcode)"), "mpn": _("Manufacturer part number"),
        }
        help_texts = {
            "gtin": _("8 to 14 digits. Handmade products may go without one."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, enterprise: Enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.enterprise = enterprise
        self.fields["price"].widget.attrs.update({"min": "0.01", "step": "0.01", "inputmode": "decimal"})
        self.fields["gtin"].widget.attrs.update({"inputmode": "numeric", "pattern": "[0-9]{8,14}"})

    def clean_price(self):
        price = self.cleaned_data["price"]
        if price is not None and price <= 0:
            raise forms.ValidationError(_("The price must be greater than zero."))
        return price

    def clean_gtin(self):
        gtin = (self.cleaned_data.get("gtin") or "").strip().replace(" ", "")
        if gtin and not GTIN_PATTERN.match(gtin):
            raise forms.ValidationError(_("A GTIN has 8 to 14 digits and nothing else."))
        return gtin

    def clean_sku(self):
        sku = self.cleaned_data["sku"].strip()
        taken = Product.objects.filter(enterprise=self.enterprise, sku=sku)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("This MSME already has a product with this SKU."))
        return sku

    def clean(self):
        cleaned = super().clean()
        if "gtin" in cleaned and not cleaned["gtin"] and not cleaned.get("is_handmade"):
            self.add_error("gtin", _("Give a GTIN, or mark the product as handmade."))
        return cleaned

    def save(self, commit=True):
        product = super().save(commit=False)
        product.enterprise = self.enterprise
        product.currency = self.enterprise.programme.currency
        if commit:
            product.save()
        return product
