from django.urls import path

from aldea.partners import views

app_name = "partners"

urlpatterns = [
    path("", views.partner_list, name="list"),
    path("agreements/new/", views.agreement_add, name="agreement_add"),
    path("<slug:slug>/", views.organisation_detail, name="organisation"),
]
