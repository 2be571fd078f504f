"""The audit trail: a change by each door (page, API, admin, import, command) records who, when,
which record of which programme, and the values before and after; downloads of personal data too."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from aldea.accounts.models import Person
from aldea.enterprises.models import Enterprise
from aldea.ops import audit
from aldea.ops.models import AuditEntry
from aldea.programmes.models import Village
from tests import factories as f

pytestmark = pytest.mark.django_db

ENTERPRISES_CSV = "code;name;village;sector\nruiz;Tapetes Ruiz;teotitlan;textiles\nowned;Renamed by import;teotitlan;textiles\n"


def entries_for(instance):
    return AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(instance),
                                     object_pk=str(instance.pk)).order_by("pk")


def test_a_page_change_records_the_manager_the_programme_and_the_status_before_and_after(world, client):
    candidate = f.VillageFactory(programme=world.programme, status="candidate", launched_on=None)
    client.force_login(world.manager)
    response = client.post(reverse("workspace:village_status", args=[candidate.slug]), {"to_status": "selected"})
    assert response.status_code == 302
    entry = entries_for(candidate).filter(action=AuditEntry.Action.UPDATE).get()
    assert (entry.actor, entry.door, entry.programme_id) == (world.manager, "page", world.programme.pk)
    assert entry.changes_dict["status"] == ["candidate", "selected"]


def test_an_api_change_with_a_token_records_the_tokens_user(world, api_client_for):
    response = api_client_for(world.manager).patch(
        f"/api/enterprises/{world.village_msme.code}/", {"name": "Tapetes Nuevos"}, format="json")
    assert response.status_code == 200
    entry = entries_for(world.village_msme).filter(action=AuditEntry.Action.UPDATE).get()
    assert (entry.actor, entry.door, entry.programme_id) == (world.manager, "api", world.programme.pk)
    assert entry.changes_dict["name"][1] == "Tapetes Nuevos"


def test_an_admin_action_records_the_staff_user(world, client, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "pw-for-tests-only")
    selected = f.VillageFactory(programme=world.other, status="selected", launched_on=None)
    client.force_login(root)
    client.post(reverse("admin:programmes_village_changelist"),
                {"action": "activate_villages", ACTION_CHECKBOX_NAME: [selected.pk]}, follow=True)
    entry = entries_for(selected).filter(action=AuditEntry.Action.UPDATE).get()
    assert (entry.actor, entry.door, entry.programme_id) == (root, "admin", world.other.pk)
    assert entry.changes_dict["status"] == ["selected", "active"]


def test_a_delete_keeps_the_values_it_removed(world):
    product = f.ProductFactory(enterprise=world.village_msme, title="Tapete rojo")
    pk = product.pk
    with audit.acting(door=audit.Door.PAGE, actor=world.manager):
        product.delete()
    entry = AuditEntry.objects.get(object_pk=str(pk), action=AuditEntry.Action.DELETE,
                                   content_type=ContentType.objects.get_for_model(product))
    assert entry.actor == world.manager and entry.programme_id == world.programme.pk
    assert entry.changes_dict["title"] == ["Tapete rojo", None]


def test_a_change_outside_any_request_is_the_systems_through_the_command_door(world):
    world.village.name = "Teotitlán del Valle"
    world.village.save()
    entry = entries_for(world.village).filter(action=AuditEntry.Action.UPDATE).get()
    assert (entry.actor, entry.door) == (None, "command")


def test_a_service_given_a_user_outside_a_request_records_that_user(world):
    empty = f.VillageFactory(programme=world.other)
    with audit.acting(door=audit.Door.COMMAND, actor=world.manager):
        Village.objects.get(pk=empty.pk).delete()
    entry = entries_for(empty).get(action=AuditEntry.Action.DELETE)
    assert (entry.actor, entry.programme_id) == (world.manager, world.other.pk)


def test_secrets_are_masked_and_logins_are_not_changes(world, client):
    user = world.manager
    user.set_password("a-new-long-passphrase-42")
    user.save()
    entry = entries_for(user).filter(action=AuditEntry.Action.UPDATE).last()
    assert "a-new-long" not in str(entry.changes) and user.password not in str(entry.changes)
    before = AuditEntry.objects.count()
    client.login(username=user.username, password="a-new-long-passphrase-42")
    assert AuditEntry.objects.count() == before  # last_login only: not on the trail


def test_an_uploaded_import_records_one_entry_per_programme_with_its_rows(world, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.manager)
    preview = client.post(reverse("interop:upload"), {
        "kind": "enterprises", "mode": "valid-rows",
        "file": SimpleUploadedFile("mipymes.csv", ENTERPRISES_CSV.encode())})
    assert not AuditEntry.objects.filter(door="import").exists()  # a dry run changes nothing
    client.post(reverse("interop:commit"), {"token": preview.context["token"]})
    entry = AuditEntry.objects.get(door="import")
    assert (entry.actor, entry.programme_id, entry.rows) == (world.manager, world.programme.pk, 2)
    assert entry.content_type.model_class() is Enterprise
    assert (entry.additional_data["created"], entry.additional_data["updated"]) == (1, 1)
    assert entry.additional_data["file"] == "mipymes.csv"


def test_an_import_command_is_the_systems_and_names_each_programme(world, tmp_path):
    path = tmp_path / "mipymes.csv"
    path.write_text("code;name;programme;village;sector\nruiz;Ruiz;main;teotitlan;textiles\n"
                    "lejos;Lejos;other;far-away;textiles\nlejos2;Lejos 2;other;far-away;textiles\n", encoding="utf-8")
    call_command("import", "enterprises", str(path))
    rows = dict(AuditEntry.objects.filter(door="import").values_list("programme_id", "rows"))
    assert rows == {world.programme.pk: 1, world.other.pk: 2}
    assert not AuditEntry.objects.filter(door="import", actor__isnull=False).exists()


def test_downloading_people_records_who_and_how_many_per_programme(world, client):
    client.force_login(world.manager)
    response = client.get(reverse("interop:download", args=["people", "csv"]))
    assert response.status_code == 200
    b"".join(response.streaming_content)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ACCESS, programme_id=world.programme.pk)
    assert entry.actor == world.manager and entry.content_type.model_class() is Person
    members = Person.objects.filter(memberships__programme=world.programme).distinct().count()
    assert entry.rows == members and entry.additional_data["format"] == "csv"
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS, programme_id=world.other.pk).exists()


def test_downloading_msmes_is_not_a_personal_data_access(world, client):
    client.force_login(world.manager)
    b"".join(client.get(reverse("interop:download", args=["enterprises", "csv"])).streaming_content)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS).exists()


def test_exporting_people_from_the_command_line_is_recorded_as_the_system(world, tmp_path):
    call_command("export", "people", "--out", str(tmp_path / "people.parquet"))
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS)
    assert entries.exists() and not entries.filter(actor__isnull=False).exists()
    assert set(entries.values_list("door", flat=True)) == {"command"}


def test_entries_carry_their_time(world):
    entry = entries_for(world.village).get(action=AuditEntry.Action.CREATE)
    assert isinstance(entry.timestamp, datetime.datetime) and entry.programme_id == world.programme.pk


def test_outcome_roll_ups_are_computed_rows_and_stay_out_of_the_trail(world):
    from aldea.outcomes.models import OutcomeRecord, OutcomeRollup
    from aldea.outcomes.rollups import rebuild_outcome_rollups
    from aldea.outcomes.services import save_outcome_record

    enterprise = f.EnterpriseFactory(programme=world.programme, village=world.village)
    rebuild_outcome_rollups(world.programme)
    record = OutcomeRecord(enterprise=enterprise, month=datetime.date(2025, 3, 1))
    save_outcome_record(record=record, values={"online_sales": 1200, "total_sales": 3000}, user=world.manager)
    rebuild_outcome_rollups(world.programme)
    assert OutcomeRollup.objects.filter(programme=world.programme).exists()
    rebuild_outcome_rollups(world.programme)  # deletes every roll-up row and writes it again
    save_outcome_record(record=record, values={"online_sales": 1500}, user=world.manager)  # refreshes one
    assert entries_for(record).filter(action=AuditEntry.Action.CREATE).exists()
    assert not AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(OutcomeRollup)).exists()
