from django.urls import path

from aldea.interop import enrolment_views, views

app_name = "interop"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("commit/", views.commit, name="commit"),
    path("jobs/<slug:public_id>/", views.job, name="job"),
    path("enrolments/<slug:code>/", enrolment_views.enrol_list, name="enrol_list"),
    path("enrolments/<slug:code>/commit/", enrolment_views.enrol_commit, name="enrol_commit"),
    path("download/<slug:kind>.<slug:format>", views.download, name="download"),
]
