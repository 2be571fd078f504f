"""Helpers that settings.py calls to derive production settings from a few environment variables.

Nothing here imports Django's models or the apps: settings.py runs before the app registry.
Each helper is a plain function of its inputs, so tests can call it with a made-up environment.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

# One year, the value browsers' preload lists ask for; ALDEA_HSTS_SECONDS=0 turns HSTS off.
DEFAULT_HSTS_SECONDS = 60 * 60 * 24 * 365
LOCAL_KEY_NAME = "secret-key"


def env_secret(name: str, environ=None) -> str:
    """The value of ``name``, or the content of the file that ``name + "_FILE"`` names.

    Files suit systemd's ``LoadCredential``, Docker and Kubernetes secrets: the secret never
    shows in ``ps``, ``/proc/<pid>/environ`` or a unit file. Both set is an error (which wins
    would be a guess); a missing or empty file is an error with the file's path.
    """
    environ = os.environ if environ is None else environ
    value = environ.get(name, "")
    file_name = environ.get(f"{name}_FILE", "")
    if value and file_name:
        raise ImproperlyConfigured(f"set {name} or {name}_FILE, not both")
    if not file_name:
        return value
    try:
        text = Path(file_name).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ImproperlyConfigured(f"{name}_FILE names {file_name}, which cannot be read: {exc.strerror}") from exc
    if not text:
        raise ImproperlyConfigured(f"{name}_FILE names {file_name}, which is empty")
    return text


def local_secret_key(data_dir: Path) -> str:
    """A secret key kept in the data folder, generated on first use (development and demo only).

    Never a published key: a key anyone can read lets them forge sessions and signed tokens.
    The key is written whole to a file of this process's own (mode 0600), then linked into
    place, which fails if another process got there first: two processes starting together
    agree, and neither ever reads a file the other has created but not yet written (as CI's two
    test passes, starting side by side in a fresh clone, once did).
    """
    path = Path(data_dir) / LOCAL_KEY_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        return _read_local_key(path)
    key = secrets.token_urlsafe(50)
    own = path.with_name(f".{LOCAL_KEY_NAME}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(own, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(key + "\n")
        os.link(own, path)
    except FileExistsError:
        return _read_local_key(path)
    finally:
        own.unlink(missing_ok=True)
    return key


def _read_local_key(path: Path) -> str:
    key = path.read_text(encoding="utf-8").strip()
    if not key:
        raise ImproperlyConfigured(f"{path} is empty: delete it and start again")
    return key


def public_url_parts(public_url: str) -> tuple[str, str, str]:
    """(scheme, host, origin) of ALDEA_PUBLIC_URL, refusing what is not an http(s) address."""
    parts = urlsplit(public_url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ImproperlyConfigured(
            f"ALDEA_PUBLIC_URL must look like https://aldea.example.org, not {public_url!r}"
        )
    return parts.scheme, parts.hostname, f"{parts.scheme}://{parts.netloc}"


def secure_settings(public_url: str, *, hsts_seconds: int, hsts_preload: bool) -> dict:
    """The settings an https public address implies, as healthchecks derives them from SITE_ROOT.

    Behind a TLS-terminating proxy Django sees plain http; the proxy's X-Forwarded-Proto says
    the request came in over https. Trusting that header is safe only when the proxy always sets
    it (docs/deploy.md shows how), which is why it follows from an https public address rather
    than being on by default. /healthz is exempt from the redirect so a load balancer can probe
    the app over plain http on the private network.
    """
    if not public_url:
        return {}
    scheme, _host, origin = public_url_parts(public_url)
    settings = {"CSRF_TRUSTED_ORIGINS": [origin]}
    if scheme != "https":
        return settings
    settings.update(
        SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
        SECURE_SSL_REDIRECT=True,
        SECURE_REDIRECT_EXEMPT=[r"^healthz$"],
        SESSION_COOKIE_SECURE=True,
        CSRF_COOKIE_SECURE=True,
        SECURE_HSTS_SECONDS=hsts_seconds,
        SECURE_HSTS_INCLUDE_SUBDOMAINS=hsts_seconds > 0,
        SECURE_HSTS_PRELOAD=hsts_preload and hsts_seconds > 0,
    )
    return settings


def sqlite_options(*, busy_timeout_seconds: int) -> dict:
    """OPTIONS for the SQLite database: one small office on one machine.

    * WAL: readers never wait for the writer, and the writer never waits for readers.
    * ``timeout``: a writer waits (up to this long) for another writer instead of failing.
    * IMMEDIATE transactions: a transaction takes the write lock when it begins. With SQLite's
      default DEFERRED a transaction that reads and then writes has to upgrade its lock, and
      when two do it at once SQLite answers "database is locked" at once, without honouring the
      timeout (the 500s of issue 9).
    * ``synchronous=NORMAL`` is durable in WAL mode except for the last commits before a power
      cut, and spares an fsync per commit.
    """
    return {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": busy_timeout_seconds,
    }


def postgres_options(*, jit: bool, pooled: bool) -> dict:
    """OPTIONS for PostgreSQL. JIT compilation off (decision O20): Aldea's queries are short
    look-ups asked row by row, whose summed costs start a compilation that took 0.7 s of a
    0.9 s count of memberships. Behind a pooler the start-up ``options`` may be refused, so
    there the role carries it (``ALTER ROLE aldea SET jit = off``, docs/deploy.md)."""
    return {} if jit or pooled else {"options": "-c jit=off"}


def logging_config(*, level: str, log_format: str) -> dict:
    """Logging: plain text or one JSON object a line, each record carrying the request id.

    ``aldea.access`` is the access log that ``aldea serve`` turns on (one line a request, with
    the status, the time taken and the request id); it logs at INFO whatever the root level.
    """
    if log_format not in {"text", "json"}:
        raise ImproperlyConfigured(f"ALDEA_LOG_FORMAT must be text or json, not {log_format!r}")
    formatter = (
        {"()": "aldea.ops.logs.JsonFormatter"}
        if log_format == "json"
        else {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    )
    handler = {
        "class": "logging.StreamHandler",
        "formatter": "aldea",
        "filters": ["request_id"],
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "aldea.ops.logs.RequestIdFilter"}},
        "formatters": {"aldea": formatter},
        "handlers": {"console": handler},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Off (WARNING) until `aldea serve` lowers it: runserver prints its own access lines.
            "aldea.access": {"handlers": ["console"], "level": "WARNING", "propagate": False},
            "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }


def init_error_reporting(dsn: str, *, environment: str, release: str) -> bool:
    """Send unhandled errors to Sentry (or any Sentry-compatible service) when a DSN is given.

    sentry-sdk is an optional extra (``pip install 'aldea[sentry]'``): installations that do not
    report errors do not carry it. No personal data is sent: the SDK's default leaves out users,
    cookies and request bodies, and the values of local variables (which hold names and contact
    details of the rows being processed) are not sent either. No performance traces.
    """
    if not dsn:
        return False
    try:
        import sentry_sdk
        from sentry_sdk.integrations.django import DjangoIntegration
    except ImportError as exc:
        raise ImproperlyConfigured(
            "ALDEA_SENTRY_DSN is set but sentry-sdk is not installed: pip install 'aldea[sentry]'"
        ) from exc
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        integrations=[DjangoIntegration()],
        include_local_variables=False,
        traces_sample_rate=0,
    )
    return True
