from django.urls import path

from aldea.interop import views

app_name = "interop"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("commit/", views.commit, name="commit"),
    path("jobs/<slug:public_id>/", views.job, name="job"),
    path("download/<slug:kind>.<slug:format>", views.download, name="download"),
]
