from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class MarginalisationDegree(models.TextChoices):
    # CONAPO's five degrees (Índice de Marginación 2020), lowest need first.
    VERY_LOW = "muy_bajo", _("Muy bajo")
    LOW = "bajo", _("Bajo")
    MEDIUM = "medio", _("Medio")
    HIGH = "alto", _("Alto")
    VERY_HIGH = "muy_alto", _("Muy alto")


class Country(models.Model):
    code = models.CharField(_("ISO code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    currency = models.CharField(_("currency"), max_length=3, help_text="ISO 4217")

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[A-Z]{2}$"), name="country_code_iso2"),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="country_currency_iso4217"),
        ]

    def __str__(self):
        return self.name


class AdministrativeArea(models.Model):
    """A state or a municipality, identified by its official code (INEGI, IBGE)."""

    class Level(models.TextChoices):
        STATE = "state", _("Estado")
        MUNICIPALITY = "municipality", _("Municipio")

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="areas")
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    # The full official code: INEGI CVE_ENT ("20") for states, CVE_ENT+CVE_MUN ("20068") for
    # municipalities; IBGE's 7-digit code in Brazil.
    code = models.CharField(_("official code"), max_length=12)
    name = models.CharField(_("name"), max_length=150)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    households = models.PositiveIntegerField(_("inhabited dwellings"), null=True, blank=True)
    marginalisation_index = models.FloatField(_("marginalisation index"), null=True, blank=True)
    marginalisation_degree = models.CharField(
        _("marginalisation degree"), max_length=10, choices=MarginalisationDegree.choices, blank=True
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    # The municipal seat (or a centroid): where a country ships no municipal polygons
    # (Brazil), maps and spatial clusters use this point.
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        ordering = ["country", "code"]
        verbose_name = _("administrative area")
        verbose_name_plural = _("administrative areas")
        constraints = [
            models.UniqueConstraint(fields=["country", "level", "code"], name="area_unique_code"),
            models.CheckConstraint(
                condition=Q(level="state", parent__isnull=True) | Q(level="municipality", parent__isnull=False),
                name="area_municipality_has_state",
            ),
        ]
        indexes = [models.Index(fields=["level", "marginalisation_degree"])]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def state_code(self) -> str:
        return self.code[:2]


class Locality(models.Model):
    """A town or village inside a municipality (INEGI's 9-digit CVE_ENT+CVE_MUN+CVE_LOC)."""

    municipality = models.ForeignKey(
        AdministrativeArea, on_delete=models.PROTECT, related_name="localities",
        limit_choices_to={"level": "municipality"},
    )
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=150)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    is_rural = models.BooleanField(_("rural"), default=False)
    marginalisation_index = models.FloatField(_("marginalisation index"), null=True, blank=True)
    marginalisation_degree = models.CharField(
        _("marginalisation degree"), max_length=10, choices=MarginalisationDegree.choices, blank=True
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("locality")
        verbose_name_plural = _("localities")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="locality_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="locality_longitude_range",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="locality_point_complete",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"


class ClusterClassification(models.Model):
    """An area's e-commerce figures and digital-village classification from `aldea.analytics.detect`.

    Written by the analytics task over the platform's own MSMEs and online sales; one row per
    profile and area, replaced on each run.
    """

    profile = models.CharField(_("profile"), max_length=60)
    area = models.ForeignKey(AdministrativeArea, on_delete=models.CASCADE, related_name="cluster_classifications")
    computed_at = models.DateTimeField(_("computed at"))
    window_end = models.DateField(_("window end"))
    active_shops = models.PositiveIntegerField(_("active shops"))
    shop_share = models.FloatField(_("active shops per household"), null=True, blank=True)
    turnover = models.DecimalField(_("turnover"), max_digits=16, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    turnover_cny = models.DecimalField(_("turnover (RMB, PPP)"), max_digits=16, decimal_places=2)
    top_category = models.CharField(_("top category"), max_length=150, blank=True)
    top_category_share = models.FloatField(_("top category share"), null=True, blank=True)
    qualifies = models.BooleanField(_("qualifies"))
    rule = models.CharField(_("rule"), max_length=300, blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"))
    cluster_id = models.CharField(_("cluster"), max_length=40, blank=True)

    class Meta:
        ordering = ["profile", "rank"]
        verbose_name = _("cluster classification")
        verbose_name_plural = _("cluster classifications")
        constraints = [models.UniqueConstraint(fields=["profile", "area"], name="cluster_unique_area")]

    def __str__(self):
        return f"{self.area} · {self.profile}: {'✓' if self.qualifies else '–'}"
