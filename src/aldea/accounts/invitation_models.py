"""An invitation to take a role in a programme: sent by email, or a link or a printed code."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aldea.accounts.models import Membership, Person, Role


class Invitation(models.Model):
    """A role and a scope (programme, optionally a village or an organisation) waiting for a person.

    Only a digest of the code is stored: the code itself is shown once to the manager (and sent
    in the email), so a copy of the database opens no account.
    """

    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    village = models.ForeignKey("programmes.Village", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="invitations")
    organisation = models.ForeignKey("partners.Organisation", on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="invitations")
    # A person the programme knows already (enrolled from a list, say) who has no account yet:
    # accepting gives them one instead of a second person.
    person = models.ForeignKey(Person, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations")
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    email = models.EmailField(_("email"), blank=True)
    code_digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(condition=~Q(role="partner") | Q(organisation__isnull=False),
                                   name="invitation_partner_has_organisation"),
        ]

    def __str__(self):
        return f"{self.get_role_display()} · {self.programme} · {self.email or self.given_name or self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        return "pending" if self.expires_at > timezone.now() else "expired"
