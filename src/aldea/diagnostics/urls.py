from django.urls import path

from aldea.diagnostics import views

app_name = "diagnostics"

urlpatterns = [
    path("msme/<slug:code>/new/", views.new, name="new"),
    # Assessments have no public code; their integer key is the identifier, under the MSME's code.
    path("msme/<slug:code>/assessment/<int:pk>/", views.assessment, name="assessment"),
]
