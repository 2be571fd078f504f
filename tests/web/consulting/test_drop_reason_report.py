"""The drop-reason report counts drops per reason and village with shares, in the viewer's scope."""

import pytest

from aldea.accounts.models import Role
from tests import factories as f
from tests.conftest import make_persona

URL = "/consultancy/drop-reasons/"


def _drop(world, village, code, words="", consultant=None):
    return f.EngagementFactory(
        enterprise=f.EnterpriseFactory(village=village), consultant=consultant or world.consultant.person,
        stage="dropped",
        drop_reason_code=code, drop_reason=words,
    )


@pytest.fixture
def drops(world):
    _drop(world, world.village, "no_time")
    _drop(world, world.village, "no_time")
    _drop(world, world.village, "other", "Le robaron el telar")
    elsewhere = make_persona(Role.CONSULTANT, world.programme, village=world.second_village, username="elsewhere")
    _drop(world, world.second_village, "no_internet", consultant=elsewhere.person)
    f.EngagementFactory(enterprise=world.other_msme, consultant=world.outsider.person, stage="dropped",
                        drop_reason_code="moved_away")


def _counts(group):
    return {row.code: (row.count, round(row.share, 2)) for row in group.rows if row.count}


def test_a_manager_sees_counts_and_shares_overall_and_by_village(login, world, drops):
    response = login(world.manager).get(URL)
    assert response.status_code == 200
    overall = response.context["overall"]
    assert overall.total == 4
    assert _counts(overall) == {"no_time": (2, 0.5), "other": (1, 0.25), "no_internet": (1, 0.25)}
    villages = {group.name: _counts(group) for group in response.context["villages"]}
    assert villages == {
        world.village.name: {"no_time": (2, 0.67), "other": (1, 0.33)},
        world.second_village.name: {"no_internet": (1, 1.0)},
    }
    assert "50 %" in response.content.decode()


def test_a_consultant_sees_only_their_village(login, world, drops):
    overall = login(world.consultant).get(URL).context["overall"]
    assert _counts(overall) == {"no_time": (2, 0.67), "other": (1, 0.33)}


def test_a_manager_of_a_second_programme_sees_only_theirs(login, world, drops):
    other_manager = make_persona(Role.MANAGER, world.other, username="other-manager")
    assert _counts(login(other_manager).get(URL).context["overall"]) == {"moved_away": (1, 1.0)}


def test_no_drops_reads_as_such(login, world):
    response = login(world.manager).get(URL)
    assert response.context["overall"].total == 0 and response.context["villages"] == []


def test_the_report_is_in_spanish(login, world, drops, settings):
    settings.LANGUAGE_CODE = "es-mx"
    content = login(world.manager).get(URL).content.decode()
    assert "Por qué se dan de baja las MIPYMES" in content and "Sin tiempo" in content
