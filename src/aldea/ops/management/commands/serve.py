"""`aldea serve`: the production web server (gunicorn), static files included (WhiteNoise)."""

import logging
import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from aldea.ops.static import static_files_are_stale

# Each sync worker serves one request at a time and holds one database connection, so the
# worker count is also the web server's share of the database's connections.
MAX_DEFAULT_WORKERS = 9


def env_count(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise CommandError(f"{name} must be a whole number, not {value!r}") from exc


def default_workers() -> int:
    return env_count("ALDEA_WEB_WORKERS", min(2 * (os.cpu_count() or 1) + 1, MAX_DEFAULT_WORKERS))


def gunicorn_logger_class():
    """gunicorn's logger, writing its own lines (workers booting, timeouts) as Aldea's logs do:
    one JSON object a line when ALDEA_LOG_FORMAT=json."""
    from django.conf import settings
    from gunicorn.glogging import Logger

    from aldea.ops.logs import JsonFormatter, RequestIdFilter

    class AldeaLogger(Logger):
        def setup(self, cfg):
            super().setup(cfg)
            if settings.LOG_FORMAT == "json":
                for handler in self.error_log.handlers:
                    handler.setFormatter(JsonFormatter())
                    handler.addFilter(RequestIdFilter())

    return AldeaLogger


def gunicorn_options(*, host: str, port: int, workers: int, timeout: int) -> dict:
    """gunicorn's settings for Aldea (why each: docs/decisions.md, O1)."""
    return {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        # Sync workers: one request per process, one database connection per process. Slow
        # clients are the reverse proxy's job (it buffers requests and responses).
        "worker_class": "sync",
        # A request that takes longer than this is killed and its worker replaced (a stuck
        # query must not hold a worker for ever); long work belongs to `aldea worker`.
        "timeout": timeout,
        "graceful_timeout": 30,
        # The proxy keeps connections to us open between requests.
        "keepalive": 5,
        # Replace each worker after about a thousand requests: bounds any slow memory growth.
        "max_requests": 1000,
        "max_requests_jitter": 100,
        # Load Django once in the master, then fork: workers start fast and share memory.
        "preload_app": True,
        # The access log is Aldea's own (aldea.access: request id, user, time taken).
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "info",
        "logger_class": gunicorn_logger_class(),
        "proc_name": "aldea",
        # No control socket in $HOME: systemd (or the shell) manages the process.
        "control_socket_disable": True,
    }


class Command(BaseCommand):
    help = (
        "Serve Aldea with gunicorn (several worker processes, request timeouts, an access log) "
        "and its static files. Run it behind a reverse proxy that terminates TLS (docs/deploy.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("ALDEA_HOST", "127.0.0.1"),
                            help="address to listen on (default ALDEA_HOST or 127.0.0.1)")
        parser.add_argument("--port", type=int, default=None, help="port (default ALDEA_PORT or 8000)")
        parser.add_argument("--workers", type=int, default=None,
                            help=f"worker processes (default ALDEA_WEB_WORKERS, or 2 x cores + 1 up to {MAX_DEFAULT_WORKERS})")
        parser.add_argument("--timeout", type=int, default=None,
                            help="seconds before a request's worker is killed and replaced (default ALDEA_WEB_TIMEOUT or 60)")
        parser.add_argument("--no-access-log", action="store_true", help="do not log one line per request")
        parser.add_argument("--no-collectstatic", action="store_true",
                            help="do not collect the static files first (a deployment that ran collectstatic)")

    def handle(self, *args, host, port, workers, timeout, no_access_log, no_collectstatic, **options):
        from django.conf import settings
        from django.core.management import call_command
        from gunicorn.app.base import BaseApplication

        workers = workers or default_workers()
        timeout = timeout or env_count("ALDEA_WEB_TIMEOUT", 60)
        if workers < 1:
            raise CommandError("--workers must be at least 1")
        config = gunicorn_options(host=host, port=port or settings.PORT, workers=workers, timeout=timeout)
        if not no_collectstatic and static_files_are_stale():
            # Pages link the hashed names of the manifest that collectstatic writes, and WhiteNoise
            # sends the gzip and brotli copies it makes (aldea.ops.static).
            self.stdout.write("Collecting and compressing the static files (first start only)…")
            self.stdout.flush()
            call_command("collectstatic", interactive=False, verbosity=0)
        # Only now: WhiteNoise lists the collected files when the application loads its middleware.
        from aldea.wsgi import application

        if not no_access_log:
            logging.getLogger("aldea.access").setLevel(logging.INFO)
        # Nothing opened in this process may be shared by the forked workers.
        connections.close_all()

        class AldeaApplication(BaseApplication):
            def load_config(self):
                for key, value in config.items():
                    self.cfg.set(key, value)

            def load(self):
                return application

        self.stdout.write(f"Serving Aldea on http://{config['bind']}/ with {workers} workers")
        self.stdout.flush()
        AldeaApplication().run()
