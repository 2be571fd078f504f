from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated

from aldea.core.api import unknown_endpoint
from aldea.ops.health import healthz
from aldea.ops.webapp import manifest, service_worker
from aldea.workspace.views.home import home

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    # At the root, so that the service worker's scope is the whole site (aldea.ops.webapp).
    path("sw.js", service_worker, name="service_worker"),
    path("manifest.webmanifest", manifest, name="webmanifest"),
    path("accounts/", include("aldea.accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("aldea.api_urls")),
    # The schema and its docs describe every field of personal data: signed-in users only
    # (a token or a session), like the API itself. The docs' script is served from the page's
    # own URL, not inline, so the Content-Security-Policy holds there too.
    path("api/schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="schema"),
    path("api/docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="schema")), name="api-docs"),
    # Any other path under /api/ (an identifier no route accepts, like "a.b"): the API's JSON 404.
    re_path(r"^api/(?:.*/)?$", unknown_endpoint),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("aldea.workspace.urls")),
    path("territory/", include("aldea.territories.urls")),
    path("training/", include("aldea.training.urls")),
    path("consultancy/", include("aldea.consulting.urls")),
    path("diagnostics/", include("aldea.diagnostics.urls")),
    path("msmes/", include("aldea.enterprises.urls")),
    path("partners/", include("aldea.partners.urls")),
    path("data/", include("aldea.interop.urls")),
    # Public pages, no login: village showcases and certificate verification.
    path("", include("aldea.showcase.urls")),
]
