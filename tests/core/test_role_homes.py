"""Each role lands on its own home page, and sees the navigation its work needs."""

import pytest
from django.urls import reverse

from aldea.workspace.navigation import nav_items_for

HOMES = {
    "manager": "workspace:overview",
    "analyst": "workspace:overview",
    "partner": "workspace:overview",
    "trainer": "training:courses",
    "consultant": "consulting:todo",
    "msme_owner": "workspace:mine",
}


@pytest.mark.parametrize(("role", "home"), HOMES.items())
def test_each_role_lands_on_its_own_home(role, home, world, client):
    client.force_login(getattr(world, role))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse(home)


def test_an_account_without_a_role_is_told_to_ask_for_one(client, django_user_model, db):
    client.force_login(django_user_model.objects.create_user("nobody", password="x" * 12))
    response = client.get("/")
    assert response.status_code == 200 and b"no role in a programme" in response.content


def test_navigation_follows_the_role(world):
    labels = {role: {str(i["label"]) for i in nav_items_for(getattr(world, role))} for role in HOMES}
    assert "Consultancy" in labels["consultant"] and "Partners" not in labels["consultant"]
    assert labels["msme_owner"] == {"My page", "MSMEs"}
    assert {"Overview", "Territory", "Partners", "Data"} <= labels["manager"]
    assert "Administration" not in labels["manager"]
