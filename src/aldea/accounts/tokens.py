"""API tokens that expire, can be revoked, and die with a password change."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from aldea.accounts.credentials import ApiToken

KEY_BYTES = 30  # 40 characters of URL-safe base64, as long as DRF's own keys
# last_used_at is written at most this often per token: not one UPDATE for every API request.
LAST_USED_PRECISION = timedelta(minutes=5)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def password_fingerprint(user) -> str:
    """Changes whenever the user's password does (the same idea as Django's session hash)."""
    return salted_hmac("aldea.accounts.tokens", user.password, algorithm="sha256").hexdigest()


def issue_token(*, user, name: str = "", days: int | None = None) -> tuple[ApiToken, str]:
    """Create a token for ``user``; return the row and the key, which is shown only this once."""
    key = secrets.token_urlsafe(KEY_BYTES)
    days = settings.API_TOKEN_DAYS if days is None else days
    token = ApiToken.objects.create(
        user=user, name=name[:100], key_digest=_digest(key), key_prefix=key[:8],
        password_fingerprint=password_fingerprint(user), expires_at=timezone.now() + timedelta(days=days),
    )
    return token, key


def active_tokens_of(user):
    """The user's tokens that still authenticate (not expired, password unchanged)."""
    tokens = ApiToken.objects.filter(user=user, expires_at__gt=timezone.now())
    fingerprint = password_fingerprint(user)
    return [token for token in tokens if constant_time_compare(token.password_fingerprint, fingerprint)]


def revoke_token(*, user, token_id: int) -> bool:
    """Delete one of the user's own tokens; False when it is not theirs or no longer exists."""
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return bool(deleted)


def user_for_key(key: str):
    """The active user a key authenticates, or None. A dead token is deleted on sight."""
    token = ApiToken.objects.select_related("user").filter(key_digest=_digest(key)).first()
    if token is None:
        return None, None
    user = token.user
    alive = (
        token.expires_at > timezone.now()
        and constant_time_compare(token.password_fingerprint, password_fingerprint(user))
        and user.is_active
    )
    if not alive:
        token.delete()
        return None, None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return user, token


class ExpiringTokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>`` against ApiToken: expired, revoked and pre-password-change
    keys answer 401 "Invalid token."."""

    def authenticate_credentials(self, key):
        user, token = user_for_key(key)
        if user is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return user, token
