"""Every programme record is reachable, searchable and filterable in the Django admin."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

ALDEA_MODELS = [model for model in admin.site._registry if model.__module__.startswith("aldea.")]


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.org", "pw-for-tests-only")
    client.force_login(user)
    return client


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
    assert superuser_client.get(add_url).status_code == 200


def test_admin_requires_login(client):
    response = client.get(reverse("admin:enterprises_enterprise_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
