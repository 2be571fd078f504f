"""The audit trail: who changed what, when, through which door, in which programme (decision O10).

django-auditlog records every create, update and delete of a tracked model from its signals
(settings: ``AUDITLOG_INCLUDE_ALL_MODELS`` less ``AUDITLOG_EXCLUDE_TRACKING_MODELS``) into
``AuditEntry``. This module adds what the library does not know: the door (page, API, admin,
import, command), the acting user when it is not a request's (a service called by a command or
a task), the programme an object belongs to, and entries for work the signals never see: bulk
imports (one entry per import and programme, with counts) and exports of personal data.

Outside a request, with no user given, the actor is empty: the trail shows it as "system" (a
command or the worker).
"""

import contextlib
import contextvars
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist

from aldea.ops.models import AuditEntry

Door = AuditEntry.Door


@dataclass(frozen=True)
class _Context:
    door: str
    actor: object = None
    request: object = None
    remote_addr: str | None = None


_context: contextvars.ContextVar[_Context | None] = contextvars.ContextVar("aldea_audit", default=None)


@contextlib.contextmanager
def acting(*, door: str, actor=None, request=None, remote_addr=None):
    """Attribute the changes made inside the block to ``actor`` (or the request's user) and ``door``.

    Nested blocks win over outer ones; an inner block without an actor keeps the outer actor.
    """
    outer = _context.get()
    if actor is None and request is None and outer is not None:
        actor, request, remote_addr = outer.actor, outer.request, outer.remote_addr
    token = _context.set(_Context(door=door, actor=actor, request=request, remote_addr=remote_addr))
    try:
        yield
    finally:
        _context.reset(token)


def current_door() -> str:
    ctx = _context.get()
    return ctx.door if ctx else Door.COMMAND


def current_actor():
    """The acting user: the block's, else the request's (read late: DRF authenticates a token in
    the view, after the middleware ran), else None (the system)."""
    ctx = _context.get()
    if ctx is None:
        return None
    if ctx.actor is not None:
        return ctx.actor
    user = getattr(ctx.request, "user", None)
    return user if user is not None and user.is_authenticated else None


def current_remote_addr():
    ctx = _context.get()
    return ctx.remote_addr if ctx else None


def door_of_path(path: str) -> str:
    if path.startswith("/api/"):
        return Door.API
    if path.startswith("/admin/"):
        return Door.ADMIN
    return Door.PAGE


# The foreign keys worth following to find an object's programme, in order; anything else
# (the user who recorded it, a sector) says nothing about the programme.
_PARENTS = ("programme", "village", "enterprise", "cohort", "course", "engagement", "session",
            "assessment", "person", "indicator", "agreement", "partner", "product", "role")


def programme_of(instance, depth: int = 4):
    """The id of the programme ``instance`` belongs to, following its parents; None for shared data
    (people, sectors, localities) and anything without a programme."""
    meta = type(instance)._meta
    if meta.label == "programmes.Programme":
        return instance.pk
    if depth <= 0:
        return None
    names = {f.name for f in meta.concrete_fields if f.is_relation and f.many_to_one}
    for name in _PARENTS:
        if name not in names:
            continue
        if name == "programme":
            return getattr(instance, "programme_id", None)
        try:
            parent = getattr(instance, name)
        except ObjectDoesNotExist:  # a parent deleted first in a cascade
            continue
        if parent is not None:
            found = programme_of(parent, depth - 1)
            if found is not None:
                return found
    return None


def record_event(*, model, action: int, description: str, programme_id=None, rows=None, actor=None,
                 details: dict | None = None, object_pk: str = "", door: str | None = None):
    """One entry for work the model signals do not see: an import or an export (``rows`` rows).

    ``action`` is one of ``AuditEntry.Action`` (ACCESS for a download of personal data).
    """
    from django.contrib.contenttypes.models import ContentType

    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model), object_pk=object_pk, object_repr=description,
        action=action, changes=None, additional_data=details or {}, programme_id=programme_id,
        rows=rows, door=door or current_door(), actor=actor if actor is not None else current_actor(),
        remote_addr=current_remote_addr(),
    )
