"""`aldea worker`: run the background task queue (django-tasks' database backend)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string

from aldea.ops.heartbeat import Heartbeat


class Command(BaseCommand):
    help = (
        "Run queued background work (analytics, long imports, reports, reminder emails) from the "
        "database queue, and report a heartbeat that /healthz reads. Stop it with SIGTERM or "
        "Ctrl+C: a running task is finished first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--queue", default="*", help="queue names, comma-separated ('*': all; the default)")
        parser.add_argument("--interval", type=float, default=1.0,
                            help="seconds to wait before looking again when the queue is empty (default 1)")
        parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")
        parser.add_argument("--max-tasks", type=int, default=None, help="exit after this many tasks")

    def handle(self, *args, queue, interval, batch, max_tasks, **options):
        worker_id = get_random_string(32)
        heartbeat = Heartbeat(worker_id)
        heartbeat.start()
        self.stdout.write(f"Aldea worker {worker_id} waiting for tasks on queue {queue!r}")
        extra = {"max_tasks": max_tasks} if max_tasks else {}
        try:
            call_command(
                "db_worker", queue_name=queue, interval=interval, batch=batch, reload=False,
                worker_id=worker_id, startup_delay=not batch, verbosity=options["verbosity"],
                stdout=self.stdout, stderr=self.stderr, **extra,
            )
        finally:
            # db_worker leaves with sys.exit on SIGTERM/SIGINT once its running task is done.
            heartbeat.stop()
