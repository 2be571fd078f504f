"""The API reassigns engagements and drops them with coded reasons through the consulting
services, and refuses stage jumps that would count a graduation as a first online sale."""

import pytest

from aldea.accounts.models import Role
from aldea.consulting.models import ConsultantChange, StageChange
from aldea.enterprises.models import Enterprise
from aldea.workspace.figures.overview import msme_progress
from tests import factories as f
from tests.conftest import make_persona


@pytest.fixture
def engagement(world):
    return f.EngagementFactory(enterprise=world.village_msme, consultant=world.consultant.person)


@pytest.fixture
def colleague(world):
    return make_persona(Role.CONSULTANT, world.programme, village=world.village, username="colleague")


def test_a_manager_reassigns_through_a_patch_and_the_history_stays(world, engagement, colleague, api_client_for):
    api_client_for(world.consultant).patch(f"/api/engagements/{engagement.pk}/", {"stage": "action_plan"}, format="json")

    response = api_client_for(world.manager).patch(
        f"/api/engagements/{engagement.pk}/", {"consultant": colleague.person.pk}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["consultant"] == colleague.person.pk
    engagement.refresh_from_db()
    assert engagement.consultant == colleague.person and engagement.stage == "action_plan"
    assert StageChange.objects.filter(engagement=engagement).count() == 1
    change = ConsultantChange.objects.get()
    assert (change.from_consultant, change.to_consultant, change.changed_by) == (
        world.consultant.person, colleague.person, world.manager,
    )


def test_a_consultant_may_not_reassign_another_consultants_engagement(world, colleague, api_client_for):
    theirs = f.EngagementFactory(enterprise=world.village_msme, consultant=colleague.person)

    response = api_client_for(world.consultant).patch(
        f"/api/engagements/{theirs.pk}/", {"consultant": world.consultant.person.pk}, format="json"
    )

    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.consultant == colleague.person and not ConsultantChange.objects.exists()


def test_a_patch_to_a_consultant_of_another_village_is_refused_by_field(world, engagement, api_client_for):
    elsewhere = make_persona(Role.CONSULTANT, world.programme, village=world.second_village, username="elsewhere")
    response = api_client_for(world.manager).patch(
        f"/api/engagements/{engagement.pk}/", {"consultant": elsewhere.person.pk}, format="json"
    )
    assert response.status_code == 400
    assert "is a consultant of another village" in response.json()["consultant"][0]


def test_a_drop_takes_a_coded_reason_and_other_needs_words(world, engagement, api_client_for):
    client = api_client_for(world.consultant)
    url = f"/api/engagements/{engagement.pk}/"

    unknown = client.patch(url, {"stage": "dropped", "drop_reason_code": "bored"}, format="json")
    wordless = client.patch(url, {"stage": "dropped", "drop_reason_code": "other"}, format="json")
    coded = client.patch(url, {"stage": "dropped", "drop_reason_code": "moved_away"}, format="json")

    assert unknown.status_code == 400 and "drop_reason_code" in unknown.json()
    assert wordless.status_code == 400
    assert wordless.json()["drop_reason"] == ["Describe the reason when it is «Other reason»."]
    assert coded.status_code == 200, coded.content
    assert coded.json()["drop_reason_code"] == "moved_away"


def test_a_patch_from_diagnosed_to_graduated_is_refused_and_counts_no_first_sale(world, engagement, api_client_for):
    response = api_client_for(world.manager).patch(
        f"/api/engagements/{engagement.pk}/", {"stage": "graduated"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["non_field_errors"] == [
        "An engagement at «Diagnosed» cannot move to «Graduated»; it may move to «Action plan», «Dropped»."
    ]
    engagement.refresh_from_db()
    assert engagement.stage == "diagnosed"
    assert msme_progress(Enterprise.objects.filter(pk=world.village_msme.pk))["first_sale"] == 0


def test_graduating_the_allowed_way_passes_through_first_sale_once(world, engagement, api_client_for):
    client = api_client_for(world.consultant)
    for stage in ("action_plan", "listing", "first_sale", "graduated"):
        assert client.patch(f"/api/engagements/{engagement.pk}/", {"stage": stage}, format="json").status_code == 200
    assert msme_progress(Enterprise.objects.filter(pk=world.village_msme.pk))["first_sale"] == 1
    assert StageChange.objects.filter(engagement=engagement, to_stage="first_sale").count() == 1
