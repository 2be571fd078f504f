"""The optional second factor: managers and staff turn it on, then every door asks for the code."""

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from aldea.accounts.two_factor import confirm_enrolment, may_use_two_factor, start_enrolment
from tests.factories import PASSWORD


def current_code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def manager_with_two_factor(world):
    device = start_enrolment(user=world.manager)
    assert confirm_enrolment(user=world.manager, token=current_code(device))
    device.refresh_from_db()
    return world.manager, device


def fresh_code(device):
    """A code the device has not accepted yet (django-otp refuses a code twice)."""
    device.refresh_from_db()
    device.last_t = -1
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    return current_code(device)


def test_setting_it_up_shows_a_qr_code_and_confirms_with_a_code(world):
    client = Client()
    client.force_login(world.manager)
    page = client.post("/accounts/two-factor/", {"action": "start"})
    assert page.status_code == 200 and "<svg" in page.content.decode() and page.context["secret"]
    device = TOTPDevice.objects.get(user=world.manager, confirmed=False)

    wrong = client.post("/accounts/two-factor/", {"action": "confirm", "token": "000000"})
    assert wrong.context["error"] and not TOTPDevice.objects.filter(confirmed=True).exists()
    fresh = fresh_code(device)
    done = client.post("/accounts/two-factor/", {"action": "confirm", "token": fresh})

    assert done.context["enabled"] and TOTPDevice.objects.get(user=world.manager).confirmed


def test_with_it_on_the_login_page_needs_the_code(manager_with_two_factor):
    _manager, device = manager_with_two_factor
    without = Client().post("/accounts/login/", {"username": "manager", "password": PASSWORD})
    assert without.status_code == 200 and "6-digit code" in without.content.decode()
    wrong = Client().post("/accounts/login/", {"username": "manager", "password": PASSWORD, "otp_token": "123456"})
    assert wrong.status_code == 200

    right = Client().post("/accounts/login/", {"username": "manager", "password": PASSWORD,
                                                "otp_token": fresh_code(device)})
    assert right.status_code == 302


def test_with_it_on_the_token_endpoint_needs_the_code(manager_with_two_factor):
    _manager, device = manager_with_two_factor
    without = Client().post("/api/auth/token/", {"username": "manager", "password": PASSWORD})
    assert without.status_code == 400 and "otp_token" in without.json() and "token" not in without.json()

    right = Client().post("/api/auth/token/", {"username": "manager", "password": PASSWORD,
                                               "otp_token": fresh_code(device)})
    assert right.status_code == 200 and right.json()["token"]


def test_with_it_on_the_admin_needs_the_code(world):
    device = start_enrolment(user=world.staff)
    assert confirm_enrolment(user=world.staff, token=current_code(device))
    without = Client().post("/admin/login/?next=/admin/", {"username": "staff", "password": PASSWORD})
    assert without.status_code == 200 and "6-digit code" in without.content.decode()
    right = Client().post("/admin/login/?next=/admin/", {"username": "staff", "password": PASSWORD,
                                                         "otp_token": fresh_code(device)})
    assert right.status_code == 302 and right["Location"] == "/admin/"


def test_users_without_it_log_in_as_before(world):
    assert Client().post("/accounts/login/", {"username": "consultant", "password": PASSWORD}).status_code == 302


@pytest.mark.parametrize("name", ["analyst", "trainer", "consultant", "msme_owner", "outsider"])
def test_it_is_for_managers_and_staff(world, name):
    user = getattr(world, name)
    assert not may_use_two_factor(user)
    client = Client()
    client.force_login(user)
    assert client.get("/accounts/two-factor/").status_code == 404
    with pytest.raises(PermissionError):
        start_enrolment(user=user)
    assert may_use_two_factor(world.manager) and may_use_two_factor(world.staff)


def test_turning_it_off_needs_a_code(manager_with_two_factor):
    manager, device = manager_with_two_factor
    client = Client()
    client.force_login(manager)
    assert client.post("/accounts/two-factor/", {"action": "off", "token": "000000"}).context["enabled"]
    assert not client.post("/accounts/two-factor/", {"action": "off", "token": fresh_code(device)}).context["enabled"]
    assert not TOTPDevice.objects.filter(user=manager).exists()
