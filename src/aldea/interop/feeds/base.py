"""What every feed shares: the product query, the problem report, prices and identifiers."""

from dataclasses import dataclass, field
from decimal import Decimal

from aldea.showcase.queries import products_on_show

# Mercado Libre site and Amazon marketplace by currency (the programme's country).
MERCADOLIBRE_SITES = {"MXN": "MLM", "BRL": "MLB", "COP": "MCO", "ARS": "MLA", "CLP": "MLC", "PEN": "MPE", "UYU": "MLU"}
AMAZON_MARKETPLACES = {"MXN": "A1AM78C64UM0Y8", "BRL": "A2Q3Y263D00KWC", "USD": "ATVPDKIKX0DER"}
LANGUAGE_TAGS = {"MXN": "es_MX", "BRL": "pt_BR", "COP": "es_CO", "USD": "en_US"}


@dataclass
class Problem:
    product: str  # "enterprise-code/SKU"
    field: str
    fix: str
    # A note (False) is reported but does not keep the product out of the feed.
    is_blocking: bool = True

    def __str__(self):
        return f"{self.product}: {self.field} — {self.fix}"


@dataclass
class FeedReport:
    channel: str
    checked: int = 0
    written: int = 0
    problems: list = field(default_factory=list)
    warnings: list = field(default_factory=list)  # notes that did not keep a product out
    files: list = field(default_factory=list)

    @property
    def left_out(self) -> int:
        return len({p.product for p in self.problems})

    def summary(self) -> str:
        notes = f" · notes {len(self.warnings)}" if self.warnings else ""
        return (f"{self.channel}: checked {self.checked} · written {self.written} · left out {self.left_out}{notes}"
                f" · files {', '.join(str(f) for f in self.files) or '-'}")


def products_for(village: str | None = None):
    """The products a feed publishes: only those the public may see (``showcase.queries``)."""
    products = products_on_show().select_related("enterprise__village", "enterprise__programme__country",
                                                  "enterprise__municipality__country").order_by("enterprise__code", "sku")
    if village:
        products = products.filter(enterprise__village__slug=village)
    return products


def product_key(product) -> str:
    return f"{product.enterprise.code}/{product.sku}"


def offer_id(product) -> str:
    """A stable id across feeds: the enterprise code and the SKU (SKUs repeat across MSMEs)."""
    return f"{product.enterprise.code}-{product.sku}"[:50]


def price_text(product) -> str:
    return f"{product.price.quantize(Decimal('0.01'))} {product.currency}"


def product_link(product, base_url: str) -> str:
    if not base_url:
        return ""
    village = product.enterprise.village.slug if product.enterprise.village_id else "-"
    return f"{base_url.rstrip('/')}/showcase/{village}/{product.enterprise.code}/{product.sku}"


def has_identifier(product) -> bool:
    return bool(product.gtin or (product.mpn and product.brand))


def common_checks(product, problems, *, base_url=None, need_description=True, need_image=True, need_link=True):
    key = product_key(product)
    if need_description and not product.description.strip():
        problems.append(Problem(key, "description", "write a description (materials, size, how it is made)"))
    if need_image and not product.image_urls:
        problems.append(Problem(key, "image_link", "add at least one photo URL (https://…) to the product"))
    if need_link and not base_url:
        problems.append(Problem(key, "link", "give --base-url (the public showcase address) so each product has a page"))
    if not has_identifier(product) and not product.is_handmade:
        problems.append(Problem(key, "gtin", "add the GTIN (barcode) or brand + MPN, or mark the product as handmade"))
