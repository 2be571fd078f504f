"""The funder report reads the estimates the analytics task stored, with their snapshot, while
the data has not changed since; it computes them again when none is stored, when the data
changed (a record changed or deleted, a village's launch moved) or for a period. The overview
says when the estimate it shows is stale.

The estimator's entry point is replaced by one that raises, to prove it is not called; its
math is never mocked: the stored rows come from the real estimator.
"""

import datetime
from decimal import Decimal

import pytest

from aldea.outcomes.models import OutcomeRecord
from aldea.reporting.impact import compute
from aldea.reporting.impact.compute import fresh_estimate, is_stale, store_impact_estimates
from aldea.reporting.impact.panel import OUTCOMES
from aldea.reporting.models import ImpactEstimate
from aldea.workspace.report.content import collect
from tests.web.programmes.builders import small_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(world):
    small_programme(world)
    world.village.launched_on = datetime.date(2025, 2, 1)
    world.village.save()
    return {e.outcome: e for e in store_impact_estimates(world.programme)}


@pytest.fixture
def estimator_calls(monkeypatch):
    """Counts the calls of the estimator's entry point; the real one still runs."""
    calls = []
    real = compute.programme_estimate

    def counted(*args, **kwargs):
        calls.append(kwargs.get("outcome"))
        return real(*args, **kwargs)

    monkeypatch.setattr(compute, "programme_estimate", counted)
    return calls


@pytest.fixture
def no_estimator(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the estimator ran although a fresh estimate is stored")

    monkeypatch.setattr(compute, "programme_estimate", refuse)


def test_the_report_reads_the_stored_estimates_without_running_the_estimator(world, stored, no_estimator):
    online = stored["online_sales"]
    assert online.error == "" and online.rows_read == OutcomeRecord.objects.count() > 0
    assert online.data_as_of is not None and len(online.snapshot_hash) == 64
    data = collect(world.programme)
    for outcome in OUTCOMES:
        assert data.impact[outcome] == stored[outcome].result
        source = data.impact_sources[outcome]
        assert (source["id"], source["rows_read"], source["snapshot_hash"]) == (
            stored[outcome].pk, stored[outcome].rows_read, stored[outcome].snapshot_hash)
    assert data.data_as_of == online.data_as_of.isoformat()


def test_the_stored_figures_equal_a_fresh_computation(world, stored, estimator_calls):
    """Reading the stored row changes nothing the report prints, nor its hash."""
    from_store = collect(world.programme)
    assert estimator_calls == []
    ImpactEstimate.objects.all().delete()
    computed = collect(world.programme)
    assert sorted(estimator_calls) == sorted(OUTCOMES)
    assert all(source is None for source in computed.impact_sources.values())
    assert computed.impact["online_sales"]["estimate"] == from_store.impact["online_sales"]["estimate"]
    assert computed.snapshot_hash == from_store.snapshot_hash


def test_a_changed_outcome_record_makes_the_stored_estimate_stale(world, stored, estimator_calls):
    record = OutcomeRecord.objects.filter(enterprise__village=world.village).order_by("month").last()
    record.online_sales += Decimal(1000)
    record.total_sales += Decimal(1000)
    record.save()
    assert is_stale(stored["online_sales"]) and fresh_estimate(world.programme) is None
    data = collect(world.programme)
    assert sorted(estimator_calls) == sorted(OUTCOMES)
    assert data.impact_sources["online_sales"] is None
    new_att = data.impact["online_sales"]["estimate"]["overall"]["simple"]["att"]
    old_att = stored["online_sales"].result["estimate"]["overall"]["simple"]["att"]
    assert new_att != pytest.approx(old_att)
    # Stored again (the analytics task), the new one is fresh and read.
    store_impact_estimates(world.programme)
    estimator_calls.clear()
    assert collect(world.programme).impact["online_sales"]["estimate"]["overall"]["simple"]["att"] == pytest.approx(new_att)
    assert estimator_calls == []


def test_a_deleted_record_makes_the_stored_estimate_stale(world, stored):
    OutcomeRecord.objects.order_by("month").first().delete()
    assert all(is_stale(estimate) for estimate in stored.values())


def test_a_moved_launch_makes_the_stored_estimate_stale(world, stored):
    assert not is_stale(stored["online_sales"])
    world.village.launched_on = datetime.date(2025, 3, 1)
    world.village.save()
    assert is_stale(stored["online_sales"])


def test_a_report_for_a_period_computes_its_own_estimates(world, stored, estimator_calls):
    data = collect(world.programme, period=(datetime.date(2025, 1, 1), datetime.date(2025, 3, 1)))
    assert sorted(estimator_calls) == sorted(OUTCOMES)
    assert all(source is None for source in data.impact_sources.values())


def test_a_stored_reason_for_no_estimate_is_read_too_while_the_data_stands(world, monkeypatch):
    small_programme(world)  # the village launched before every record: no estimate
    stored = store_impact_estimates(world.programme)
    assert all(e.error for e in stored)
    monkeypatch.setattr(compute, "programme_estimate", lambda *a, **k: pytest.fail("the estimator ran"))
    data = collect(world.programme)
    assert "treated in the first period" in data.impact["online_sales"]["error"]
