from django.urls import path

from aldea.partners import views

app_name = "partners"

urlpatterns = [
    path("", views.partner_list, name="list"),
    path("agreements/new/", views.agreement_add, name="agreement_add"),
    path("agreements/<slug:code>/edit/", views.agreement_edit, name="agreement_edit"),
    path("organisations/new/", views.organisation_add, name="organisation_add"),
    path("<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path("<slug:slug>/villages/new/", views.village_role_add, name="village_role_add"),
    path("<slug:slug>/", views.organisation_detail, name="organisation"),
]
