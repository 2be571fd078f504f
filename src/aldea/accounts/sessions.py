"""The user's signed-in browser sessions: recorded at log-in, listed, ended one by one."""

from django.contrib.auth import HASH_SESSION_KEY
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.sessions.models import Session
from django.dispatch import receiver
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from aldea.accounts.credentials import SignedInSession
from aldea.ops.middleware import client_address


@receiver(user_logged_in, dispatch_uid="aldea.accounts.sessions.record")
def record_session(sender, request, user, **kwargs):
    if request is None or not getattr(request, "session", None) or not request.session.session_key:
        return
    SignedInSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
            "ip_address": client_address(request) or None,
        },
    )


@receiver(user_logged_out, dispatch_uid="aldea.accounts.sessions.forget")
def forget_session(sender, request, user, **kwargs):
    if request is not None and getattr(request, "session", None) and request.session.session_key:
        SignedInSession.objects.filter(session_key=request.session.session_key).delete()


def active_sessions_of(user) -> list[SignedInSession]:
    """The user's sessions that would still let a browser in: unexpired, and made with the
    current password (Django refuses sessions whose password hash is stale). Rows of dead
    sessions are deleted as they are found."""
    rows = list(SignedInSession.objects.filter(user=user))
    stored = {
        session.session_key: session
        for session in Session.objects.filter(session_key__in=[row.session_key for row in rows],
                                              expire_date__gt=timezone.now())
    }
    current_hash = user.get_session_auth_hash()
    alive, dead = [], []
    for row in rows:
        session = stored.get(row.session_key)
        data = session.get_decoded() if session is not None else {}
        if data and constant_time_compare(data.get(HASH_SESSION_KEY, ""), current_hash):
            alive.append(row)
        else:
            dead.append(row.pk)
    if dead:
        SignedInSession.objects.filter(pk__in=dead).delete()
    return alive


def end_session(*, user, session_id: int) -> bool:
    """Sign one of the user's sessions out (the browser holding it is asked to log in again)."""
    row = SignedInSession.objects.filter(user=user, pk=session_id).first()
    if row is None:
        return False
    Session.objects.filter(session_key=row.session_key).delete()
    row.delete()
    return True
