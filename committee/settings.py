"""Django settings for Bio Committee Desk, read from the environment.

With nothing configured the system runs on embedded defaults (SQLite, Celery's
filesystem broker, mail written to files); DATABASE_URL and REDIS_URL switch to
PostgreSQL and Redis.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), not {value!r}")


def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "false")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off (on your own machine: bin/manage <command>, or DEBUG=true)"
        )
    SECRET_KEY = "insecure-development-key-only-for-debug"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "committee.audit",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    # The proposal body's editor: its static files only (policies/static/portal/rich-text.js starts it).
    "django_prose_editor",
    "committee.directory",
    "committee.outbox",
    "policies",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in person's language is their profile's (the settings page), not the cookie's or the browser's.
    "committee.directory.language.ProfileLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Sign-in hardening: idle and absolute session lifetimes, then the second factor (after auth and messages).
    "committee.directory.sessions.SessionLifetimeMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "committee.directory.twofactor.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Refused requests (403) in the audit log, written after the refused verb's transaction has rolled back.
    "committee.directory.refusals.RefusalAuditMiddleware",
]

ROOT_URLCONF = "committee.urls"
WSGI_APPLICATION = "committee.wsgi.application"

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
                "committee.outbox.context_processors.notifications",
            ],
        },
    },
    {
        # Plain text (email subjects and text bodies): nothing is HTML, so nothing is escaped. Through the default
        # engine "Minister's plan" reached the reader as "Minister&#x27;s plan".
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {"autoescape": False},
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", "60"),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves web, worker and beat at once: wait for locks instead of failing.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not envbool("DB_JIT", "false"):
    # PostgreSQL's JIT compiles any statement its planner costs above 100,000: at 100,000 proposals that is
    # every list's visibility filter, and compiling took 2-4 s for statements that run in 0.2 s
    # (bench/RESULTS.md). Short interactive queries never pay back compilation, so it is off per connection.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        # Government guidance for password-only accounts; a second factor does not lower it.
        "OPTIONS": {"min_length": envint("PASSWORD_MIN_LENGTH", "12")},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = ["committee.directory.auth.LockoutModelBackend"]
# After this many failed sign-ins from one address for one username, that pair waits out the window.
LOGIN_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", "10")
LOGIN_LOCKOUT_SECONDS = envint("LOGIN_LOCKOUT_SECONDS", "900")
# How many proxies in front of us append to X-Forwarded-For (a load balancer, nginx). 0: the socket's address
# is the client's and the header is ignored. The lockout and the API's login throttle both count by this
# address (committee.directory.auth.client_address); too high a number lets clients choose their address.
NUM_PROXIES = envint("NUM_PROXIES", "0")
if NUM_PROXIES < 0:
    raise ImproperlyConfigured(f"NUM_PROXIES must be 0 or more, not {NUM_PROXIES}")

# API tokens (django-rest-knox, stored hashed, several per user): one unused for API_TOKEN_IDLE_SECONDS
# expires; use moves its expiry on, written at most once a minute. Revoked on password change or deactivation.
API_TOKEN_IDLE_SECONDS = envint("API_TOKEN_IDLE_SECONDS", str(14 * 24 * 3600))
if API_TOKEN_IDLE_SECONDS < 1:
    raise ImproperlyConfigured(f"API_TOKEN_IDLE_SECONDS must be 1 or more, not {API_TOKEN_IDLE_SECONDS}")
KNOX_TOKEN_MODEL = "directory.ApiToken"
REST_KNOX = {
    "TOKEN_TTL": timedelta(seconds=API_TOKEN_IDLE_SECONDS),
    "AUTO_REFRESH": True,
    "MIN_REFRESH_INTERVAL": 60,
}

# --- sign-in hardening: second factor, session lifetimes, Content-Security-Policy ---------------------
# TOTP (django-otp) with recovery codes. Required for the secretariat, staff and superusers unless turned
# off; in DEBUG it is off by default so that `bin/run` signs in with the demo password alone.
OTP_REQUIRED_FOR_STAFF = envbool("OTP_REQUIRED_FOR_STAFF", "false" if DEBUG else "true")
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Bio Committee Desk")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the device admin never shows a TOTP key or its QR code
RECOVERY_CODE_COUNT = 10
# A session ends after this long without a request, and this long after sign-in whatever happens.
SESSION_IDLE_SECONDS = envint("SESSION_IDLE_SECONDS", str(30 * 60))
SESSION_MAX_SECONDS = envint("SESSION_MAX_SECONDS", str(12 * 60 * 60))
SESSION_COOKIE_AGE = SESSION_MAX_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Everything comes from this site; no inline script or style anywhere (the Swagger UI's start-up script
# is a separate file: SpectacularSwaggerSplitView). Data URIs only for images (Swagger UI's icons).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# --- end of sign-in hardening

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:start"  # the secretariat's dashboard in the admin, or the portal (portal/landing.py)
LOGOUT_REDIRECT_URL = "login"

# Internationalisation: the committee works in Korean; English is offered to everyone.
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "ko")
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

# Attachments: what a liaison may upload with a proposal.
ATTACHMENT_MAX_BYTES = envint("ATTACHMENT_MAX_BYTES", str(20 * 1024 * 1024))
ATTACHMENT_CONTENT_TYPES = {
    "application/pdf": ".pdf",
    "application/msword": ".doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
    "application/x-hwp": ".hwp",
    "application/haansofthwp": ".hwp",
    "application/vnd.hancom.hwpx": ".hwpx",
    "text/plain": ".txt",
    "text/csv": ".csv",
    "image/png": ".png",
    "image/jpeg": ".jpg",
}
# Whole requests may carry an attachment plus form fields; Django refuses larger bodies itself.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Email: Django's own setting names. Without EMAIL_HOST mail is written to files a newcomer can read.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "false")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", "30")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Bio Committee Desk <noreply@bio-committee.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL


def organizer_mailbox(value: str, from_email: str) -> str:
    """The mailbox meeting invitations name as organizer: replies go there, so it must be read by someone."""
    address = (value or f"secretariat@{from_email.split('<')[-1].rstrip('>').rpartition('@')[2]}").strip()
    local, _at, domain = address.rpartition("@")
    if not local or not domain or local.lower().replace("-", "").replace("_", "") in {"noreply", "donotreply"}:
        raise ImproperlyConfigured(
            f"COMMITTEE_ORGANIZER_EMAIL must be a mailbox the secretariat reads, not {address!r}"
        )
    return address


# Meeting invitations name this mailbox as organizer (calendar replies and questions reach the secretariat).
COMMITTEE_ORGANIZER_EMAIL = organizer_mailbox(os.environ.get("COMMITTEE_ORGANIZER_EMAIL", ""), DEFAULT_FROM_EMAIL)
# How long the attend / delegate / absent links in an invitation email stay valid.
ATTENDANCE_REPLY_LINK_DAYS = envint("ATTENDANCE_REPLY_LINK_DAYS", "90")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "committee.outbox.mailfiles.EmailBackend")  # one file a message
    EMAIL_FILE_PATH = Path(os.environ.get("EMAIL_FILE_PATH", VAR_DIR / "mail"))

# Celery: Redis when REDIS_URL is set, otherwise a broker that needs no server.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", "3600")}
else:
    _broker_dir = VAR_DIR / "celery-broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery closes each database connection after each task unless this is set; it then closes them every 1,000
# tasks, and keep_healthy_database_connections (celery.py) drops broken or old ones (CONN_MAX_AGE) around each.
CELERY_DB_REUSE_MAX = 1000
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", "false")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must not hang a web request when the broker is down: the outbox sweeper catches up.
CELERY_BROKER_CONNECTION_TIMEOUT = envint("CELERY_BROKER_CONNECTION_TIMEOUT", "2")
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")

# Email outbox: retries of transient SMTP failures back off exponentially up to a cap, then the row fails
# (the admin can retry it). A worker that dies mid-send leaves a claim that expires after the lease.
OUTBOX_MAX_ATTEMPTS = envint("OUTBOX_MAX_ATTEMPTS", "8")
OUTBOX_BACKOFF_SECONDS = envint("OUTBOX_BACKOFF_SECONDS", "60")
OUTBOX_BACKOFF_MAX_SECONDS = envint("OUTBOX_BACKOFF_MAX_SECONDS", "3600")
OUTBOX_CLAIM_LEASE_SECONDS = envint("OUTBOX_CLAIM_LEASE_SECONDS", "600")
# Attachments are kept in the database with their email; a letter whose attachments together exceed this is
# refused when written (link large papers instead of attaching them).
OUTBOX_MAX_ATTACHMENT_BYTES = envint("OUTBOX_MAX_ATTACHMENT_BYTES", str(10 * 1024 * 1024))
# The function that takes a recipient off one kind of email (RFC 8058 one-click link in every email), called
# as handler(user, kind); kinds registered as mandatory (committee.outbox.kinds) never reach it.
OUTBOX_UNSUBSCRIBE_HANDLER = "policies.services.preferences.unsubscribe"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "committee.directory.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only, errors included: no browsable HTML API (the Swagger UI at /api/docs/ is for people).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON bodies (uploads and the token endpoint say otherwise): a form has no null and no types. JSON nested
    # deeper than Python can decode answers 400, not 500.
    "DEFAULT_PARSER_CLASSES": ["policies.api.parsers.JSONParser"],
    # `?format=` empty or unknown answers 400.
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "policies.api.negotiation.ContentNegotiation",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "policies.api.filters.SearchFilter",  # the domain's own search where a view names one
        "policies.api.filters.OrderingFilter",  # an ordering the list does not offer answers 400
    ],
    # Page numbers checked as the schema says (an empty or mistyped `page` is 400), `page_size` up to 100.
    "DEFAULT_PAGINATION_CLASS": "committee.pagination.Pagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "policies.api.schema.AutoSchema",  # documents the generic errors once
    "DEFAULT_THROTTLE_RATES": {"login": os.environ.get("LOGIN_THROTTLE_RATE", "10/min")},
    "NUM_PROXIES": NUM_PROXIES,
    # Domain refusals at the status each carries (409/403/412/413), django ValidationError -> 400,
    # ProtectedError -> 409; every error body says its stable `code` (committee/errors.py).
    "EXCEPTION_HANDLER": "policies.api.base.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Bio Committee Desk API",
    "DESCRIPTION": "Proposals, consultations, meetings, decisions and follow-up actions of the National Bio Committee.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # No badge fetched from the public swagger.io validator: a closed network, and the CSP allows no other host.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # Every error's `code` (policies/api/schema.py), one enum whoever answers it. The transitions endpoint's
    # actions keep their component's name beside the timeline's (every kind of event).
    "ENUM_NAME_OVERRIDES": {
        "ErrorCodeEnum": "policies.api.schema.error_codes",
        "ActionEnum": "policies.workflow.USER_ACTIONS",
        "ProposalEventActionEnum": "policies.models.ProposalEvent.Action",
        "ConsultationStatusEnum": "policies.models.Consultation.Status",
        "MeetingKindEnum": "policies.models.Meeting.Kind",
        "AgendaItemKindEnum": "policies.models.AgendaItem.Kind",
        "AttendanceStatusEnum": "policies.models.Attendance.Status",
        "MinutesStatusEnum": "policies.models.Minutes.Status",
        # One enum for every kind's email choice (/api/v1/me/ email_choices), and one for the mandatory kinds.
        "EmailDeliveryEnum": "committee.outbox.models.EmailChoice.Delivery",
        "MandatoryEmailDeliveryEnum": ["instant"],
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "policies.api.schema.forbid_null_characters",
    ],
}

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "desk"}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Production hardening; `manage.py check --deploy` is clean when DEBUG is off and HTTPS is in front.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", "false" if DEBUG else "true")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "false")
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0")
# Both commit every subdomain (and, with preload, browsers' built-in lists) to HTTPS: the operator opts in.
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "false")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "false")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "bio-demo-2026")
