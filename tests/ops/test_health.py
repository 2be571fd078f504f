"""/healthz: ok or failing to anyone, the reasons in the log only; the worker's heartbeat counts."""

import logging
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from aldea.ops.heartbeat import Heartbeat
from aldea.ops.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def test_healthy_without_a_worker_when_no_work_waits(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "worker": "absent"}
    assert "no-cache" in response["Cache-Control"]


def test_a_database_failure_says_failing_and_keeps_the_details_in_the_log(client, monkeypatch, caplog):
    def broken_cursor(*args, **kwargs):
        raise RuntimeError('connection to server at "db.internal" (10.0.0.5), port 5432 failed: password authentication failed for user "aldea"')

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    with caplog.at_level(logging.ERROR, logger="aldea.health"):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "failing", "database": "failing", "worker": "failing"}
    assert b"db.internal" not in response.content and b"password" not in response.content
    assert "password authentication failed" in caplog.text


def test_a_live_worker_is_ok_and_a_silent_one_is_failing(client):
    heartbeat = Heartbeat("worker-under-test", interval=3600)
    heartbeat.start()
    try:
        assert client.get("/healthz").json()["worker"] == "ok"
        WorkerHeartbeat.objects.update(beat_at=timezone.now() - timedelta(minutes=2))

        response = client.get("/healthz")

        assert response.status_code == 503 and response.json()["worker"] == "failing"
        heartbeat.beat()
        assert client.get("/healthz").status_code == 200
    finally:
        heartbeat.stop()
    # A worker that stopped cleanly leaves no row: no worker, not a dead one.
    assert not WorkerHeartbeat.objects.exists()
    assert client.get("/healthz").json()["worker"] == "absent"


def test_work_waiting_with_no_worker_is_failing(client):
    from aldea.reporting.tasks import compute_analytics

    result = compute_analytics.enqueue()
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=result.id).update(enqueued_at=timezone.now() - timedelta(minutes=10))

    response = client.get("/healthz")

    assert response.status_code == 503 and response.json()["worker"] == "failing"
