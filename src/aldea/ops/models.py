from django.db import models


class WorkerHeartbeat(models.Model):
    """The last sign of life of one `aldea worker` process; /healthz reads the newest one.

    A worker writes its row every few seconds from a thread of its own, so a long task does not
    make it look dead, and deletes it when it stops cleanly. A row that stops moving without
    being deleted is a worker that died.
    """

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "worker heartbeat"

    def __str__(self):
        return f"{self.worker_id} on {self.hostname} (pid {self.pid})"
