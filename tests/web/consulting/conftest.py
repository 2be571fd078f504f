"""Engagements of the shared ``world``: the consultant persona serves MSMEs of ``village``."""

import datetime

import pytest

from aldea.consulting.models import Stage
from tests import factories as f


def add_engagements(world, count: int, *, stage=Stage.DIAGNOSED, consultant=None, village=None):
    """``count`` engagements with new MSMEs of ``village`` (default: the world's village)."""
    village = village or world.village
    consultant = consultant or world.consultant.person
    return [
        f.EngagementFactory(
            enterprise=f.EnterpriseFactory(village=village), consultant=consultant, stage=stage,
            **({"drop_reason": "Cerró el negocio", "drop_reason_code": "closed_business"} if stage == Stage.DROPPED else {}),
        )
        for _ in range(count)
    ]


@pytest.fixture
def engagement(world):
    return f.EngagementFactory(
        enterprise=world.village_msme, consultant=world.consultant.person, started_on=datetime.date(2024, 2, 1)
    )


@pytest.fixture
def other_engagement(world):
    """An engagement of the other programme."""
    return f.EngagementFactory(enterprise=world.other_msme, consultant=world.outsider.person)
