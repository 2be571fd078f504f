"""The MSME list: who sees which MSMEs, the filters, pagination and the query budget."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aldea.consulting.models import Stage
from tests import factories as f
from tests.web.enterprises.conftest import grow

URL = "/msmes/"


def codes_on(response):
    return {e.code for e in response.context["page"].object_list}


def test_list_url_name_resolves():
    assert reverse("workspace:msmes") == URL


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", ["manager", "analyst", "partner", "trainer", "consultant", "outsider", "staff"])
def test_roles_in_a_programme_open_the_list(name, personas, login):
    assert login(personas[name]).get(URL).status_code == 200


def test_owner_of_one_msme_lands_on_its_profile(world, login):
    response = login(world.msme_owner).get(URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:msme", kwargs={"code": "owned"})


def test_owner_of_two_msmes_sees_both_and_nothing_else(world, login):
    f.EnterpriseFactory(village=world.village, code="owned-too", owner=world.msme_owner.person)
    response = login(world.msme_owner).get(URL)
    assert response.status_code == 200
    assert codes_on(response) == {"owned", "owned-too"}


def test_consultant_sees_only_their_villages_msmes(world, login):
    response = login(world.consultant).get(URL)
    assert codes_on(response) == {"owned", "village-msme"}


def test_outsider_sees_none_of_the_programmes_msmes(world, login):
    response = login(world.outsider).get(URL)
    assert codes_on(response) == {"other-msme"}


def test_manager_sees_the_whole_programme(world, login):
    response = login(world.manager).get(URL)
    assert codes_on(response) == {"owned", "village-msme", "second-village-msme"}


def test_filters_by_village_sector_women_led_and_name(world, login):
    f.EnterpriseFactory(village=world.village, code="weavers", name="Tejedoras del Valle", sector="crafts",
                        is_women_led=True)
    client = login(world.manager)
    assert codes_on(client.get(URL, {"village": world.second_village.slug})) == {"second-village-msme"}
    assert codes_on(client.get(URL, {"sector": "crafts"})) == {"weavers"}
    assert codes_on(client.get(URL, {"women_led": "yes"})) == {"weavers"}
    assert "weavers" not in codes_on(client.get(URL, {"women_led": "no"}))
    assert codes_on(client.get(URL, {"q": "tejedoras"})) == {"weavers"}


def test_filters_by_the_latest_engagement_stage(world, login):
    f.EngagementFactory(enterprise=world.owned_msme, stage=Stage.DIAGNOSED, started_on="2024-01-01")
    f.EngagementFactory(enterprise=world.owned_msme, stage=Stage.LISTING, started_on="2024-05-01")
    client = login(world.manager)
    assert codes_on(client.get(URL, {"stage": "listing"})) == {"owned"}
    assert codes_on(client.get(URL, {"stage": "diagnosed"})) == set()
    assert codes_on(client.get(URL, {"stage": "none"})) == {"village-msme", "second-village-msme"}


def test_a_village_out_of_scope_is_not_a_filter_choice(world, login):
    response = login(world.consultant).get(URL, {"village": world.other_village.slug})
    assert response.status_code == 200
    assert "village" in response.context["form"].errors
    assert f'<option value="{world.other_village.slug}"' not in response.content.decode()


def test_htmx_request_gets_only_the_results(world, login):
    response = login(world.manager).get(URL, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"village-msme" in response.content


def test_list_is_paginated(world, login):
    for _ in range(30):
        f.EnterpriseFactory(village=world.village)
    client = login(world.manager)
    first = client.get(URL)
    assert len(first.context["page"].object_list) == 25
    second = client.get(URL, {"page": 2})
    assert len(second.context["page"].object_list) == 33 - 25


def _queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, {"sector": "textiles"})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["manager", "consultant", "partner"])
def test_query_count_does_not_grow_with_the_data(name, world, personas, login):
    client = login(personas[name])
    grow(world, 2)
    small = _queries(client)
    grow(world, 6)
    large = _queries(client)
    assert small == large <= 15


@pytest.fixture
def comparison_msme(world):
    return f.EnterpriseFactory(
        village=None, programme=world.programme, municipality=world.village.municipality,
        code="comparison-msme", group="comparison",
    )


def test_the_working_list_leaves_the_comparison_group_out(world, login, comparison_msme):
    client = login(world.manager)
    assert "comparison-msme" not in codes_on(client.get(URL))
    # Other filters or a later page keep it out too.
    assert "comparison-msme" not in codes_on(client.get(URL, {"q": "MIPYME", "page": "1"}))
    assert "village-msme" in codes_on(client.get(URL))


def test_the_comparison_group_is_one_choice_away(world, login, comparison_msme):
    client = login(world.manager)
    assert codes_on(client.get(URL, {"group": "comparison"})) == {"comparison-msme"}
    both = codes_on(client.get(URL, {"group": "all"}))
    assert {"comparison-msme", "village-msme"} <= both
    # An unknown choice is ignored, and the working list is what remains.
    assert "comparison-msme" not in codes_on(client.get(URL, {"group": "everything"}))


def test_a_manager_of_another_programme_never_sees_the_comparison_group(world, login, comparison_msme):
    assert "comparison-msme" not in codes_on(login(world.outsider).get(URL, {"group": "all"}))
