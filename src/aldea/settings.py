"""Aldea settings: every value comes from the environment, with defaults that run the demo on SQLite."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from aldea.ops import conf as ops_conf


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


# --- environment -------------------------------------------------------------------------------
# Off unless asked for, the demo included: with it on, a mistyped address showed Django's
# debug page (every URL pattern, the settings) instead of the site's own 404.
DEBUG = env_bool("ALDEA_DEBUG", False)
# `aldea demo` (aldea.cli) sets it: a laptop's demo, with DEBUG off as in production, a secret
# key generated into the data folder and only this machine's host names.
DEMO = env_bool("ALDEA_DEMO", False)
DATA_DIR = Path(os.environ.get("ALDEA_DATA_DIR") or "var").resolve()
# Secrets may also come from files: ALDEA_SECRET_KEY_FILE, ALDEA_DATABASE_URL_FILE, ...
DATABASE_URL = ops_conf.env_secret("ALDEA_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'aldea.sqlite3'}"
SECRET_KEY = ops_conf.env_secret("ALDEA_SECRET_KEY")
ALLOWED_HOSTS = [h for h in os.environ.get("ALDEA_ALLOWED_HOSTS", "").split(",") if h]
PORT = env_int("ALDEA_PORT", 8000)
LANGUAGE_CODE = os.environ.get("ALDEA_LANGUAGE", "es-mx")
TIME_ZONE = os.environ.get("ALDEA_TIME_ZONE", "America/Mexico_City")
API_PAGE_SIZE = env_int("ALDEA_API_PAGE_SIZE", 50)
# Where the public site lives (https://aldea.example.org): product feeds link to the showcase.
# An https address also turns on HSTS, the SSL redirect and Secure cookies (aldea.ops.conf).
PUBLIC_URL = os.environ.get("ALDEA_PUBLIC_URL", "").rstrip("/")
# `aldea migrate` loads the packaged territories (Mexico, Brazil) into an empty Country table.
LOAD_TERRITORIES_ON_MIGRATE = env_bool("ALDEA_LOAD_TERRITORIES", True)

# --- production operations (aldea.ops; every variable in docs/deploy.md) ---------------------
LOG_FORMAT = os.environ.get("ALDEA_LOG_FORMAT", "text")
# Seconds a database connection is kept between requests; 0 behind a pooler (docs/deploy.md).
CONN_MAX_AGE = env_int("ALDEA_CONN_MAX_AGE", 600)
# PgBouncer in transaction mode: no persistent connections and no server-side cursors.
DATABASE_POOLED = env_bool("ALDEA_DATABASE_POOLED", False)
# PostgreSQL's JIT compilation, off unless asked for (decision O20).
DATABASE_JIT = env_bool("ALDEA_DATABASE_JIT", False)
SQLITE_BUSY_TIMEOUT = env_int("ALDEA_SQLITE_BUSY_TIMEOUT", 20)
HSTS_SECONDS = env_int("ALDEA_HSTS_SECONDS", ops_conf.DEFAULT_HSTS_SECONDS)
HSTS_PRELOAD = env_bool("ALDEA_HSTS_PRELOAD", False)
EMAIL_HOST = os.environ.get("ALDEA_EMAIL_HOST", "")
EMAIL_PORT = env_int("ALDEA_EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("ALDEA_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = ops_conf.env_secret("ALDEA_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("ALDEA_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("ALDEA_EMAIL_FROM", "aldea@localhost")
SENTRY_DSN = ops_conf.env_secret("ALDEA_SENTRY_DSN")
API_TOKEN_DAYS = env_int("ALDEA_API_TOKEN_DAYS", 30)
LOGIN_FAILURE_LIMIT = env_int("ALDEA_LOGIN_FAILURE_LIMIT", 10)
LOGIN_COOLOFF_MINUTES = env_int("ALDEA_LOGIN_COOLOFF_MINUTES", 15)
# Uploads larger than this, or of about more rows, are checked and imported by `aldea worker`.
UPLOAD_WORKER_BYTES = env_int("ALDEA_UPLOAD_WORKER_BYTES", 5 * 1024 * 1024)
UPLOAD_WORKER_ROWS = env_int("ALDEA_UPLOAD_WORKER_ROWS", 20_000)
# The overview's counts are kept as a snapshot for a view of at least this many participant
# MSMEs, and the worker counts again a snapshot older than the age in seconds below (O17).
OVERVIEW_SNAPSHOT_MSMES = env_int("ALDEA_OVERVIEW_SNAPSHOT_MSMES", 5_000)
OVERVIEW_MAX_AGE = env_int("ALDEA_OVERVIEW_MAX_AGE", 300)

if DEBUG or DEMO:
    # Development and demo only: a key generated into the data folder, never a published one.
    SECRET_KEY = SECRET_KEY or ops_conf.local_secret_key(DATA_DIR)
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "testserver", "[::1]"]
else:
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "ALDEA_SECRET_KEY must be set when ALDEA_DEBUG is off (or ALDEA_SECRET_KEY_FILE, naming "
            "a file that holds it); make one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    if not ALLOWED_HOSTS and PUBLIC_URL:
        ALLOWED_HOSTS = [ops_conf.public_url_parts(PUBLIC_URL)[1]]
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALDEA_ALLOWED_HOSTS must be set when ALDEA_DEBUG is off "
            "(or ALDEA_PUBLIC_URL, whose host is then the one allowed)"
        )
# ----------------------------------------------------------------------------------------------

# --- Django ----------------------------------------------------------------------------------
BASE_DIR = Path(__file__).resolve().parent

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # runserver (`aldea demo`) leaves static files to WhiteNoise, so they come compressed there too.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "django_htmx",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "auditlog",
    "aldea.ops",
    "aldea.core",
    "aldea.territories",
    "aldea.accounts",
    "aldea.programmes",
    "aldea.partners",
    "aldea.training",
    "aldea.enterprises",
    "aldea.diagnostics",
    "aldea.consulting",
    "aldea.outcomes",
    "aldea.people",
    "aldea.reporting",
    "aldea.showcase",
    "aldea.workspace",
    "aldea.interop",
    "aldea.demo",
]

MIDDLEWARE = [
    "aldea.ops.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Pages shrink about fourfold: it matters on a village's mobile connection. CSRF tokens are
    # masked per response, which is Django's answer to BREACH.
    "django.middleware.gzip.GZipMiddleware",
    # Static files from Aldea itself, also in production: field offices may have no CDN access.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Sets request.htmx: views choose the partial an htmx request swaps in.
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "aldea.ops.middleware.NoStoreForSignedInMiddleware",
    # After authentication: every change the request makes is written with its user (O10).
    "aldea.ops.middleware.AuditMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "aldea.urls"
WSGI_APPLICATION = "aldea.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "aldea.workspace.navigation.navigation",
            ],
        },
    }
]

# One connection per web worker process (and per task worker), kept for CONN_MAX_AGE and
# checked before reuse, so a restarted database costs one failed check, not a 500.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=0 if DATABASE_POOLED else CONN_MAX_AGE, conn_health_checks=True
    )
}
if DATABASE_POOLED:
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        ops_conf.postgres_options(jit=DATABASE_JIT, pooled=DATABASE_POOLED))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = ops_conf.sqlite_options(busy_timeout_seconds=SQLITE_BUSY_TIMEOUT)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Refuses every login door (page, API token, admin) for a username with too many failures.
    "aldea.accounts.throttling.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]

USE_I18N = True
USE_TZ = True
LANGUAGES = [("es-mx", "Español"), ("pt-br", "Português"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
WHITENOISE_USE_FINDERS = True  # serve straight from the package when collectstatic has not run
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every start without it
# The charts' plotly.js is a partial bundle vendored there (tools/build_plotly.sh).
STATICFILES_DIRS = [BASE_DIR / "static"]
# Names with a hash of the content, so WhiteNoise sends them with a year's caching (immutable),
# and gzip and brotli copies made once by collectstatic, not per request: the pages' scripts
# come to a village's phone once and small. `aldea serve` and `aldea demo` run collectstatic;
# with DEBUG on, Django links the unhashed names, served from the source folders.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_KEEP_ONLY_HASHED_FILES = True  # half the files to compress; pages link only hashed names
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "aldea.accounts.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # DRF's three, with JSON refusing absurd nesting (a RecursionError otherwise answered 500).
    "DEFAULT_PARSER_CLASSES": [
        "aldea.core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": API_PAGE_SIZE,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "aldea.core.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "aldea.core.api.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Aldea API",
    "DESCRIPTION": "Digital-village programmes: territories, partners, training cascade, "
    "consultancy, MSMEs, diagnostics, listings and outcomes.\n\n"
    "**Paging.** Lists of the small tables answer `count`, `next`, `previous` and `results`; "
    "ask for a page with `?page=N`. Lists of the large tables (outcome records, attendance, "
    "people, memberships, enrolments, assessment results, certificates, MSMEs, products, "
    "assessments, engagement stage changes, meetings, action items, listings) page by cursor: "
    "they answer `next`, `previous` and `results`, with no `count`; follow the `next` link "
    "until it is null. Filters and `ordering` stay in the links. Pages are in the order of the "
    "primary key unless `ordering` names a field that is never empty (docs/api.md).",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the package, not a CDN: field offices may have no internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The enum hook is drf-spectacular's default; ours documents the error statuses.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "aldea.core.openapi.add_error_responses",
    ],
}

TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}

LOGGING = ops_conf.logging_config(level=os.environ.get("ALDEA_LOG_LEVEL", "WARNING"), log_format=LOG_FORMAT)

# --- security and accounts (aldea.ops, aldea.accounts; docs/deploy.md) ------------------------
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

globals().update(ops_conf.secure_settings(PUBLIC_URL, hsts_seconds=HSTS_SECONDS, hsts_preload=HSTS_PRELOAD))
# axes.W006 asks to count failures by address too: a field office shares one address, and one
# person's typos would lock out the whole office. Failures are counted by user name (O4).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
if not HSTS_PRELOAD:
    # W021 says the site could not join browsers' preload lists: joining is the domain owner's
    # decision (ALDEA_HSTS_PRELOAD=true), not a default (docs/decisions.md, O3).
    SILENCED_SYSTEM_CHECKS.append("security.W021")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Scripts only from Aldea itself, inline ones only with the page's nonce; styles may be inline
# (the templates' style blocks and Plotly's own); nothing from other sites but product photos.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", "https:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# django-axes: LOGIN_FAILURE_LIMIT failures for one username, then a cool-off, whatever the IP
# (an attacker has many addresses; a username is what is attacked).
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = LOGIN_COOLOFF_MINUTES / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "aldea.accounts.throttling.lockout_response"
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    # No mail server configured: messages (password resets) are written to files to read by hand.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "sent-mail"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a day: field staff may read the message late

# --- the audit trail (aldea.ops.audit; docs/decisions.md O10) --------------------------------
# Every model is tracked unless it is bookkeeping of the machinery itself (sessions, the task
# queue, login attempts, the trail). Imports and exports write their own entries.
AUDITLOG_LOGENTRY_MODEL = "ops.AuditEntry"
AUDITLOG_INCLUDE_ALL_MODELS = True
AUDITLOG_EXCLUDE_TRACKING_MODELS = (
    "admin", "auth.permission", "contenttypes", "sessions", "django_tasks_database", "axes",
    "auditlog", "ops.workerheartbeat", "ops.auditentry", "accounts.signedinsession",
    "interop.uploadjob", "ops.processedwrite",
    # Computed from the outcome records (whose changes are in the trail) on every write and run.
    "outcomes.outcomerollup", "workspace.overviewsnapshot",
)
# Written on every login or API call, or on every save: noise that would bury the changes.
AUDITLOG_EXCLUDE_TRACKING_FIELDS = ("last_login", "last_used_at", "updated_at")
# Secrets are never copied into the trail; the entry says they changed.
AUDITLOG_MASK_TRACKING_FIELDS = ("password", "key_digest", "password_fingerprint", "key")
AUDITLOG_STORE_JSON_CHANGES = True
ops_conf.init_error_reporting(SENTRY_DSN, environment=os.environ.get("ALDEA_ENVIRONMENT", "production"),
                              release=SPECTACULAR_SETTINGS["VERSION"])
