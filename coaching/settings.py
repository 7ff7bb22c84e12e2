"""RunStrong settings, read from the environment.

Embedded defaults (SQLite, tasks in-process, media on disk) make a bare laptop
run the app; production sets DATABASE_URL, REDIS_URL, SECRET_KEY and friends.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from coaching.env import env_bool, env_int, env_list, env_str, env_time_zone, env_url

# Lets generic classes such as ModelAdmin[Club] be subscripted at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = "insecure-development-key-never-used-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "coaching",
    "athletes",
    "plans",
    "training",
    "portability",
    "comms",
    "training.videos",
]

# Fails any database write made while serving a GET or HEAD (coaching/readonly_get.py): on
# in the test suite; outermost, so it sees what the other middleware write too.
READ_ONLY_GET_CHECK = env_bool("READ_ONLY_GET_CHECK", default=False)

MIDDLEWARE = [
    "coaching.readonly_get.ReadOnlyGetMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are small on a phone's weak signal; Django pads the response against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "coaching.middleware.private_pages",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = env_str("ROOT_URLCONF", "coaching.urls")
WSGI_APPLICATION = "coaching.wsgi.application"
ASGI_APPLICATION = "coaching.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "comms.context_processors.unread",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DEFAULT_DATABASE_URL = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
_database_url = env_url("DATABASE_URL", schemes=("postgres", "postgresql", "sqlite"))
try:
    DATABASES = {
        "default": dj_database_url.parse(
            _database_url or DEFAULT_DATABASE_URL,
            conn_max_age=env_int("DB_CONN_MAX_AGE", default=60, minimum=0),
            conn_health_checks=True,
        )
    }
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL is malformed: {error}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite locks the whole file; a short wait beats a "database is locked" error.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "coaching.User"

# --- Auth -----------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login rate limiting: five wrong passwords for one account from one address lock that
# pair out for a quarter of an hour; a successful login clears the count.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", default=5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", default=15, minimum=1))
# How long an athlete invitation link stays valid.
INVITATION_DAYS = env_int("INVITATION_DAYS", default=7, minimum=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# How many proxies stand in front of the app (the compose stack's nginx: 1). The client's
# address for lockouts is the one the outermost trusted proxy saw (coaching/auth.py).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", default=0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "coaching.auth.client_ip"
AXES_RESET_ON_SUCCESS = True
# The login form posts the email in a field called "username" (Django's AuthenticationForm).
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "coaching.auth.login_attempt_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Time -----------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_time_zone("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Media (form videos) is private: never served under a public URL.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Form videos: a private folder outside every URL space, or an S3-compatible bucket
# (django-storages) when VIDEO_BUCKET is set. Either way served only by the permission-checked
# views of training/videos.
VIDEO_ROOT = Path(env_str("VIDEO_ROOT", str(BASE_DIR / "private" / "videos")))
# tus chunks of uploads in progress; must be local disk (appended to, never read whole).
VIDEO_UPLOAD_DIR = Path(env_str("VIDEO_UPLOAD_DIR", str(BASE_DIR / "private" / "uploads")))
VIDEO_BUCKET = env_str("VIDEO_BUCKET")
if VIDEO_BUCKET:
    _video_storage: dict[str, object] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": VIDEO_BUCKET,
            "endpoint_url": env_str("VIDEO_BUCKET_ENDPOINT_URL") or None,
            "region_name": env_str("VIDEO_BUCKET_REGION") or None,
            "access_key": env_str("VIDEO_BUCKET_ACCESS_KEY_ID") or None,
            "secret_key": env_str("VIDEO_BUCKET_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": env_int("VIDEO_URL_EXPIRY_SECONDS", default=300, minimum=30),
            "file_overwrite": False,
        },
    }
else:
    _video_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VIDEO_ROOT, "base_url": None},
    }
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "videos": _video_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("PLAIN_STATIC_STORAGE", default=False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Celery ---------------------------------------------------------------
REDIS_URL = env_url("REDIS_URL", schemes=("redis", "rediss"))
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
# Without a broker, tasks run in-process; delay_on_commit still waits for the commit.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", default=600, minimum=1)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", default=540, minimum=1)
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE_PREFIX", "runstrong") + ".default"
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Publishing must fail fast when Redis is down: the set is already stored, and
# the nightly job recomputes whatever the lost message would have done.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "socket_connect_timeout": 2,
    # An unacknowledged message (acks_late: its worker died mid-task) goes back on
    # the queue after this many seconds. It must exceed CELERY_TASK_TIME_LIMIT, or
    # a slow task would run twice; the fault tests shorten it.
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", default=3600, minimum=1),
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
# Transcodes run on their own queue, so long videos never delay progression or email.
CELERY_VIDEO_QUEUE = env_str("CELERY_QUEUE_PREFIX", "runstrong") + ".videos"
# core is no app, so autodiscovery does not find its tasks: the worker imports them.
CELERY_IMPORTS = ("core.mail",)
CELERY_TASK_ROUTES = {
    "training.videos.tasks.video_process": {"queue": CELERY_VIDEO_QUEUE},
    "training.videos.tasks.abandoned_uploads_clean": {"queue": CELERY_VIDEO_QUEUE},
    "training.videos.tasks.stuck_videos_requeue": {"queue": CELERY_VIDEO_QUEUE},
    "training.videos.tasks.demo_process": {"queue": CELERY_VIDEO_QUEUE},
}
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Training maxes and progression suggestions for everyone, in the quiet of the night.
    "progression-nightly": {
        "task": "training.tasks.progression_nightly",
        "schedule": crontab(hour=3, minute=17),  # UTC
    },
    # Estimates whose task messages were lost while Redis was down.
    "catch-up-estimated-maxes": {
        "task": "training.tasks.catch_up_estimated_maxes",
        "schedule": crontab(hour=3, minute=2),  # UTC
    },
    # Hourly, and each sends to the people whose own clock shows the configured hour;
    # both are safe to run twice (comms/deliveries.py).
    "daily-digests": {
        "task": "coaching.comms.tasks.send_due_digests",
        "schedule": crontab(minute=0),
    },
    "morning-reminders": {
        "task": "coaching.comms.tasks.send_morning_reminders",
        "schedule": crontab(minute=0),
    },
    "videos-clean-abandoned-uploads": {
        "task": "training.videos.tasks.abandoned_uploads_clean",
        "schedule": 3600.0,
    },
    "videos-requeue-stuck": {
        "task": "training.videos.tasks.stuck_videos_requeue",
        "schedule": 600.0,
    },
}

# --- Email: SMTP when EMAIL_HOST is set, else printed to the console -----
_email_host = env_str("EMAIL_HOST")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "RunStrong <no-reply@runstrong.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if _email_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": env_int("EMAIL_PORT", default=587, minimum=1),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", default=True),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# Links in emails: the address people reach the site at, without a trailing slash.
SITE_URL = (env_url("SITE_URL", schemes=("http", "https")) or "http://127.0.0.1:8000").rstrip("/")
# Local hours (0-23) of the daily digest and of the athletes' morning reminder.
NOTIFICATION_DIGEST_HOUR = env_int("NOTIFICATION_DIGEST_HOUR", default=7, minimum=0)
MORNING_REMINDER_HOUR = env_int("MORNING_REMINDER_HOUR", default=7, minimum=0)
for _name, _hour in (
    ("NOTIFICATION_DIGEST_HOUR", NOTIFICATION_DIGEST_HOUR),
    ("MORNING_REMINDER_HOUR", MORNING_REMINDER_HOUR),
):
    if _hour > 23:
        raise ImproperlyConfigured(f"{_name} must be an hour from 0 to 23, got {_hour}")

# --- Security -------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "media-src": [CSP.SELF, "blob:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HTTPS hardening is on unless explicitly turned off for plain-HTTP local use.
_https = env_bool("HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_SSL_REDIRECT = _https and env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=31536000 if _https else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https
# nginx (deploy/nginx/) always overwrites X-Forwarded-Proto, so Django may trust it.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _https else None
# Load balancers probe the health check over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SILENCED_SYSTEM_CHECKS: list[str] = []

# --- Logging: one JSON object a line on stdout ----------------------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(
        f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got {LOG_LEVEL!r}"
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Product limits -------------------------------------------------------
MAX_PLAN_DAYS_AHEAD = 366

# --- Form videos ----------------------------------------------------------
VIDEO_MAX_UPLOAD_MB = env_int("VIDEO_MAX_UPLOAD_MB", default=500, minimum=1)
VIDEO_MAX_SECONDS = env_int("VIDEO_MAX_SECONDS", default=180, minimum=1)
# Phones film at most 4K (3840×2160); anything larger is refused before decoding.
VIDEO_MAX_DIMENSION = env_int("VIDEO_MAX_DIMENSION", default=4096, minimum=64)
VIDEO_RENDITION_HEIGHT = env_int("VIDEO_RENDITION_HEIGHT", default=720, minimum=64)
# Clips are decoded in a child process limited to this much memory (address space), so one
# clip can't take the worker down; a 4K phone clip needs well under it.
VIDEO_WORKER_MEMORY_MB = env_int("VIDEO_WORKER_MEMORY_MB", default=1024, minimum=256)
# An upload nobody has sent a byte to for this long is expired and its chunks deleted: long
# enough for a phone that lost the gym's signal to resume, short enough not to hold disk.
VIDEO_UPLOAD_IDLE_HOURS = env_int("VIDEO_UPLOAD_IDLE_HOURS", default=6, minimum=1)
# Uploads in progress (counted from their rows, so every web process sees the same numbers):
# a phone sends one clip at a time, a club films a few sets at once.
VIDEO_MAX_CONCURRENT_UPLOADS_PER_ATHLETE = env_int(
    "VIDEO_MAX_CONCURRENT_UPLOADS_PER_ATHLETE", default=3, minimum=1
)
VIDEO_MAX_MB_IN_FLIGHT_PER_ATHLETE = env_int(
    "VIDEO_MAX_MB_IN_FLIGHT_PER_ATHLETE", default=2048, minimum=1
)
VIDEO_MAX_CONCURRENT_UPLOADS_PER_CLUB = env_int(
    "VIDEO_MAX_CONCURRENT_UPLOADS_PER_CLUB", default=20, minimum=1
)
VIDEO_MAX_MB_IN_FLIGHT_PER_CLUB = env_int(
    "VIDEO_MAX_MB_IN_FLIGHT_PER_CLUB", default=10240, minimum=1
)
# A video "processing" for longer than this lost its worker; the sweeper queues it again.
# Longer than the processing task's own time limit (30 min), so a slow job is never doubled.
VIDEO_STUCK_SECONDS = env_int("VIDEO_STUCK_SECONDS", default=45 * 60, minimum=1)
VIDEO_MAX_ATTEMPTS = env_int("VIDEO_MAX_ATTEMPTS", default=3, minimum=1)
# How the checked views hand over the bytes: "stream" (Django, with Range), "x-accel"
# (nginx serves VIDEO_X_ACCEL_PREFIX + the file's name from an internal location) or
# "presigned" (a short-lived S3 URL; needs VIDEO_BUCKET).
# A bucket defaults to presigned URLs: streaming from it through Django would download the
# whole object for every range request.
VIDEO_SERVE = env_str("VIDEO_SERVE", "presigned" if VIDEO_BUCKET else "stream")
if VIDEO_SERVE not in {"stream", "x-accel", "presigned"}:
    raise ImproperlyConfigured(
        f"VIDEO_SERVE must be stream, x-accel or presigned, got {VIDEO_SERVE!r}"
    )
if VIDEO_SERVE == "presigned" and not VIDEO_BUCKET:
    raise ImproperlyConfigured("VIDEO_SERVE=presigned needs VIDEO_BUCKET")
VIDEO_X_ACCEL_PREFIX = env_str("VIDEO_X_ACCEL_PREFIX", "/protected-videos/")
