"""Aldea's URLs, and three that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from aldea.urls import urlpatterns as aldea_urlpatterns


def forbidden(request):
    raise PermissionDenied


def bad(request):
    raise SuspiciousOperation("a request no page accepts")


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("test-errors/403/", forbidden),
    path("test-errors/400/", bad),
    path("test-errors/500/", broken),
    *aldea_urlpatterns,
]
