import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aldea.consulting.models import ActionItem, Meeting
from tests import factories as f


def url(engagement, suffix=""):
    return f"/consultancy/engagement/{engagement.pk}/{suffix}"


def test_anonymous_is_sent_to_login(client, engagement):
    response = client.get(url(engagement))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ["manager", "trainer", "consultant", "analyst", "staff"])
def test_roles_in_scope_open_the_engagement(role, login, world, engagement):
    assert login(getattr(world, role)).get(url(engagement)).status_code == 200


def test_out_of_scope_is_404(login, world, engagement, other_engagement):
    assert login(world.outsider).get(url(engagement)).status_code == 404
    assert login(world.consultant).get(url(other_engagement)).status_code == 404
    assert login(world.msme_owner).get(url(engagement)).status_code == 404  # not their MSME


def test_page_shows_history_meetings_actions_and_diagnostics(login, world, engagement):
    f.StageChangeFactory(engagement=engagement, reason="Plan acordado")
    f.MeetingFactory(engagement=engagement, notes="Fotos de productos")
    f.ActionItemFactory(engagement=engagement, title="Abrir cuenta en Mercado Libre")
    assessment = f.AssessmentFactory(enterprise=engagement.enterprise, level="novato")
    f.AssessmentFactory(enterprise=world.second_village_msme)  # another MSME's diagnostic
    response = login(world.consultant).get(url(engagement))
    html = response.content.decode()
    assert "Plan acordado" in html and "Fotos de productos" in html and "Abrir cuenta en Mercado Libre" in html
    assert list(response.context["assessments"]) == [assessment]
    assert f"/diagnostics/msme/{engagement.enterprise.code}/assessment/{assessment.pk}/" in html


def test_consultant_adds_a_meeting(login, world, engagement):
    response = login(world.consultant).post(url(engagement, "meetings/"), {
        "held_on": "2024-03-05", "mode": "remote", "duration_minutes": "45", "notes": "Revisión de fotos",
    })
    assert response.status_code == 302
    meeting = Meeting.objects.get(engagement=engagement)
    assert (meeting.held_on, meeting.mode, meeting.duration_minutes) == (datetime.date(2024, 3, 5), "remote", 45)


def test_a_bad_meeting_shows_errors_and_saves_nothing(login, world, engagement):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = login(world.consultant).post(url(engagement, "meetings/"), {
        "held_on": tomorrow.isoformat(), "mode": "by-pigeon", "duration_minutes": "0",
    })
    assert response.status_code == 400
    errors = response.context["meeting_form"].errors
    assert {"held_on", "mode", "duration_minutes"} <= set(errors)
    assert not Meeting.objects.exists()


def test_consultant_adds_and_completes_an_action_item(login, world, engagement):
    client = login(world.consultant)
    assert client.post(url(engagement, "actions/"), {"title": "Tomar fotos", "due_on": "2024-04-01"}).status_code == 302
    item = ActionItem.objects.get(engagement=engagement)
    assert client.post(url(engagement, "actions/done/"), {"item": item.pk}).status_code == 302
    item.refresh_from_db()
    assert item.status == "done" and item.completed_on == timezone.localdate()


def test_an_action_item_needs_a_title_and_a_date(login, world, engagement):
    response = login(world.consultant).post(url(engagement, "actions/"), {"title": "", "due_on": "mañana"})
    assert response.status_code == 400
    assert {"title", "due_on"} <= set(response.context["action_form"].errors)
    assert not ActionItem.objects.exists()


def test_another_engagements_item_cannot_be_completed_here(login, world, engagement):
    other = f.ActionItemFactory(engagement=f.EngagementFactory(enterprise=world.village_msme, consultant=world.consultant.person))
    assert login(world.consultant).post(url(engagement, "actions/done/"), {"item": other.pk}).status_code == 404


@pytest.mark.parametrize("role", ["trainer", "analyst"])
def test_read_only_roles_cannot_write(role, login, world, engagement):
    item = f.ActionItemFactory(engagement=engagement)
    client = login(getattr(world, role))
    assert client.post(url(engagement, "meetings/"), {"held_on": "2024-03-05", "mode": "remote", "duration_minutes": "45"}).status_code == 403
    assert client.post(url(engagement, "actions/"), {"title": "x", "due_on": "2024-04-01"}).status_code == 403
    assert client.post(url(engagement, "actions/done/"), {"item": item.pk}).status_code == 403
    assert not Meeting.objects.exists() and ActionItem.objects.get().status == "open"
    assert "Record a meeting" not in client.get(url(engagement)).content.decode()


def test_moving_from_the_engagement_page(login, world, engagement):
    client = login(world.consultant)
    response = client.post(url(engagement, "move/"), {"from": "engagement", f"move-{engagement.pk}-to_stage": "dropped"})
    assert response.status_code == 400
    assert response.context["move_form"].errors["drop_reason_code"]
    response = client.post(url(engagement, "move/"), {"from": "engagement", f"move-{engagement.pk}-to_stage": "action_plan"})
    assert response.status_code == 302 and response["Location"] == url(engagement)


def _queries(client, engagement):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url(engagement)).status_code == 200
    return len(context.captured_queries)


def test_query_count_does_not_grow_with_the_data(login, world, engagement):
    client = login(world.consultant)
    f.StageChangeFactory(engagement=engagement)
    small = _queries(client, engagement)
    for _ in range(15):
        f.StageChangeFactory(engagement=engagement, changed_by=world.consultant)
        f.MeetingFactory(engagement=engagement)
        f.ActionItemFactory(engagement=engagement)
        f.AssessmentFactory(enterprise=engagement.enterprise, assessor=world.consultant.person)
    large = _queries(client, engagement)
    assert small == large <= 15


def test_a_meeting_sent_again_with_its_key_is_recorded_once(login, world, engagement):
    # A phone that lost the answer sends the queued meeting again (aldea.ops.idempotency).
    client = login(world.consultant)
    data = {"held_on": "2024-03-05", "mode": "remote", "duration_minutes": "45", "notes": "Sin señal",
            "idempotency_key": "5b0e7a52-8f1c-4c55-9d7e-2f6a7f0b9e11"}
    first, again = client.post(url(engagement, "meetings/"), data), client.post(url(engagement, "meetings/"), data)
    assert (first.status_code, again.status_code) == (302, 302) and first["Location"] == again["Location"]
    assert Meeting.objects.filter(engagement=engagement).count() == 1
