"""Pages that combine several apps: each keeps the address of the area it shows."""

from django.urls import path, re_path

from aldea.workspace.views import (
    budget,
    mine,
    msme_entry,
    msmes,
    overview,
    people,
    reports,
    setup,
    territory,
    trail,
    villages,
)

app_name = "workspace"
#: The budget register's entries besides its lines (``budget.REGISTERS``).
BUDGET_REGISTERS = "(?P<kind>disbursements|transactions)"

urlpatterns = [
    path("programme/", overview.overview, name="overview"),
    path("programme/new/", setup.programme_new, name="programme_new"),
    path("programme/<slug:slug>/targets/", setup.targets, name="targets"),
    path("programme/<slug:slug>/budget/", budget.budget, name="budget"),
    path("programme/<slug:slug>/budget/<int:pk>/", budget.budget_line, name="budget_line"),
    path("programme/<slug:slug>/budget/<int:pk>/delete/", budget.budget_line_delete, name="budget_line_delete"),
    re_path(rf"^programme/(?P<slug>[-\w]+)/budget/{BUDGET_REGISTERS}/new/$", budget.register_new,
            name="budget_register_new"),
    re_path(rf"^programme/(?P<slug>[-\w]+)/budget/{BUDGET_REGISTERS}/(?P<pk>[0-9]+)/$", budget.register_entry,
            name="budget_register_entry"),
    re_path(rf"^programme/(?P<slug>[-\w]+)/budget/{BUDGET_REGISTERS}/(?P<pk>[0-9]+)/delete/$",
            budget.register_delete, name="budget_register_delete"),
    path("programme/<slug:slug>/villages/new/", setup.village_new, name="village_new"),
    path("programme/<slug:slug>/municipalities/", setup.municipality_search, name="municipality_search"),
    path("programme/people/", people.people_home, name="people_home"),
    path("programme/<slug:slug>/people/", people.people, name="people"),
    path("programme/<slug:slug>/people/invite/", people.people_invite, name="people_invite"),
    path("programme/<slug:slug>/people/<int:pk>/end/", people.membership_end, name="membership_end"),
    path("programme/<slug:slug>/people/<int:pk>/role/", people.membership_role, name="membership_role"),
    path("programme/<slug:slug>/invitations/<int:pk>/withdraw/", people.invitation_revoke, name="invitation_revoke"),
    path("programme/equity/compute/", overview.compute_equity, name="compute_equity"),
    path("programme/report/", reports.request_report, name="request_report"),
    path("programme/report/<int:pk>/", reports.report_status, name="report_status"),
    path("programme/report/<int:pk>/pdf/", reports.report_download, name="report_download"),
    path("programme/trail/", trail.trail, name="trail"),
    path("programme/villages/", villages.villages, name="villages"),
    path("programme/village/<slug:slug>/", villages.village, name="village"),
    path("programme/village/<slug:slug>/status/", villages.village_status, name="village_status"),
    path("territory/", territory.explorer, name="explorer"),
    path("territory/municipality/<str:code>/card/", territory.municipality_card, name="municipality_card"),
    path("territory/propose/", territory.propose, name="propose_village"),
    path("me/", mine.my_page, name="mine"),
    path("msmes/", msmes.msme_list, name="msmes"),
    path("msmes/new/", msme_entry.msme_register, name="msme_register"),
    path("msmes/<slug:code>/", msmes.msme_detail, name="msme"),
    path("msmes/<slug:code>/listings/", msme_entry.listing_form, name="listing_form"),
    path("msmes/<slug:code>/results/", msme_entry.outcome_entry, name="outcome_entry"),
]
