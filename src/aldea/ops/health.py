"""/healthz: "ok" or "failing" to anyone, the reasons in the log only.

A load balancer or monitor needs a status, not the database's error text (which names hosts,
users and versions); the details go to the log with the request id.
"""

import logging
from datetime import timedelta

from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from aldea.ops.models import WorkerHeartbeat

logger = logging.getLogger("aldea.health")

# A worker beats every HEARTBEAT_SECONDS; three missed beats mean it is gone.
HEARTBEAT_SECONDS = 10
HEARTBEAT_STALE_AFTER = timedelta(seconds=3 * HEARTBEAT_SECONDS)
# Work waiting longer than this with no live worker means background work is not being done.
QUEUE_STALL_AFTER = timedelta(minutes=5)

OK, FAILING, ABSENT = "ok", "failing", "absent"


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("health check: the database does not answer")
        return FAILING
    return OK


def worker_status(now=None) -> str:
    """``ok`` with a fresh heartbeat; ``failing`` when the last worker stopped beating without
    stopping cleanly, or when queued tasks wait with no worker; ``absent`` when no worker runs
    and nothing waits (the demo, or a site that queues no background work)."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    try:
        newest = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
        if newest is not None and now - newest <= HEARTBEAT_STALE_AFTER:
            return OK
        if newest is not None:
            logger.error("health check: the newest worker heartbeat is %s old", now - newest)
            return FAILING
        waiting = DBTaskResult.objects.ready().filter(enqueued_at__lte=now - QUEUE_STALL_AFTER)
        if waiting.exists():
            logger.error("health check: tasks have waited over %s and no worker is running", QUEUE_STALL_AFTER)
            return FAILING
    except Exception:
        logger.exception("health check: the worker heartbeat cannot be read")
        return FAILING
    return ABSENT


@never_cache
def healthz(request):
    """200 ``{"status": "ok", ...}`` when the database answers and background work is not stuck;
    503 ``{"status": "failing", ...}`` otherwise."""
    database = database_status()
    worker = worker_status() if database == OK else FAILING
    healthy = database == OK and worker != FAILING
    body = {"status": OK if healthy else FAILING, "database": database, "worker": worker}
    return JsonResponse(body, status=200 if healthy else 503)
