"""Idempotent writes: a write sent twice with the same key is applied once and answered the same.

The pages that field staff use offline (attendance, scores, the diagnostic, meeting notes,
monthly results) queue a write on the phone when the network is gone and send it again when it
returns (static/aldea/offline.js). A send whose answer was lost on a weak link is sent again
too. Each write carries a key, a UUID made by the page, in the ``Idempotency-Key`` header or the
``idempotency_key`` field; :func:`idempotent_write` stores the key with the answer in the same
transaction as the write, and answers a repeat from the store (docs/decisions.md, O13).

Only a write that was applied (an answer below 400) is stored: a form refused for bad input
keeps its key, so the same form corrected and sent again is applied.
"""

import functools
import re

from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _

from aldea.ops.models import ProcessedWrite

HEADER = "Idempotency-Key"
FIELD = "idempotency_key"
REPLAYED_HEADER = "Idempotent-Replayed"
VALID_KEY = re.compile(r"^[A-Za-z0-9-]{8,64}$")
# A bigger answer (a whole page redrawn with errors) is not worth keeping: a retry gets its status.
MAX_STORED_BODY = 64 * 1024


class _NotApplied(Exception):
    """Rolls back the key of a write that was refused, carrying the refusal out."""

    def __init__(self, response):
        self.response = response


def key_of(request) -> str:
    return request.headers.get(HEADER) or request.POST.get(FIELD, "")


def replay(write: ProcessedWrite) -> HttpResponse:
    """The stored answer of a write already applied."""
    response = HttpResponse(write.body, status=write.status, content_type=write.content_type or None)
    if write.location:
        response["Location"] = write.location
    response[REPLAYED_HEADER] = "true"
    return response


def _stored_fields(response) -> dict:
    body = ""
    content_type = response.get("Content-Type", "")
    if not getattr(response, "streaming", False) and len(response.content) <= MAX_STORED_BODY:
        body = response.content.decode(response.charset or "utf-8", errors="replace")
    return {
        "status": response.status_code, "location": response.get("Location", "")[:500],
        "content_type": content_type[:100], "body": body,
    }


def idempotent_write(view):
    """Apply a POST at most once per (user, key); GETs and keyless POSTs pass through unchanged.

    Put it under ``login_required``. The key row is written in the view's transaction, so a
    write and its key are kept or lost together; two sends racing with the same key meet at the
    unique constraint, and the second is answered from the first's row.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        key = key_of(request) if request.method == "POST" else ""
        if not key or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if not VALID_KEY.match(key):
            return HttpResponse(
                _("Idempotency key: give 8 to 64 letters, digits or dashes (a UUID)."),
                status=400, content_type="text/plain; charset=utf-8",
            )
        done = ProcessedWrite.objects.filter(key=key, user=request.user).first()
        if done is not None:
            return _replay_or_refuse(done, request)
        try:
            with transaction.atomic():
                write = ProcessedWrite.objects.create(key=key, user=request.user, path=request.path[:500], status=0)
                response = view(request, *args, **kwargs)
                if response.status_code >= 400:
                    raise _NotApplied(response)
                for name, value in _stored_fields(response).items():
                    setattr(write, name, value)
                write.save(update_fields=["status", "location", "content_type", "body"])
        except _NotApplied as refused:
            return refused.response
        except IntegrityError:
            # The same key arrived twice at once: the other send won and has committed.
            done = ProcessedWrite.objects.filter(key=key, user=request.user).first()
            if done is None:
                raise
            return _replay_or_refuse(done, request)
        return response

    return wrapper


def _replay_or_refuse(done: ProcessedWrite, request) -> HttpResponse:
    if done.path != request.path[:500]:
        return HttpResponse(
            _("Idempotency key: this key was already used for another address; send a new key."),
            status=422, content_type="text/plain; charset=utf-8",
        )
    return replay(done)
