"""Settings for linesheet, every one of them from the environment (see README, "Settings")."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import dj_database_url
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("LINESHEET_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# The fallback key is for development and tests only; production sets SECRET_KEY.
SECRET_KEY = os.environ.get("SECRET_KEY") or "insecure-development-key-set-SECRET_KEY-in-production"
BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# The host BASE_URL names is always allowed, so setting BASE_URL alone serves the site there.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
if (_base_host := urlsplit(BASE_URL).hostname) and _base_host not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append(_base_host)
CSRF_TRUSTED_ORIGINS = [BASE_URL]

INSTALLED_APPS = [
    "linesheet.accounts.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "linesheet.core",
    "linesheet.accounts",
    "linesheet.catalog",
    "linesheet.ordering",
    "linesheet.documents",
    "linesheet.notifications",
    "linesheet.reporting",
    "linesheet.api",
    "linesheet.web",
    "linesheet.brand_app",
    "linesheet.buyer_app",
    "linesheet.demo",
]

MIDDLEWARE = [
    # First: every response, a redirect or a static file too, answers with the request's id.
    "linesheet.core.request_ids.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files, answered before anything else reads the request (see "Static files").
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "linesheet.accounts.time_zones.TimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "linesheet.core.csp.ContentSecurityPolicyMiddleware",
    "linesheet.accounts.attempt_pages.TooManyAttemptsMiddleware",
]

ROOT_URLCONF = "linesheet.urls"
WSGI_APPLICATION = "linesheet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------


# What sits between the app and PostgreSQL (DATABASE_POOLER): nothing, or PgBouncer handing
# each transaction whichever server connection is free.
POOLERS = ("none", "pgbouncer-transaction")


def database_settings(
    url: str, *, server_side_binding: bool, conn_max_age: int = 60, pooler: str = "none"
) -> dict[str, Any]:
    """Translate DATABASE_URL (sqlite:///path or postgres://...) into the default database.

    A connection is kept `conn_max_age` seconds for the requests its process or thread serves
    next (0: closed after each request), and checked before a request reuses it, so one that
    the server closed meanwhile is replaced instead of failing the request. For SQLite, the
    file's folder is made if missing. Behind a transaction pooler, nothing that lives in one
    server connection beyond a transaction is used (see docs/database.md).
    """
    if pooler not in POOLERS:
        raise ValueError(f"DATABASE_POOLER {pooler!r} is not one of {', '.join(POOLERS)}")
    database: dict[str, Any] = {
        **dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    }
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE takes the write lock when a transaction starts, so two writers queue on the
        # busy timeout instead of one failing with "database is locked" half-way through.
        database["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        database["CONN_MAX_AGE"] = 0
        if database["NAME"] not in ("", ":memory:"):
            Path(database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    elif database["ENGINE"] == "django.db.backends.postgresql" and pooler != "none":
        # The pooler gives each transaction whichever server connection is free: a prepared
        # statement, or a cursor kept open past its transaction (Django's iterator() outside
        # atomic), would be looked for on a connection that never had it.
        database["OPTIONS"] = {
            **database.get("OPTIONS", {}),
            "server_side_binding": False,
            "prepare_threshold": None,
        }
        database["DISABLE_SERVER_SIDE_CURSORS"] = True
    elif database["ENGINE"] == "django.db.backends.postgresql" and server_side_binding:
        # Parameters go apart from the SQL, and a statement a connection has run 5 times is
        # prepared, so PostgreSQL stops parsing and planning the same queries on every request.
        # Off behind PgBouncer in transaction mode: a prepared statement lives in one server
        # connection, and the pooler hands each transaction whichever one is free.
        database["OPTIONS"] = {
            **database.get("OPTIONS", {}),
            "server_side_binding": True,
            "prepare_threshold": 5,
        }
    return database


DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'linesheet.sqlite3'}"
_DATABASE_OPTIONS: dict[str, Any] = {
    "server_side_binding": env_bool("DATABASE_SERVER_SIDE_BINDING", True),
    # `linesheet runserver` sets 0: see manage.py.
    "conn_max_age": int(os.environ.get("DATABASE_CONN_MAX_AGE") or 60),
    "pooler": os.environ.get("DATABASE_POOLER") or "none",
}
DATABASES = {"default": database_settings(DATABASE_URL, **_DATABASE_OPTIONS)}
# A read replica of the same database: analytics, exports and PDFs read from it (and only
# they, by naming it: linesheet.core.replica), never a page that must show the user's own
# write. The test runner points it at the test database (MIRROR) instead of creating one.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **database_settings(
            DATABASE_REPLICA_URL,
            **{
                **_DATABASE_OPTIONS,
                "pooler": os.environ.get("DATABASE_REPLICA_POOLER") or _DATABASE_OPTIONS["pooler"],
            },
        ),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["linesheet.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Every password check (web and admin login, POST /api/v1/auth/token, a password change's
# current password) goes through this backend, which limits the attempts.
AUTHENTICATION_BACKENDS = ["linesheet.accounts.backends.AttemptLimitedBackend"]

# Password guessing: after this many failed logins for one email (or from one address) within
# the window, every password check refuses further attempts until the window has passed. An
# address gets more tries than an email: offices share one.
LOGIN_FAILURES_PER_EMAIL = int(os.environ.get("LOGIN_FAILURES_PER_EMAIL", "5"))
LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_FAILURES_PER_ADDRESS", "20"))
LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("LOGIN_FAILURE_WINDOW_SECONDS", "900"))
# Passcode guessing: the same for an order link's passcode, per link and per address.
PASSCODE_FAILURES_PER_LINK = int(os.environ.get("PASSCODE_FAILURES_PER_LINK", "10"))
PASSCODE_FAILURES_PER_ADDRESS = int(os.environ.get("PASSCODE_FAILURES_PER_ADDRESS", "20"))
PASSCODE_FAILURE_WINDOW_SECONDS = int(os.environ.get("PASSCODE_FAILURE_WINDOW_SECONDS", "900"))
# API tokens: how long one lives, and how many one user keeps (past that, issuing one revokes
# the token used longest ago: a script that logs in for every run cannot pile them up).
API_TOKEN_LIFETIME_DAYS = int(os.environ.get("API_TOKEN_LIFETIME_DAYS", "90"))
API_TOKENS_PER_USER = int(os.environ.get("API_TOKENS_PER_USER", "50"))
# The request header a reverse proxy puts the client's address in ("X-Forwarded-For": its last
# entry, the one the proxy added); empty: the address of the connection itself.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")

# --- HTTPS, cookies and headers ---------------------------------------------------------------
# A site whose BASE_URL is https:// (DEBUG off) is HTTPS only by default: a redirect, HSTS and
# cookies that never travel over plain HTTP. With the default http://127.0.0.1:8000, the site is
# being tried on loopback, where nothing speaks TLS: plain HTTP. Each can be set on its own.
HTTPS_ONLY = BASE_URL.startswith("https://") and not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS_ONLY)
# Behind a proxy that ends TLS: "X-Forwarded-Proto: https" says which header marks HTTPS.
SECURE_PROXY_SSL_HEADER = None
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    _header, _separator, _value = os.environ["SECURE_PROXY_SSL_HEADER"].partition(":")
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + _header.strip().upper().replace("-", "_"),
        _value.strip() or "https",
    )
# Health checks come from load balancers and systemd over plain HTTP, past the proxy.
SECURE_REDIRECT_EXEMPT = [r"^health/"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", HTTPS_ONLY)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", HTTPS_ONLY)
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = int(
    os.environ.get("SECURE_HSTS_SECONDS") or (31_536_000 if HTTPS_ONLY else 0)
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Uploads --------------------------------------------------------------------------------
# A multipart body (an order sheet: at most 5 MB, with its form) larger than this is refused
# before it is read: 413 request_too_large from the API, Django's 400 page from the web form.
UPLOAD_MAX_BYTES = 6 * 1024 * 1024
# Images (product photos, brand logos): each file at most IMAGE_MAX_BYTES and IMAGE_MAX_PIXELS
# (linesheet.core.images); a request that uploads several at once at most IMAGE_UPLOAD_MAX_BYTES
# (the views that take images name it: core.uploads.upload_limit).
IMAGE_MAX_BYTES = int(os.environ.get("IMAGE_MAX_BYTES") or 15 * 1024 * 1024)
IMAGE_MAX_PIXELS = int(os.environ.get("IMAGE_MAX_PIXELS") or 40_000_000)
IMAGE_UPLOAD_MAX_BYTES = int(os.environ.get("IMAGE_UPLOAD_MAX_BYTES") or 64 * 1024 * 1024)
# A link to a private file (core.stored_files) stays the same for this long, so browsers cache
# the file, and is honoured up to twice as long.
FILE_LINK_PERIOD_SECONDS = int(os.environ.get("FILE_LINK_PERIOD_SECONDS") or 6 * 3600)
FILE_UPLOAD_HANDLERS = [
    "linesheet.core.uploads.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- Email ----------------------------------------------------------------------------------


def email_settings(url: str) -> dict[str, object]:
    """Translate EMAIL_URL (console://, smtp://host:port, smtp+tls://user:pw@host:port)."""
    parts = urlsplit(url)
    if parts.scheme in ("", "console"):
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme not in ("smtp", "smtp+tls", "smtps"):
        raise ValueError(
            f"EMAIL_URL scheme {parts.scheme!r} is not one of console, smtp, smtp+tls, smtps"
        )
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": parts.scheme == "smtp+tls",
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_TIMEOUT": 10,
    }


EMAIL_URL = os.environ.get("EMAIL_URL", "console://")
globals().update(email_settings(EMAIL_URL))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "linesheet <no-reply@linesheet.test>")

# --- Background tasks -----------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Attempts for a task before it is left FAILED for support; the wait doubles each time.
TASK_MAX_ATTEMPTS = int(os.environ.get("TASK_MAX_ATTEMPTS", "8"))
TASK_RETRY_BASE_SECONDS = float(os.environ.get("TASK_RETRY_BASE_SECONDS", "30"))
# A worker writes a heartbeat every TASK_HEARTBEAT_SECONDS; a RUNNING task whose worker has not
# been seen for TASK_LEASE_SECONDS was left by a dead worker, and the live ones requeue it.
TASK_LEASE_SECONDS = float(os.environ.get("TASK_LEASE_SECONDS", "60"))
TASK_HEARTBEAT_SECONDS = float(os.environ.get("TASK_HEARTBEAT_SECONDS", "10"))
# Order PDFs and exports of more lines than this are made by the task worker, not while the
# request waits (reporting.order_documents); line sheets always are.
DOCUMENT_BACKGROUND_LINES = int(os.environ.get("DOCUMENT_BACKGROUND_LINES", "500"))
# Generated documents (and their files) are deleted this long after they were asked for.
DOCUMENT_RETENTION_DAYS = int(os.environ.get("DOCUMENT_RETENTION_DAYS", "7"))
# Finished tasks are kept this long for support to see, then `run_periodic` deletes them.
TASK_RESULT_RETENTION_DAYS = int(os.environ.get("TASK_RESULT_RETENTION_DAYS", "14"))

# --- I18N -----------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The zone the business counts its days in (deadlines, order-code dates, analytics periods),
# and of a new brand or organisation; times are shown in each viewer's own zone.
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Files the app keeps ---------------------------------------------------------------------
# Through STORAGES["default"]: a folder outside the code (FILES_ROOT, default var/files), or an
# S3-compatible bucket (FILES_S3_BUCKET; credentials from the usual AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY, or the machine's role). The files are private: never served as they
# are, only through views that check who asks (a bucket's links are signed and expire).
MEDIA_ROOT = Path(os.environ.get("FILES_ROOT") or VAR_DIR / "files")


def file_storage(environ: Mapping[str, str]) -> dict[str, Any]:
    """Return STORAGES["default"]: the S3-compatible bucket named by FILES_S3_BUCKET, else disk."""
    bucket = environ.get("FILES_S3_BUCKET", "").strip()
    if not bucket:
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": MEDIA_ROOT, "directory_permissions_mode": 0o750},
        }
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": environ.get("FILES_S3_ENDPOINT_URL") or None,
            "region_name": environ.get("FILES_S3_REGION") or None,
            "location": environ.get("FILES_S3_PREFIX", "").strip("/"),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "signature_version": "s3v4",
            "file_overwrite": False,
        },
    }


# --- Static files ---------------------------------------------------------------------------
# `linesheet collectstatic` (which `linesheet serve` runs) copies them to STATIC_ROOT with the
# hash of their content in their names, gzip-compressed beside them; WhiteNoise serves them from
# the web processes, the hashed names cached for a year (they never change), the others 60 s.
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or VAR_DIR / "static")
STORAGES = {
    "default": file_storage(os.environ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Source maps are fetched by a developer's tools only: not worth compressing (seconds each).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]
# Pages name only the hashed copies: the others would be compressed and kept for nothing.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "linesheet.api.auth.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "linesheet.api.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "linesheet.api.pagination.CursorPage",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "linesheet.api.problems.problem_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "linesheet API",
    "DESCRIPTION": "B2B wholesale ordering: brands, catalogs, buyers, carts and orders.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # The Swagger UI's files come with the app (drf-spectacular-sidecar), not from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "CatalogStatusEnum": "linesheet.catalog.models.CatalogStatus",
        "OrderStatusEnum": "linesheet.ordering.statuses.OrderStatus",
        "LineChangeEnum": "linesheet.api.orders.change_serializers.LINE_CHANGES",
        "HeaderFieldEnum": "linesheet.api.orders.change_serializers.HEADER_FIELD_NAMES",
        "BrandRoleEnum": "linesheet.accounts.models.BrandRole",
        "AssignableRoleEnum": "linesheet.api.members.serializers.ASSIGNABLE_ROLES",
        "PermissionEnum": "linesheet.accounts.permissions.Permission",
        "BrandEventKindEnum": "linesheet.accounts.models.BrandEventKind",
        "OrganizationEventKindEnum": "linesheet.accounts.models.OrganizationEventKind",
        "AddressKindEnum": "linesheet.accounts.models.AddressKind",
    },
}

# --- Logs and error reports -------------------------------------------------------------------
# One JSON object a line on stderr (LOG_FORMAT=text: lines for a person), each with the id of the
# request it belongs to, or of the task and the request that enqueued it (core/request_ids.py).
# With ADMINS set, every error logged (a 500, a task that failed) is emailed to them.
LOG_FORMAT = os.environ.get("LOG_FORMAT") or ("text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ValueError(f"LOG_FORMAT must be json or text, got {LOG_FORMAT!r}")
ADMINS = [("", address) for address in env_list("ADMINS", "")]
SERVER_EMAIL = DEFAULT_FROM_EMAIL
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "context": {"()": "linesheet.core.request_ids.ContextFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "json": {"()": "linesheet.core.logs.JsonFormatter"},
        "text": {"()": "linesheet.core.logs.TextFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["context"],
            "formatter": LOG_FORMAT,
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["context", "require_debug_false"],
        },
    },
    "root": {
        "handlers": ["console", "mail_admins"],
        "level": os.environ.get("LOG_LEVEL", "WARNING"),
    },
    # Django's own loggers write through the handlers above, like every other.
    "loggers": {"django": {"handlers": [], "level": "NOTSET", "propagate": True}},
}
