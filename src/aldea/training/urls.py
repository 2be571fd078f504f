from django.urls import path

from aldea.training import planning, views

app_name = "training"

urlpatterns = [
    path("", views.courses, name="courses"),
    path("course/new/", planning.course_new, name="course_new"),
    path("course/<slug:programme>/<slug:code>/edit/", planning.course_edit, name="course_edit"),
    path("cohort/new/", planning.cohort_new, name="cohort_new"),
    path("cohort/<slug:code>/", views.cohort, name="cohort"),
    path("cohort/<slug:code>/edit/", planning.cohort_edit, name="cohort_edit"),
    path("cohort/<slug:code>/sessions/", planning.cohort_sessions, name="sessions"),
    path("cohort/<slug:code>/sessions/generate/", planning.generate_sessions, name="generate_sessions"),
    path("cohort/<slug:code>/sessions/add/", planning.add_session, name="add_session"),
    path("cohort/<slug:code>/session/<int:number>/change/", planning.change_session, name="change_session"),
    path("cohort/<slug:code>/session/<int:number>/remove/", planning.remove_session, name="remove_session"),
    path("cohort/<slug:code>/participants/", planning.participants, name="participants"),
    path("cohort/<slug:code>/participants/enrol/", planning.enrol, name="enrol"),
    path("cohort/<slug:code>/participants/move/", planning.move, name="move"),
    path("cohort/<slug:code>/participants/withdraw/", planning.change_participation, {"action": "withdraw"},
         name="withdraw"),
    path("cohort/<slug:code>/participants/reinstate/", planning.change_participation, {"action": "reinstate"},
         name="reinstate"),
    path("cohort/<slug:code>/assessments/", views.enter_assessment, name="enter_assessment"),
    path("cohort/<slug:code>/certify/", views.issue_certificate, name="issue_certificate"),
    path("cohort/<slug:code>/session/<int:number>/attendance/", views.session_attendance, name="attendance"),
    path("cohort/<slug:code>/session/<int:number>/attendance/all-present/", planning.mark_everyone_present,
         name="mark_everyone_present"),
    path("certificate/<str:code>.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("certificate/<str:code>/revoke/", views.revoke_certificate, name="revoke_certificate"),
]
