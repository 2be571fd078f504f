from django.urls import path

from aldea.training import views

app_name = "training"

urlpatterns = [
    path("", views.courses, name="courses"),
    path("cohort/<slug:code>/", views.cohort, name="cohort"),
    path("cohort/<slug:code>/assessments/", views.enter_assessment, name="enter_assessment"),
    path("cohort/<slug:code>/certify/", views.issue_certificate, name="issue_certificate"),
    path("cohort/<slug:code>/session/<int:number>/attendance/", views.session_attendance, name="attendance"),
    path("certificate/<str:code>.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("certificate/<str:code>/revoke/", views.revoke_certificate, name="revoke_certificate"),
]
