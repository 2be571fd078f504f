import pytest

from aldea.core.exceptions import DomainError
from aldea.programmes.models import VillageStatus, VillageStatusChange
from aldea.programmes.services import change_village_status
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_candidate_becomes_active_through_selection_and_gets_a_launch_date():
    village = f.VillageFactory(status=VillageStatus.CANDIDATE, launched_on=None)
    change_village_status(village=village, to_status=VillageStatus.SELECTED)
    change_village_status(village=village, to_status=VillageStatus.ACTIVE)
    village.refresh_from_db()
    assert village.status == VillageStatus.ACTIVE and village.launched_on is not None
    assert list(VillageStatusChange.objects.filter(village=village).values_list("to_status", flat=True)) == [
        "selected", "active",
    ]


def test_a_candidate_cannot_jump_to_graduated():
    village = f.VillageFactory(status=VillageStatus.CANDIDATE, launched_on=None)
    with pytest.raises(DomainError):
        change_village_status(village=village, to_status=VillageStatus.GRADUATED)
    assert VillageStatusChange.objects.count() == 0
