from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aldea.core.models import TimeStamped


class Sector(models.TextChoices):
    CRAFTS = "crafts", _("Artesanías")
    TEXTILES = "textiles", _("Textiles y confección")
    FOOD = "food", _("Alimentos y bebidas")
    AGRICULTURE = "agriculture", _("Agropecuario")
    MANUFACTURING = "manufacturing", _("Manufactura")
    RETAIL = "retail", _("Comercio")
    SERVICES = "services", _("Servicios")
    TOURISM = "tourism", _("Turismo")


class FormalStatus(models.TextChoices):
    INFORMAL = "informal", _("Informal")
    INDIVIDUAL = "individual", _("Persona física con actividad empresarial")
    COMPANY = "company", _("Persona moral")
    COOPERATIVE = "cooperative", _("Cooperativa")


class ChannelKind(models.TextChoices):
    MARKETPLACE = "marketplace", _("Marketplace")
    SOCIAL = "social", _("Redes sociales")
    OWN_STORE = "own_store", _("Tienda en línea propia")
    B2B = "b2b", _("B2B")
    PHYSICAL = "physical", _("Venta presencial")


class Enterprise(TimeStamped):
    """A micro, small or medium enterprise (MSME) served by the programme, or in its comparison group."""

    class Group(models.TextChoices):
        PARTICIPANT = "participant", _("Participante")
        COMPARISON = "comparison", _("Grupo de comparación")

    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="enterprises")
    village = models.ForeignKey(
        "programmes.Village", on_delete=models.PROTECT, null=True, blank=True, related_name="enterprises"
    )
    group = models.CharField(_("group"), max_length=12, choices=Group.choices, default=Group.PARTICIPANT)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    owner = models.ForeignKey(
        "accounts.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="enterprises"
    )
    municipality = models.ForeignKey(
        "territories.AdministrativeArea", on_delete=models.PROTECT, related_name="enterprises",
        limit_choices_to={"level": "municipality"},
    )
    locality = models.ForeignKey(
        "territories.Locality", on_delete=models.PROTECT, null=True, blank=True, related_name="enterprises"
    )
    sector = models.CharField(_("sector"), max_length=14, choices=Sector.choices)
    speciality = models.CharField(_("speciality"), max_length=150, blank=True)
    formal_status = models.CharField(_("formal status"), max_length=12, choices=FormalStatus.choices, default=FormalStatus.INFORMAL)
    employees = models.PositiveSmallIntegerField(_("employees"), default=1)
    founded_year = models.PositiveSmallIntegerField(_("founding year"), null=True, blank=True)
    is_women_led = models.BooleanField(_("women-led"), default=False)
    # Channels the MSME sold through before the programme, as ChannelKind values.
    baseline_channels = models.JSONField(_("baseline sales channels"), default=list, blank=True)
    has_showcase_consent = models.BooleanField(_("appears on the public showcase"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("MSME")
        verbose_name_plural = _("MSMEs")
        constraints = [
            models.CheckConstraint(
                condition=Q(group="comparison") | Q(village__isnull=False),
                name="enterprise_participant_has_village",
            ),
            models.CheckConstraint(
                condition=Q(founded_year__isnull=True) | Q(founded_year__gte=1800, founded_year__lte=2100),
                name="enterprise_founded_year_range",
            ),
        ]
        # (village, group): a village's participants are counted from the index alone, on the
        # overview and the villages page at 100,000 MSMEs.
        indexes = [models.Index(fields=["programme", "group"]), models.Index(fields=["village", "group"]),
                   models.Index(fields=["sector"]),
                   # The territory page's speciality per municipality, read from the index alone.
                   models.Index(fields=["programme", "municipality", "speciality", "sector"],
                                name="enterprise_speciality_idx"),
                   # The board's first MSMEs awaiting a consultant, read in name order.
                   models.Index(fields=["programme", "group", "name", "code"], name="enterprise_by_name_idx")]

    def __str__(self):
        return self.name


class Product(TimeStamped):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="products")
    sku = models.CharField(_("SKU"), max_length=60)
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=150, blank=True)
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="MXN")
    stock = models.PositiveIntegerField(_("stock"), default=0)
    brand = models.CharField(_("brand"), max_length=100, blank=True)
    gtin = models.CharField(_("GTIN"), max_length=14, blank=True)
    mpn = models.CharField(_("MPN"), max_length=70, blank=True)
    # Handmade goods carry no GTIN; feeds then use each channel's "no identifier" convention.
    is_handmade = models.BooleanField(_("handmade"), default=False)
    image_urls = models.JSONField(_("image URLs"), default=list, blank=True)

    class Meta:
        ordering = ["enterprise", "title"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "sku"], name="product_unique_sku"),
            models.CheckConstraint(condition=Q(price__gt=0), name="product_price_positive"),
            models.CheckConstraint(condition=Q(gtin="") | Q(gtin__regex=r"^[0-9]{8,14}$"), name="product_gtin_digits"),
        ]

    def __str__(self):
        return self.title


class ProductPhoto(TimeStamped):
    """A photo of a product, uploaded from a phone and stored resized, with a thumbnail.

    ``token`` names the photo in public addresses (the showcase and the marketplace feeds link
    ``/photos/<token>.jpg``), so neither the product's key nor the file's path is exposed.
    """

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos")
    token = models.SlugField(_("token"), max_length=24, unique=True)
    image = models.ImageField(_("image"), upload_to="products/")
    thumbnail = models.ImageField(_("thumbnail"), upload_to="products/")
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["product", "position", "pk"]
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")

    def __str__(self):
        return f"{self.product} · {self.token}"
