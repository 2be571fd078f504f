"""Login throttling on every door (login page, API token, admin), with django-axes.

After ``LOGIN_FAILURE_LIMIT`` failed attempts for one username, every attempt for it is refused
for ``LOGIN_COOLOFF_MINUTES``, even with the right password (each refused attempt restarts the
cool-off). Counting by username, not address: an attacker has many addresses, and field offices
share one.
"""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' check, for authentications that come from a request.

    ``authenticate()`` without a request is code, not a login door (a management command, the
    shell, a test): there is nothing to throttle, so it is left to the next backend instead of
    failing. Every door over HTTP passes its request: Django's login views, the admin and
    Aldea's token endpoint.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_message() -> str:
    minutes = settings.LOGIN_COOLOFF_MINUTES
    return _(
        "Too many failed attempts to log in with this user name. Log-in is refused for "
        "%(minutes)s minutes, even with the right password; try again later or ask your "
        "programme's coordination to reset your password."
    ) % {"minutes": minutes}


def is_locked_out(request) -> bool:
    """Whether the last authentication on ``request`` was refused by the throttle."""
    return bool(getattr(request, "axes_locked_out", False))


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a refused attempt: 429, as JSON for the API, else the login page
    with the reason (the admin's login too: one page explains it the same way)."""
    message = lockout_message()
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    from django.contrib.auth.forms import AuthenticationForm

    form = AuthenticationForm(request)
    return render(request, "registration/login.html", {"form": form, "lockout_message": message}, status=429)
