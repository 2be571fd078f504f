"""Shared personas: one programme seen through every role, and an outsider in another programme.

``world`` builds (all with factories):

* programme ``main`` with villages ``village`` and ``second_village``; programme ``other`` with
  ``other_village``;
* MSMEs: ``owned_msme`` (in ``village``, owned by the MSME owner), ``village_msme`` (in
  ``village``), ``second_village_msme`` and ``other_msme`` (in the other programme);
* personas, each a user with a person and one active membership in ``main``: ``manager``,
  ``analyst``, ``partner`` (organisation hosting ``village``), ``trainer``, ``consultant`` and
  ``msme_owner`` (all three narrowed to ``village``); ``outsider`` is a consultant of ``other``;
  ``staff`` is a staff user with no membership.
"""

from types import SimpleNamespace

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from aldea.accounts.models import Role
from aldea.accounts.tokens import issue_token
from tests import factories as f


def make_persona(role, programme, *, village=None, organisation=None, username=None):
    user = f.UserFactory(username=username) if username else f.UserFactory()
    person = f.PersonFactory(user=user)
    f.MembershipFactory(person=person, role=role, programme=programme, village=village, organisation=organisation)
    return user


@pytest.fixture
def world(db):
    programme = f.ProgrammeFactory(slug="main")
    village = f.VillageFactory(programme=programme, slug="teotitlan")
    second_village = f.VillageFactory(programme=programme, slug="santa-clara")
    other = f.ProgrammeFactory(slug="other")
    other_village = f.VillageFactory(programme=other, slug="far-away")
    host = f.OrganisationFactory(slug="host-university")
    f.VillagePartnerRoleFactory(village=village, organisation=host)

    w = SimpleNamespace(
        programme=programme, village=village, second_village=second_village, other=other,
        other_village=other_village, host=host,
    )
    w.manager = make_persona(Role.MANAGER, programme, username="manager")
    w.analyst = make_persona(Role.ANALYST, programme, username="analyst")
    w.partner = make_persona(Role.PARTNER, programme, village=village, organisation=host, username="partner")
    w.trainer = make_persona(Role.TRAINER, programme, village=village, username="trainer")
    w.consultant = make_persona(Role.CONSULTANT, programme, village=village, username="consultant")
    w.msme_owner = make_persona(Role.MSME_OWNER, programme, village=village, username="owner")
    w.outsider = make_persona(Role.CONSULTANT, other, village=other_village, username="outsider")
    w.staff = f.UserFactory(username="staff", is_staff=True)

    w.owned_msme = f.EnterpriseFactory(village=village, code="owned", owner=w.msme_owner.person)
    w.village_msme = f.EnterpriseFactory(village=village, code="village-msme")
    w.second_village_msme = f.EnterpriseFactory(village=second_village, code="second-village-msme")
    w.other_msme = f.EnterpriseFactory(village=other_village, code="other-msme")
    return w


@pytest.fixture
def personas(world):
    """The personas by name, for parametrised access tests."""
    return {
        name: getattr(world, name)
        for name in ("manager", "analyst", "partner", "trainer", "consultant", "msme_owner", "outsider", "staff")
    }


def client_for(user) -> APIClient:
    """An API client that authenticates as ``user`` with a token, as a real client would."""
    client = APIClient()
    if user is not None:
        token, key = issue_token(user=user)
        # As if just used: the first request would otherwise add the UPDATE of last_used_at
        # (once every few minutes per token), and query-count tests would count it.
        type(token).objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def api_client_for(db):
    """``api_client_for(user)`` → an APIClient signed in as the user (``None``: anonymous)."""
    return client_for


@pytest.fixture(autouse=True)
def english_interface(settings):
    """Page tests read English text; tests of the Spanish default and Portuguese set the language."""
    settings.LANGUAGE_CODE = "en"


def pytest_collection_modifyitems(items):
    # Browser and live-server tests exercise pages, not the database engine: .ci/run runs them
    # once (on SQLite) to keep CI short. The marker follows the fixture, so no test can forget it.
    for item in items:
        if "live_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.live_server)
