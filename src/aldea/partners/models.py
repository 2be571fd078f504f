from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from aldea.core.models import TimeStamped


class Helix(models.TextChoices):
    GOVERNMENT = "government", _("Gobierno")
    ACADEMIA = "academia", _("Academia")
    INDUSTRY = "industry", _("Industria")


class Organisation(TimeStamped):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Gobierno")
        UNIVERSITY = "university", _("Universidad")
        COMPANY = "company", _("Empresa")
        MARKETPLACE = "marketplace", _("Marketplace")
        NGO = "ngo", _("Organización civil")
        FINANCIAL = "financial", _("Institución financiera")

    # The helix a kind usually belongs to; stored on the row because an NGO or a financial
    # institution can sit on either side, and the programme decides.
    DEFAULT_HELIX = {
        "government": Helix.GOVERNMENT, "university": Helix.ACADEMIA, "company": Helix.INDUSTRY,
        "marketplace": Helix.INDUSTRY, "ngo": Helix.INDUSTRY, "financial": Helix.INDUSTRY,
    }

    slug = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    helix = models.CharField(_("helix"), max_length=12, choices=Helix.choices)
    country = models.ForeignKey("territories.Country", on_delete=models.PROTECT, related_name="organisations")
    municipality = models.ForeignKey(
        "territories.AdministrativeArea", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="organisations",
    )
    website = models.URLField(_("website"), blank=True)
    # The programme that added it to the directory: its managers keep it up to date until another
    # programme ties itself to the organisation (aldea.partners.queries).
    registered_in = models.ForeignKey(
        "programmes.Programme", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("registered in"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class AgreementState(models.TextChoices):
    """Where an agreement stands on a day: its decision (draft, signed, terminated) and its dates."""

    DRAFT = "draft", _("Borrador")
    UPCOMING = "upcoming", _("Por iniciar")
    IN_FORCE = "in_force", _("Vigente")
    EXPIRED = "expired", _("Vencido")
    TERMINATED = "terminated", _("Terminado")


class AgreementQuerySet(models.QuerySet):
    def in_force_on(self, day):
        """Signed agreements whose dates cover ``day``."""
        return self.filter(status=Agreement.Status.SIGNED, starts_on__lte=day).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=day)
        )


class Agreement(TimeStamped):
    class Status(models.TextChoices):
        """What the parties decided; whether a signed agreement is in force follows from its dates."""

        DRAFT = "draft", _("Borrador")
        SIGNED = "signed", _("Firmado")
        TERMINATED = "terminated", _("Terminado")

    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="agreements")
    code = models.SlugField(_("code"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=250)
    parties = models.ManyToManyField(Organisation, related_name="agreements", verbose_name=_("parties"))
    scope = models.TextField(_("scope"), blank=True)
    obligations = models.TextField(_("obligations"), blank=True, help_text=_("What each party commits to, one a line."))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    document = models.FileField(_("document"), upload_to="agreements/", blank=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="agreement_dates_ordered",
            ),
        ]

    def __str__(self):
        return self.title

    def state_on(self, day) -> str:
        """The agreement's ``AgreementState`` on ``day``: an agreement past its end date is expired."""
        if self.status != self.Status.SIGNED:
            return AgreementState.DRAFT if self.status == self.Status.DRAFT else AgreementState.TERMINATED
        if day < self.starts_on:
            return AgreementState.UPCOMING
        if self.ends_on is not None and day > self.ends_on:
            return AgreementState.EXPIRED
        return AgreementState.IN_FORCE


class VillagePartnerRole(models.Model):
    class Role(models.TextChoices):
        HOST_INSTITUTION = "host_institution", _("Institución anfitriona")
        TRAINER_PROVIDER = "trainer_provider", _("Proveedor de formadores")
        SPONSOR = "sponsor", _("Patrocinador")
        MARKETPLACE = "marketplace", _("Marketplace aliado")
        GOVERNMENT_LIAISON = "government_liaison", _("Enlace de gobierno")

    village = models.ForeignKey("programmes.Village", on_delete=models.CASCADE, related_name="partner_roles")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="village_roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)

    class Meta:
        ordering = ["village", "role"]
        verbose_name = _("partner role in a village")
        verbose_name_plural = _("partner roles in villages")
        constraints = [
            models.UniqueConstraint(fields=["village", "organisation", "role"], name="village_role_unique"),
        ]

    def __str__(self):
        return f"{self.organisation} · {self.get_role_display()} · {self.village}"
