"""A consultant's to-do: engagements due a meeting and open action items, tap to complete."""

import datetime

import pytest
from django.utils import timezone

from aldea.accounts.models import Role
from aldea.consulting.models import ActionItem
from tests import factories as f
from tests.conftest import make_persona

URL = "/consultancy/mine/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def today():
    return timezone.localdate()


def test_a_consultant_lands_on_their_to_do(login, world):
    assert login(world.consultant).get("/")["Location"] == URL


def test_engagements_without_a_recent_meeting_are_due(login, world, engagement, today):
    met = f.EngagementFactory(enterprise=f.EnterpriseFactory(village=world.village), consultant=world.consultant.person)
    f.MeetingFactory(engagement=met, held_on=today - datetime.timedelta(days=3))
    stale = f.EngagementFactory(enterprise=f.EnterpriseFactory(village=world.village), consultant=world.consultant.person)
    f.MeetingFactory(engagement=stale, held_on=today - datetime.timedelta(days=40))
    f.EngagementFactory(enterprise=f.EnterpriseFactory(village=world.village), consultant=world.consultant.person,
                        stage="graduated")
    someone_elses = f.EngagementFactory(enterprise=f.EnterpriseFactory(village=world.village),
                                        consultant=make_persona(Role.CONSULTANT, world.programme).person)

    response = login(world.consultant).get(URL)

    assert response.status_code == 200
    assert response.context["due"] == [engagement, stale]  # never met first, then the oldest meeting
    assert someone_elses not in response.context["due"]


def test_open_action_items_soonest_first_and_tap_to_complete(login, world, engagement, today):
    later = f.ActionItemFactory(engagement=engagement, due_on=today + datetime.timedelta(days=9), title="Later")
    sooner = f.ActionItemFactory(engagement=engagement, due_on=today - datetime.timedelta(days=1), title="Sooner")
    f.ActionItemFactory(engagement=engagement, status="done", completed_on=today, title="Done already")
    client = login(world.consultant)

    assert client.get(URL).context["action_items"] == [sooner, later]
    response = client.post(f"{URL}actions/{sooner.pk}/done/", **HTMX)

    assert response.status_code == 200 and f'id="action-{sooner.pk}"' in response.content.decode()
    sooner.refresh_from_db()
    assert (sooner.status, sooner.completed_on) == ("done", today)
    assert client.get(URL).context["action_items"] == [later]
    plain = client.post(f"{URL}actions/{later.pk}/done/")
    assert plain.status_code == 302 and plain["Location"] == URL


def test_others_cannot_complete_the_consultants_items(login, world, engagement):
    item = f.ActionItemFactory(engagement=engagement)
    assert login(world.trainer).post(f"{URL}actions/{item.pk}/done/").status_code == 403
    assert login(world.outsider).post(f"{URL}actions/{item.pk}/done/").status_code == 404
    other_manager = make_persona(Role.MANAGER, world.other, username="other-manager")
    assert login(other_manager).post(f"{URL}actions/{item.pk}/done/").status_code == 404
    assert ActionItem.objects.get().status == "open"


def test_the_to_do_is_empty_for_someone_who_serves_nobody(login, world):
    response = login(world.manager).get(URL)
    assert response.status_code == 200 and response.context["due"] == [] and response.context["action_items"] == []
