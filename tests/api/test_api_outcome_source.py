"""The API records whose figures they are by the outcome entry page's rule: the owner's own entry
is hers to claim (she enters it on her page), anyone else's is a platform entry."""

import pytest

from aldea.outcomes.models import OutcomeRecord

pytestmark = pytest.mark.django_db

URL = "/api/outcome-records/"


def month_of(code, **extra):
    return {"enterprise": code, "month": "2025-03-01", "currency": "MXN", "total_sales": "3000",
            "online_sales": "1200", **extra}


def test_a_consultant_s_figures_are_a_platform_entry(world, api_client_for):
    response = api_client_for(world.consultant).post(URL, month_of("village-msme"), format="json")
    assert response.status_code == 201, response.json()
    assert OutcomeRecord.objects.get(enterprise__code="village-msme").source == OutcomeRecord.Source.ENTRY


def test_nobody_else_may_claim_the_owner_s_entry(world, api_client_for):
    response = api_client_for(world.consultant).post(URL, month_of("owned", source="owner"), format="json")
    assert response.status_code == 400
    assert "owner" in response.json()["source"][0]
    assert not OutcomeRecord.objects.filter(enterprise__code="owned").exists()
