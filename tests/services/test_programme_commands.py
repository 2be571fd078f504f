"""The commands that work programme by programme: every programme, one by its code, or a clear
refusal of a code that names none, before anything is computed."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from aldea.outcomes.models import OutcomeRollup
from tests import factories as f

pytestmark = pytest.mark.django_db
COMMANDS = ["rebuild_rollups", "refresh_overviews", "compute_analytics"]


@pytest.mark.parametrize("command", COMMANDS)
def test_an_unknown_programme_code_is_refused_by_name(command):
    f.ProgrammeFactory(slug="sierra-norte")
    with pytest.raises(CommandError, match="No programme with code 'sierra-sur'"):
        call_command(command, programme="sierra-sur", stdout=io.StringIO())


@pytest.mark.parametrize("command", ["rebuild_rollups", "refresh_overviews"])
def test_without_a_code_every_programme_is_done_in_code_order(command):
    for slug in ("zacatlan", "amealco", "tlaxco"):
        f.ProgrammeFactory(slug=slug)
    out = io.StringIO()
    call_command(command, stdout=out)
    assert [line.split(":")[0] for line in out.getvalue().splitlines()] == ["amealco", "tlaxco", "zacatlan"]


def test_a_code_does_only_that_programme():
    chosen, other = f.ProgrammeFactory(slug="amealco"), f.ProgrammeFactory(slug="tlaxco")
    for programme in (chosen, other):
        f.OutcomeRecordFactory(enterprise=f.EnterpriseFactory(programme=programme,
                                                              village=f.VillageFactory(programme=programme)))
    call_command("rebuild_rollups", programme="amealco", stdout=io.StringIO())
    assert OutcomeRollup.objects.filter(programme=chosen).exists()
    assert not OutcomeRollup.objects.filter(programme=other).exists()
