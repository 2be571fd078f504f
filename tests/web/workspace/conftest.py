import pytest
from django.urls import reverse

from aldea.accounts.models import Role
from tests import factories as f
from tests.conftest import make_persona


@pytest.fixture
def other_manager(world):
    """A manager of the other programme who also trains in one village of the main programme."""
    user = make_persona(Role.MANAGER, world.other, username="other-manager")
    f.MembershipFactory(person=user.person, role=Role.TRAINER, programme=world.programme, village=world.village)
    return user


def budget_url(programme):
    return reverse("workspace:budget", args=[programme.slug])
