from django.urls import path

from aldea.programmes import views

app_name = "programmes"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("equity/compute/", views.compute_equity, name="compute_equity"),
    path("villages/", views.villages, name="villages"),
    path("village/<slug:slug>/", views.village, name="village"),
    path("village/<slug:slug>/status/", views.village_status, name="village_status"),
]
