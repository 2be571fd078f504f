"""The programme's audit trail page: a manager reads their own programmes' trail, filtered and
paginated; nobody else reads it."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from aldea.accounts.models import Role
from aldea.enterprises.models import Enterprise
from aldea.ops import audit
from aldea.ops.models import AuditEntry
from aldea.workspace.views.trail import ENTRIES_PER_PAGE
from tests import factories as f
from tests.conftest import make_persona

TRAIL = reverse("workspace:trail")


def rename(instance, name, *, actor):
    with audit.acting(door=audit.Door.PAGE, actor=actor):
        instance.name = name
        instance.save()


@pytest.fixture
def changes(world):
    other_manager = make_persona(Role.MANAGER, world.other, username="other-manager")
    rename(world.village_msme, "Cambio en main", actor=world.manager)
    rename(world.other_msme, "Cambio en other", actor=other_manager)
    return other_manager


def reprs(response):
    return {entry.object_repr for entry in response.context["page"].object_list}


def test_the_trail_needs_a_login(client, db):
    response = client.get(TRAIL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["analyst", "partner", "trainer", "consultant", "msme_owner", "outsider"])
def test_only_managers_open_the_trail(world, login, name):
    assert login(getattr(world, name)).get(TRAIL).status_code == 404


def test_a_manager_sees_their_programmes_changes_and_not_the_other_programmes(world, login, changes):
    response = login(world.manager).get(TRAIL)
    assert response.status_code == 200
    assert "Cambio en main" in reprs(response) and "Cambio en other" not in reprs(response)
    entry = next(e for e in response.context["page"].object_list if e.object_repr == "Cambio en main")
    assert entry.changes_dict["name"][1] == "Cambio en main"
    assert "Cambio en main" in response.content.decode()


def test_the_other_programmes_manager_never_sees_the_first_programme(world, login, changes):
    response = login(changes).get(TRAIL)
    assert "Cambio en other" in reprs(response) and "Cambio en main" not in reprs(response)
    assert login(changes).get(TRAIL, {"programme": world.programme.pk}).status_code == 400


def test_a_person_with_roles_in_two_programmes_sees_only_where_they_manage(world, login, changes):
    # Manager in main, consultant in other: the other programme's trail stays closed.
    f.MembershipFactory(person=world.manager.person, role=Role.CONSULTANT, programme=world.other)
    response = login(world.manager).get(TRAIL)
    assert "Cambio en main" in reprs(response) and "Cambio en other" not in reprs(response)
    # Manager in both: both trails, and the programme filter narrows to one.
    f.MembershipFactory(person=world.manager.person, role=Role.MANAGER, programme=world.other)
    client = login(world.manager)
    assert {"Cambio en main", "Cambio en other"} <= reprs(client.get(TRAIL))
    only_other = client.get(TRAIL, {"programme": world.other.pk})
    assert "Cambio en other" in reprs(only_other) and "Cambio en main" not in reprs(only_other)


def test_filters_by_kind_user_and_dates(world, login, changes):
    rename(world.village, "Pueblo renombrado", actor=world.staff)
    client = login(world.manager)
    enterprise_type = ContentType.objects.get_for_model(Enterprise).pk
    assert "Pueblo renombrado" not in reprs(client.get(TRAIL, {"kind": enterprise_type}))
    by_staff = reprs(client.get(TRAIL, {"actor": world.staff.pk}))
    assert by_staff == {"Pueblo renombrado"}
    systems = reprs(client.get(TRAIL, {"actor": 0}))  # the factories' creations, outside a request
    assert "Pueblo renombrado" not in systems and "Cambio en main" not in systems and systems
    today = timezone.localdate()
    assert reprs(client.get(TRAIL, {"until": str(today - datetime.timedelta(days=1))})) == set()
    assert "Cambio en main" in reprs(client.get(TRAIL, {"since": str(today), "until": str(today)}))


def test_a_backwards_date_range_is_refused_with_a_message(world, login, changes):
    response = login(world.manager).get(TRAIL, {"since": "2026-05-02", "until": "2026-05-01"})
    assert response.status_code == 400
    assert "The end date is before the start date." in response.content.decode()


def test_the_trail_is_paginated_and_htmx_gets_the_entries_only(world, login):
    for n in range(ENTRIES_PER_PAGE + 5):
        rename(world.village_msme, f"Nombre {n}", actor=world.manager)
    client = login(world.manager)
    first = client.get(TRAIL)
    assert len(first.context["page"].object_list) == ENTRIES_PER_PAGE and first.context["page"].has_next()
    second = client.get(TRAIL, {"page": 2}, HTTP_HX_REQUEST="true")
    assert second.status_code == 200 and b"<h1>" not in second.content
    assert "Nombre 0" in reprs(second)


def test_the_managers_navigation_links_the_trail_and_others_do_not(world, login):
    assert TRAIL in login(world.manager).get(reverse("workspace:villages")).content.decode()
    assert TRAIL not in login(world.trainer).get(reverse("workspace:villages")).content.decode()


def test_staff_read_the_whole_trail_including_entries_of_no_programme(world, login):
    person = f.PersonFactory()
    with audit.acting(door=audit.Door.ADMIN, actor=world.staff):
        person.given_name = "Sin programa"
        person.save()
    assert AuditEntry.objects.filter(object_pk=str(person.pk), programme_id__isnull=True).exists()
    response = login(world.staff).get(TRAIL)
    assert response.status_code == 200 and "Sin programa" in response.content.decode()
    assert "Sin programa" not in login(world.manager).get(TRAIL).content.decode()
