"""Password links a programme's manager issues for field staff who have no email address.

The link is Django's password-reset link (the same one the email carries): it works once (it is
bound to the password it replaces and the last log-in) and for ``PASSWORD_RESET_TIMEOUT``.
"""

import logging

from django.contrib.auth.tokens import default_token_generator
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from aldea.accounts.models import Membership, User
from aldea.accounts.queries import reach_of
from aldea.core.access import is_global

logger = logging.getLogger("aldea.accounts")


class LinkRefused(Exception):
    """The issuer may not make a password link for this user."""


def users_recoverable_by(issuer) -> QuerySet[User]:
    """Who ``issuer`` may make a password link for.

    A manager: active users with an active membership in a programme they manage and none in a
    programme they do not manage (a manager of programme B must not be able to take over the
    account of someone who also works in programme A). Staff and superusers: anyone with a
    membership. Never a staff or superuser account, never the issuer (they change their own
    password while signed in).
    """
    base = User.objects.filter(is_active=True, is_staff=False, is_superuser=False).exclude(pk=issuer.pk)
    active = Membership.objects.filter(is_active=True)
    if is_global(issuer):
        return base.filter(pk__in=active.values("person__user_id"))
    managed = reach_of(issuer).manager_programme_ids
    return base.filter(pk__in=active.filter(programme_id__in=managed).values("person__user_id")).exclude(
        pk__in=active.exclude(programme_id__in=managed).values("person__user_id")
    )


def issue_password_link(*, issuer, user) -> str:
    """The path of a one-time link at which ``user`` sets a new password.

    Raises LinkRefused unless ``users_recoverable_by(issuer)`` includes the user.
    """
    if not users_recoverable_by(issuer).filter(pk=user.pk).exists():
        raise LinkRefused(f"you may not make a password link for {user.get_username()}")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    logger.info("password link for user %s issued by user %s", user.pk, issuer.pk,
                extra={"user_id": user.pk, "issuer_id": issuer.pk})
    return reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
