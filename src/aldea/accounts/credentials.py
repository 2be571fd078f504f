"""What a user signs in with besides the password: API tokens and tracked sessions.

Imported by ``accounts.models`` so Django finds the models; the logic lives in ``tokens`` and
``sessions``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A key for the REST API (``Authorization: Token <key>``).

    Only a SHA-256 digest of the key is stored, so a copy of the database does not hand out
    working keys. A token dies when it expires, when it is revoked, and when its user's password
    changes (``password_fingerprint`` no longer matches), as Django's sessions do.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    key_digest = models.CharField(max_length=64, unique=True)
    # The key's first characters, to tell one's tokens apart on the sessions page.
    key_prefix = models.CharField(max_length=8)
    password_fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.key_prefix}… ({self.user})"


class SignedInSession(models.Model):
    """A browser session of a user, recorded at log-in so the user can list and end them.

    Django's session table cannot be searched by user; this row points at the session key.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    user_agent = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} since {self.created_at:%Y-%m-%d %H:%M}"
