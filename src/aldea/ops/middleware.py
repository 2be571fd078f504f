"""Request ids and the access log; no caching of signed-in pages."""

import logging
import re
import time
import uuid

from django.utils.cache import add_never_cache_headers, patch_cache_control

from aldea.ops.logs import request_id_var

access_log = logging.getLogger("aldea.access")

# A proxy's id is kept when it looks like one (nginx's $request_id, a UUID): never log what a
# client invented freely, which could forge log lines.
TRUSTED_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
REQUEST_ID_HEADER = "HTTP_X_REQUEST_ID"


def client_address(request) -> str:
    """The visitor's address: behind the https proxy (ALDEA_PUBLIC_URL), the X-Forwarded-For it
    sets (docs/deploy.md: it overwrites the header, so its last entry is the proxy's own view);
    otherwise the connection's."""
    from django.conf import settings

    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


class RequestIdMiddleware:
    """Gives each request an id (the proxy's X-Request-ID, or a new one), puts it on every log
    record made while serving it and on the response, and writes one access-log line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get(REQUEST_ID_HEADER, "")
        request_id = incoming if TRUSTED_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        # Cleared by request_finished (aldea.ops.logs), not here: Django logs a 4xx or 5xx
        # answer ("django.request") after the middleware has returned.
        request_id_var.set(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        if access_log.isEnabledFor(logging.INFO):
            user = getattr(request, "user", None)
            access_log.info(
                "%s %s %s", request.method, request.get_full_path(), response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                    "remote_addr": client_address(request),
                },
            )
        return response


def is_public(response) -> bool:
    """Whether the view said its response may be kept by any cache (``Cache-Control: public``)."""
    directives = (part.strip().split("=")[0].lower() for part in response.get("Cache-Control", "").split(","))
    return "public" in directives


class NoStoreForSignedInMiddleware:
    """``Cache-Control: no-store`` on every response to a signed-in user.

    A signed-in page shows personal data (names, sales, contact details); a shared computer's
    browser cache or the back button after logging out must not show it to the next person.
    Static files and public pages to anonymous visitors keep their caching, and so does a response
    whose view marked it ``Cache-Control: public`` (the same for everyone: the map boundaries, a
    photo on show). Without that exception a signed-in user's phone fetched the 260 KB municipal
    boundaries again on every visit of the territory page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not is_public(response):
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response


class AuditMiddleware:
    """Attributes the changes a request makes to its user and door (aldea.ops.audit).

    Instead of django-auditlog's middleware, which reads the user before DRF has authenticated
    an API token: the trail reads ``request.user`` when an entry is written.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from aldea.ops import audit

        with audit.acting(door=audit.door_of_path(request.path), request=request,
                          remote_addr=client_address(request) or None):
            return self.get_response(request)
