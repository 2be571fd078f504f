"""Aldea settings: every value comes from the environment, with defaults that run the demo on SQLite."""

import os
from pathlib import Path

import dj_database_url
import plotly
from django.core.exceptions import ImproperlyConfigured


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
DEBUG = env_bool("ALDEA_DEBUG", True)
DATA_DIR = Path(os.environ.get("ALDEA_DATA_DIR") or "var").resolve()
DATABASE_URL = os.environ.get("ALDEA_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'aldea.sqlite3'}"
SECRET_KEY = os.environ.get("ALDEA_SECRET_KEY", "")
ALLOWED_HOSTS = [h for h in os.environ.get("ALDEA_ALLOWED_HOSTS", "").split(",") if h]
PORT = env_int("ALDEA_PORT", 8000)
LANGUAGE_CODE = os.environ.get("ALDEA_LANGUAGE", "es-mx")
TIME_ZONE = os.environ.get("ALDEA_TIME_ZONE", "America/Mexico_City")
API_PAGE_SIZE = env_int("ALDEA_API_PAGE_SIZE", 50)
# Where the public site lives (https://aldea.example.org): product feeds link to the showcase.
PUBLIC_URL = os.environ.get("ALDEA_PUBLIC_URL", "").rstrip("/")

if DEBUG:
    # Development and demo only: a fixed key is harmless on a laptop and keeps sessions stable.
    SECRET_KEY = SECRET_KEY or "aldea-insecure-development-key-do-not-use-in-production"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "testserver", "[::1]"]
else:
    if not SECRET_KEY:
        raise ImproperlyConfigured("ALDEA_SECRET_KEY must be set when ALDEA_DEBUG is off")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALDEA_ALLOWED_HOSTS must be set when ALDEA_DEBUG is off")

# --- Django ----------------------------------------------------------------------------------
BASE_DIR = Path(__file__).resolve().parent

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "django_htmx",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
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

DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the demo server read while a task writes.
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

USE_I18N = True
USE_TZ = True
LANGUAGES = [("es-mx", "Español"), ("pt-br", "Português"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
WHITENOISE_USE_FINDERS = True  # serve straight from the package when collectstatic has not run
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every start without it
# plotly.min.js is served from the plotly package itself, so the version always matches.
STATICFILES_DIRS = [BASE_DIR / "static", ("plotly", Path(plotly.__file__).parent / "package_data")]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
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
    "consultancy, MSMEs, diagnostics, listings and outcomes.",
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ALDEA_LOG_LEVEL", "WARNING")},
}
