import datetime

import pytest

from aldea.core.exceptions import DomainError
from aldea.programmes.models import VillageStatus, VillageStatusChange
from aldea.programmes.services import change_village_status, create_village
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


def test_a_new_village_starts_its_history_with_its_first_status():
    programme = f.ProgrammeFactory()
    user = f.UserFactory()
    village = create_village(
        programme=programme, slug="san-bartolo", name="San Bartolo", municipality=f.MunicipalityFactory(),
        speciality="barro negro", user=user,
    )
    assert village.status == VillageStatus.CANDIDATE
    assert list(village.status_changes.values_list("from_status", "to_status", "changed_by")) == [
        ("", "candidate", user.pk)
    ]


def test_a_village_that_joins_active_needs_its_launch_date():
    fields = {"programme": f.ProgrammeFactory(), "slug": "v", "name": "V", "municipality": f.MunicipalityFactory(),
              "speciality": "s", "status": VillageStatus.ACTIVE}
    with pytest.raises(DomainError, match="needs its launch date"):
        create_village(**fields)
    village = create_village(**fields, launched_on=datetime.date(2024, 3, 1))
    assert list(village.status_changes.values_list("to_status", flat=True)) == ["active"]
