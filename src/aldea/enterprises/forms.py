"""The product form of an MSME's catalogue."""

import re

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from aldea.enterprises.models import Enterprise, Product

GTIN_PATTERN = re.compile(r"^[0-9]{8,14}$")


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
    # Checked, resized and stored by services.add_product_photo once the product is saved.
    photo = forms.FileField(
        label=_("Add a photo"), required=False,
        help_text=_("A JPEG, PNG or WebP photo from your phone, up to 12 MB. It is resized for the web."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/*"}),
    )

    field_order = ["title", "sku", "photo"]

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
