"""The worker's heartbeat: a thread that refreshes the worker's row while the process lives."""

import logging
import os
import socket
import threading

from django.db import close_old_connections, connection
from django.utils import timezone

from aldea.ops.health import HEARTBEAT_SECONDS, HEARTBEAT_STALE_AFTER
from aldea.ops.models import WorkerHeartbeat

logger = logging.getLogger("aldea.worker")


class Heartbeat:
    """``start()`` registers the worker and beats every ``interval`` seconds; ``stop()`` removes
    the row. Each beat runs on the thread's own database connection, closed after the beat."""

    def __init__(self, worker_id: str, *, interval: float = HEARTBEAT_SECONDS):
        self.worker_id = worker_id
        self.interval = interval
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="aldea-heartbeat", daemon=True)

    def start(self) -> None:
        now = timezone.now()
        # Rows of workers that died long ago would only confuse whoever reads the table.
        WorkerHeartbeat.objects.filter(beat_at__lt=now - 10 * HEARTBEAT_STALE_AFTER).delete()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"hostname": socket.gethostname(), "pid": os.getpid(), "started_at": now, "beat_at": now},
        )
        self._thread.start()

    def beat(self) -> None:
        WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(beat_at=timezone.now())

    def _run(self) -> None:
        while not self._stopped.wait(self.interval):
            try:
                self.beat()
            except Exception:
                logger.exception("worker heartbeat failed")
            finally:
                close_old_connections()
                connection.close()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=self.interval + 5)
        try:
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        except Exception:
            logger.exception("could not remove the worker heartbeat")
