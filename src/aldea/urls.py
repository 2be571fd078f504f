from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from aldea.core.api import unknown_endpoint
from aldea.core.views import healthz
from aldea.workspace.views.home import home

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/", include("aldea.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
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
