"""Invitations: a manager offers a role in their programme; the invitee sets a password and has it.

An invitation is sent by email (through Django's email backend), or handed over as a one-time
link or a short code printed or read aloud to field staff without email. The code is the link's
last part, so either works. A code works once and expires after ``INVITATION_DAYS``.
"""

import datetime
import hashlib
import logging
import re
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aldea.accounts.models import Invitation, Membership, Person, Role, User
from aldea.accounts.queries import manages
from aldea.core.exceptions import DomainError

logger = logging.getLogger("aldea.accounts")

INVITATION_DAYS = 14
# As certificate codes: no 0/O or 1/I, read aloud and typed from paper. Ten letters of 32 are
# 50 bits: guessing a live code at the join page is hopeless.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_GROUP = 5


class InvitationRefused(DomainError):
    """The code is unknown, used, revoked or expired, or the manager may not invite so."""


def new_code() -> str:
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(2 * CODE_GROUP))
    return f"{body[:CODE_GROUP]}-{body[CODE_GROUP:]}"


def normalise_code(code: str) -> str:
    """What a person types ('abcde fghjk', 'ABCDE-FGHJK') as stored: upper case, no separators."""
    return re.sub(r"[^0-9A-Z]", "", (code or "").upper())


def _digest(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def join_path(code: str) -> str:
    return reverse("accounts:join-code", args=[code])


def _check_scope(programme, role, village, organisation):
    if role not in Role.values:
        raise DomainError(_("«%(role)s» is not a role.") % {"role": role})
    if village is not None and village.programme_id != programme.pk:
        raise DomainError(_("The village %(village)s is not in this programme.") % {"village": village})
    if role == Role.PARTNER and organisation is None:
        raise DomainError(_("A partner is invited for an organisation: choose it."))


@transaction.atomic
def invite(*, user, programme, role: str, village=None, organisation=None, email: str = "",
           given_name: str = "", family_name: str = "", base_url: str = "",
           person: Person | None = None) -> tuple[Invitation, str]:
    """Make an invitation to ``role`` in ``programme`` and return it with its code (shown once).

    With an email address the link is mailed once the transaction commits; the link starts with
    ``ALDEA_PUBLIC_URL``, else ``base_url`` (the page passes the address it was served from).
    ``person``: a member of the programme without an account, who gets one on accepting.
    Raises InvitationRefused unless ``user`` manages the programme, DomainError for a bad scope
    or a person who is not a member or has an account already.
    """
    if not manages(user, programme.pk):
        raise InvitationRefused(_("You may invite people only to a programme you manage."))
    _check_scope(programme, role, village, organisation)
    if person is not None:
        if not Membership.objects.filter(person=person, programme=programme).exists():
            raise DomainError(_("%(person)s is not a member of this programme.") % {"person": person})
        if person.user_id is not None:
            raise DomainError(_("%(person)s has an account already.") % {"person": person})
        given_name, family_name = given_name or person.given_name, family_name or person.family_name
        email = email or person.email
    code = new_code()
    invitation = Invitation.objects.create(
        programme=programme, role=role, village=village, organisation=organisation, email=email.strip(),
        given_name=given_name.strip(), family_name=family_name.strip(), code_digest=_digest(code), person=person,
        invited_by=user, expires_at=timezone.now() + datetime.timedelta(days=INVITATION_DAYS),
    )
    if invitation.email:
        link = (settings.PUBLIC_URL or base_url.rstrip("/")) + join_path(code)
        transaction.on_commit(lambda: _send(invitation, code, link))
    logger.info("invitation %s to %s in programme %s by user %s", invitation.pk, role, programme.pk, user.pk)
    return invitation, code


def _send(invitation: Invitation, code: str, link: str) -> None:
    subject = _("Your invitation to %(programme)s") % {"programme": invitation.programme}
    body = _(
        "You are invited to take part in %(programme)s as %(role)s.\n\n"
        "Open this link to choose your user name and password:\n%(link)s\n\n"
        "Or enter this code on the join page: %(code)s\n\n"
        "The invitation works once and expires on %(expires)s."
    ) % {"programme": invitation.programme, "role": invitation.get_role_display(), "link": link,
         "code": code, "expires": timezone.localdate(invitation.expires_at)}
    send_mail(subject, body, None, [invitation.email])


def pending_invitation(code: str) -> Invitation:
    """The invitation a code opens. Raises InvitationRefused, saying why, when it opens none."""
    invitation = (Invitation.objects.select_related("programme", "village", "organisation")
                  .filter(code_digest=_digest(code)).first() if normalise_code(code) else None)
    if invitation is None:
        raise InvitationRefused(_("This code opens no invitation; check it and type it again."))
    if invitation.accepted_at:
        raise InvitationRefused(_("This invitation has already been used."))
    if invitation.revoked_at:
        raise InvitationRefused(_("This invitation was withdrawn; ask your coordinator for a new one."))
    if invitation.expires_at <= timezone.now():
        raise InvitationRefused(_("This invitation has expired; ask your coordinator for a new one."))
    return invitation


def _new_user(username: str, password: str, email: str) -> User:
    username = (username or "").strip()
    if not username:
        raise DomainError(_("User name: choose one."))
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("User name: %(name)s is taken; choose another.") % {"name": username})
    candidate = User(username=username, email=email)
    try:
        User.username_validator(username)
        validate_password(password or "", user=candidate)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from None
    candidate.set_password(password)
    candidate.save()
    return candidate


@transaction.atomic
def accept_invitation(*, code: str, user=None, username: str = "", password: str = "",
                      given_name: str = "", family_name: str = "") -> Membership:
    """Take the invitation's role: as the signed-in ``user``, or as a new account with
    ``username`` and ``password``. The code then stops working.

    Raises InvitationRefused for a code that opens no pending invitation and DomainError for a
    user name that is taken or a password the validators refuse.
    """
    invitation = pending_invitation(code)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:  # taken by a concurrent request
        raise InvitationRefused(_("This invitation has already been used."))
    if user is not None and user.is_authenticated:
        if invitation.person_id is not None and invitation.person.user_id != user.pk:
            raise DomainError(_("This invitation is for %(person)s: sign out to accept it.")
                              % {"person": invitation.person})
        person = Person.objects.filter(user=user).first()
    else:
        given_name = (given_name or invitation.given_name).strip()
        if not given_name:
            raise DomainError(_("Given name: write it."))
        person = None
        if invitation.person_id is not None:
            person = Person.objects.select_for_update().get(pk=invitation.person_id)
            if person.user_id is not None:
                raise InvitationRefused(_("This invitation has already been used."))
        user = _new_user(username, password, invitation.email)
        if person is not None:
            person.user = user
            person.given_name = given_name
            person.family_name = (family_name or person.family_name).strip()
            person.save(update_fields=["user", "given_name", "family_name", "updated_at"])
    if person is None:
        person = Person.objects.create(
            user=user, given_name=(given_name or invitation.given_name or user.get_username()).strip(),
            family_name=(family_name or invitation.family_name).strip(), email=invitation.email,
        )
    membership, created = Membership.objects.get_or_create(
        person=person, role=invitation.role, programme=invitation.programme, village=invitation.village,
        organisation=invitation.organisation,
        defaults={"starts_on": timezone.localdate(), "is_active": True},
    )
    if not created and not membership.is_active:
        # Invited back after their access ended.
        membership.is_active, membership.ends_on = True, None
        if membership.starts_on and membership.starts_on > timezone.localdate():
            membership.starts_on = timezone.localdate()
        membership.save(update_fields=["is_active", "ends_on", "starts_on", "updated_at"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = person
    invitation.membership = membership
    invitation.save(update_fields=["accepted_at", "accepted_by", "membership"])
    return membership


@transaction.atomic
def revoke_invitation(*, user, invitation: Invitation) -> Invitation:
    """Withdraw a pending invitation so that its code stops working. Raises InvitationRefused."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not manages(user, invitation.programme_id):
        raise InvitationRefused(_("You may not withdraw this invitation."))
    if invitation.accepted_at:
        raise InvitationRefused(_("This invitation has already been used; end the membership instead."))
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation
