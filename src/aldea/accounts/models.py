from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aldea.core.models import TimeStamped


class User(AbstractUser):
    """Login account. Who the user is in the programme lives on Person and Membership."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Sex(models.TextChoices):
    FEMALE = "female", _("Mujer")
    MALE = "male", _("Hombre")
    OTHER = "other", _("Otro")
    UNDISCLOSED = "undisclosed", _("Prefiere no decir")


class Person(TimeStamped):
    user = models.OneToOneField(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="person"
    )
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    sex = models.CharField(_("sex"), max_length=12, choices=Sex.choices, default=Sex.UNDISCLOSED)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    speaks_indigenous_language = models.BooleanField(_("indigenous-language speaker"), default=False)
    indigenous_language = models.CharField(_("indigenous language"), max_length=60, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # Contact details may be shown or used only with recorded consent.
    has_contact_consent = models.BooleanField(_("consents to be contacted"), default=False)
    contact_consent_on = models.DateField(_("consent recorded on"), null=True, blank=True)
    locality = models.ForeignKey(
        "territories.Locality", on_delete=models.SET_NULL, null=True, blank=True, related_name="people"
    )

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | Q(birth_year__gte=1900, birth_year__lte=2030),
                name="person_birth_year_range",
            ),
            models.CheckConstraint(
                condition=Q(has_contact_consent=False) | Q(contact_consent_on__isnull=False),
                name="person_consent_has_date",
            ),
        ]
        indexes = [models.Index(fields=["sex"])]

    def __str__(self):
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def full_name(self) -> str:
        return str(self)


class Role(models.TextChoices):
    MANAGER = "manager", _("Coordinación del programa")
    PARTNER = "partner", _("Institución aliada")
    TRAINER = "trainer", _("Formador(a)")
    CONSULTANT = "consultant", _("Consultor(a) estudiante")
    MSME_OWNER = "msme_owner", _("Dueño(a) de MIPYME")
    ANALYST = "analyst", _("Analista")


class Membership(TimeStamped):
    """Gives a person a role in one programme, optionally narrowed to a village or organisation."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="memberships"
    )
    village = models.ForeignKey(
        "programmes.Village", on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, null=True, blank=True,
        related_name="memberships",
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "role", "programme", "village", "organisation"],
                name="membership_unique",
            ),
            models.CheckConstraint(
                condition=~Q(role="partner") | Q(organisation__isnull=False),
                name="membership_partner_has_organisation",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="membership_dates_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["role", "is_active"]),
            # Who may serve an MSME: a programme's active consultants of one village or of none.
            models.Index(fields=["programme", "role", "village", "is_active"], name="membership_role_place_idx"),
        ]

    def __str__(self):
        return f"{self.person} · {self.get_role_display()} · {self.programme}"

# API tokens and tracked sessions (aldea.accounts.credentials).
from aldea.accounts.credentials import ApiToken, SignedInSession  # noqa: F401

# Invitations to a role (aldea.accounts.invitations).
from aldea.accounts.invitation_models import Invitation  # noqa: F401
