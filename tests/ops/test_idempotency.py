"""The idempotency store (aldea.ops.idempotency): a write sent again with its key is applied once
and answered the same; keys are per user; a refused write keeps its key free."""

import uuid

import pytest
from django.test import Client

from aldea.diagnostics.instrument import ensure_default_instrument
from aldea.diagnostics.models import Assessment
from aldea.ops.models import ProcessedWrite
from tests.web.diagnostics.conftest import all_answers


@pytest.fixture(autouse=True)
def instrument(db):
    return ensure_default_instrument()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def new_url(enterprise):
    return f"/diagnostics/msme/{enterprise.code}/new/"


def test_the_same_key_twice_makes_one_record_and_the_same_answer(world):
    client = signed_in(world.consultant)
    key = str(uuid.uuid4())
    first = client.post(new_url(world.village_msme), all_answers(), HTTP_IDEMPOTENCY_KEY=key)
    again = client.post(new_url(world.village_msme), all_answers(), HTTP_IDEMPOTENCY_KEY=key)
    assessment = Assessment.objects.get()
    assert (first.status_code, again.status_code) == (302, 302)
    assert first["Location"] == again["Location"] == f"/diagnostics/msme/{world.village_msme.code}/assessment/{assessment.pk}/"
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    write = ProcessedWrite.objects.get()
    assert (write.key, write.user, write.path, write.status) == (key, world.consultant, new_url(world.village_msme), 302)


def test_the_key_may_come_in_the_form_instead_of_the_header(world):
    client = signed_in(world.consultant)
    data = {**all_answers(), "idempotency_key": str(uuid.uuid4())}
    client.post(new_url(world.village_msme), data)
    client.post(new_url(world.village_msme), data)
    assert Assessment.objects.count() == 1


def test_different_users_with_the_same_key_are_separate_writes(world):
    key = str(uuid.uuid4())
    for user in (world.consultant, world.trainer):
        response = signed_in(user).post(new_url(world.village_msme), all_answers(), HTTP_IDEMPOTENCY_KEY=key)
        assert response.status_code == 302
    assert Assessment.objects.count() == 2
    assert set(ProcessedWrite.objects.filter(key=key).values_list("user", flat=True)) == {
        world.consultant.pk, world.trainer.pk,
    }


def test_without_a_key_every_post_is_a_write_as_before(world):
    client = signed_in(world.consultant)
    client.post(new_url(world.village_msme), all_answers())
    client.post(new_url(world.village_msme), all_answers())
    assert Assessment.objects.count() == 2
    assert not ProcessedWrite.objects.exists()


def test_a_refused_write_keeps_its_key_for_the_corrected_form(world):
    client = signed_in(world.consultant)
    key = str(uuid.uuid4())
    incomplete = all_answers()
    incomplete.pop(next(name for name in incomplete if name.startswith("q_")))
    assert client.post(new_url(world.village_msme), incomplete, HTTP_IDEMPOTENCY_KEY=key).status_code == 400
    assert not ProcessedWrite.objects.exists()
    assert client.post(new_url(world.village_msme), all_answers(), HTTP_IDEMPOTENCY_KEY=key).status_code == 302
    assert Assessment.objects.count() == 1


def test_a_key_used_at_another_address_is_refused(world):
    client = signed_in(world.consultant)
    key = str(uuid.uuid4())
    client.post(new_url(world.village_msme), all_answers(), HTTP_IDEMPOTENCY_KEY=key)
    response = client.post(new_url(world.second_village_msme), all_answers(), HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 422
    assert "another address" in response.content.decode()
    assert Assessment.objects.count() == 1


@pytest.mark.parametrize("key", ["short", "x" * 65, "not a key!", "ключ-ключ-ключ"])
def test_a_malformed_key_is_refused_with_a_message(world, key):
    response = signed_in(world.consultant).post(new_url(world.village_msme), all_answers(), HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 400
    assert "Idempotency key" in response.content.decode()
    assert not Assessment.objects.exists()


def test_an_out_of_scope_write_is_not_stored(world):
    response = signed_in(world.outsider).post(
        new_url(world.village_msme), all_answers(), HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
    )
    assert response.status_code == 404
    assert not ProcessedWrite.objects.exists()
