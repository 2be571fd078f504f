"""Every programme record is reachable, searchable and filterable in the Django admin, and no
admin form edits a field that has a rule or a history: those change through the services."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from aldea.accounts.models import Invitation
from aldea.consulting.models import ActionItem, ConsultantChange, Engagement, StageChange
from aldea.diagnostics.models import Answer, Assessment
from aldea.enterprises.models import ProductPhoto
from aldea.interop.models import ChannelOrderLine, UploadJob
from aldea.ops.models import AuditEntry, ProcessedWrite
from aldea.outcomes.models import Listing
from aldea.partners.models import Agreement
from aldea.programmes.models import BudgetLine, EquityReport, Programme, VillageStatusChange
from aldea.territories.models import AdministrativeArea, ClusterClassification
from aldea.training.models import AssessmentResult, Attendance, Certificate, Course, Enrolment
from aldea.workspace.models import OverviewSnapshot

pytestmark = pytest.mark.django_db

ALDEA_MODELS = [model for model in admin.site._registry if model.__module__.startswith("aldea.")]

# Field names that hold a lifecycle state, a derived figure or who/when of a record.
GUARDED_NAMES = {
    "status", "stage", "from_status", "to_status", "from_stage", "to_stage", "launched_on", "closed_on",
    "drop_reason", "revoked_at", "revocation_reason", "issued_on", "issued_by", "recorded_by", "recorded_at",
    "changed_at", "changed_by", "score", "level", "dimension_scores",
}
# Fields of that kind that the admin changes, and why that is sound.
EDITABLE_ON_PURPOSE = {
    (Programme, "status"): "no lifecycle service or history exists for programmes yet",
    (Agreement, "status"): "no service yet; the agreements work derives it from the dates",
    (Listing, "status"): "no lifecycle service or history exists for listings yet",
    (ActionItem, "status"): "a task's own status; its database constraint needs the completion date",
    (ChannelOrderLine, "status"): "the channel's order status as imported (interop's area)",
    (AssessmentResult, "score"): "the score as the trainer entered it; its only rule is its range",
    (Course, "level"): "the course's level in the cascade, a plain property of the course",
    (AdministrativeArea, "level"): "the area's place in the country's administrative hierarchy",
    (Attendance, "status"): "the admin saves it through services.record_attendance",
    (BudgetLine, "status"): "IATI's budget status (indicative or committed) as the programme states it",
}
# Fields set by a service although their names say nothing of it.
GUARDED_FIELDS = {
    Certificate: {"code", "enrolment"},
    Enrolment: {"cohort", "person"},
    Attendance: {"session", "enrolment"},
    Engagement: {"enterprise", "consultant"},
}
# History and computed rows: shown, never added, changed or deleted in the admin.
VIEW_ONLY = {VillageStatusChange, StageChange, ConsultantChange, Answer, EquityReport, ClusterClassification,
             AuditEntry, UploadJob, Invitation, ProductPhoto, ProcessedWrite, OverviewSnapshot}
# Rows the admin never adds because a service makes them (certificates come from the enrolments'
# "Issue certificates" action, assessments from the scored diagnostic).
NOT_ADDED = VIEW_ONLY | {Certificate, Assessment}


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.org", "pw-for-tests-only")


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def superuser_request(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    return request


def test_every_aldea_model_is_registered_in_the_admin():
    from django.apps import apps

    aldea_models = {m for m in apps.get_models() if m.__module__.startswith("aldea.")}
    assert aldea_models - set(ALDEA_MODELS) == set()


@pytest.mark.parametrize("model", ALDEA_MODELS, ids=lambda m: f"{m._meta.app_label}.{m._meta.model_name}")
def test_changelist_search_and_add_form_load(superuser_client, model):
    model_admin = admin.site._registry[model]
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    query = "?q=oaxaca" if model_admin.search_fields else ""
    assert superuser_client.get(url + query).status_code == 200
    add_url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    # Rows that only a service makes have no add form.
    assert superuser_client.get(add_url).status_code == (403 if model in NOT_ADDED else 200)


def test_admin_requires_login(client):
    response = client.get(reverse("admin:enterprises_enterprise_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def _editable_fields(model_admin, request, obj) -> set[str]:
    """The fields the admin's form and inline formsets let a superuser write for ``obj`` (None: the add form)."""
    may_write = model_admin.has_add_permission(request) if obj is None else model_admin.has_change_permission(request, obj)
    editable = set(model_admin.get_form(request, obj, change=obj is not None).base_fields) if may_write else set()
    for inline in model_admin.get_inline_instances(request, obj):
        if inline.has_change_permission(request, obj) or inline.has_add_permission(request, obj):
            form = inline.get_formset(request, obj).form
            editable |= {f"{inline.model.__name__}.{name}" for name in form.base_fields}
    return editable


def _is_leak(model, name: str, *, adding: bool) -> bool:
    """Whether the admin may not let ``name`` (``Inline.field`` for an inline's) be written."""
    inline_model_name, _dot, field_name = name.rpartition(".")
    owner = next((m for m in ALDEA_MODELS if m.__name__ == inline_model_name), model)
    if inline_model_name and owner in VIEW_ONLY:
        return True
    if (owner, field_name) in EDITABLE_ON_PURPOSE:
        return False
    if field_name in GUARDED_FIELDS.get(owner, set()):
        return not adding  # chosen when the service creates the row, fixed afterwards
    return field_name in GUARDED_NAMES


@pytest.mark.parametrize("model", ALDEA_MODELS, ids=lambda m: f"{m._meta.app_label}.{m._meta.model_name}")
def test_no_admin_form_edits_a_status_stage_or_history_field(superuser_request, model):
    model_admin = admin.site._registry[model]
    for obj in (model(), None):  # the change form of a row, then the add form
        editable = _editable_fields(model_admin, superuser_request, obj)
        if model in VIEW_ONLY:
            assert editable == set(), f"{model.__name__} is history: nothing may be edited"
            continue
        leaks = {name for name in editable if _is_leak(model, name, adding=obj is None)}
        assert leaks == set(), f"{model.__name__} {'add' if obj is None else 'change'} form edits {sorted(leaks)}"
