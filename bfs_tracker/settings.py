"""Settings for BFS Tracker, read from the environment.

Development needs nothing set: DEBUG=true gives a local secret key and a SQLite file beside manage.py.
Production sets DEBUG=false (the default), SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and the EMAIL_* variables.
Production settings pass `manage.py check --deploy` with no warnings (tests/test_security_settings.py).
"""

import datetime as dt
from pathlib import Path

import dj_database_url

from bfs_tracker.lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

# A development key is only ever used with DEBUG on; production must bring its own.
_DEV_SECRET_KEY = "dev-only-insecure-key-never-used-in-production"  # noqa: S105  # nosec B105
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET_KEY if DEBUG else None)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "bfs_tracker.reports",
    "bfs_tracker.accounts",
    "bfs_tracker.logbook",
    "bfs_tracker.days",
    "bfs_tracker.pwa",
    "bfs_tracker.reminders",
    "bfs_tracker.security",
    "bfs_tracker.trends",
    "bfs_tracker.alerts",
    "bfs_tracker.timeline",
]

MIDDLEWARE = [
    # First: /healthz for load balancers answers before host checks, HTTPS redirects and sessions (lib/health.py).
    "bfs_tracker.lib.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "bfs_tracker.security.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "bfs_tracker.security.middleware.SessionLifetimeMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "bfs_tracker.security.middleware.TwoFactorMiddleware",
    "bfs_tracker.security.middleware.PrivateResponseMiddleware",
    "bfs_tracker.security.middleware.KnownDeviceMiddleware",
    "bfs_tracker.security.middleware.SessionHeaderMiddleware",
    "bfs_tracker.accounts.middleware.UserTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it turns a lockout signalled by the authentication backend into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bfs_tracker.urls"

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
                "bfs_tracker.alerts.context_processors.open_alerts",
            ],
        },
    },
]

# Every form field renders through templates/includes/field.html (see bfs_tracker/lib/forms.py).
FORM_RENDERER = "bfs_tracker.lib.forms.FormRenderer"

WSGI_APPLICATION = "bfs_tracker.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
SQLITE_OPTIONS = {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database, made safe for more than one worker (gunicorn's two, a command beside the server):
    # write-ahead logging lets reads go on during a write; IMMEDIATE transactions take the write lock when they
    # begin, so two saves queue for it instead of one failing with "database is locked" halfway through; and a
    # writer waits up to 20 s for the lock (the default 5 s gave way under load: `make bench` counted about a
    # thousand failed saves with two workers). PostgreSQL, the production database, needs none of this.
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches live in each process's memory, on purpose (docs/deployment.md, "Cache"): the only user of a cache is the
# dashboard (trends/dashboard_cache.py), whose keys carry the data version, so no process can serve a stale entry;
# each one just computes its own copy once. Nothing the app needs to be correct is kept in a cache.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "default",
    },
    "dashboard": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "dashboard",
        "TIMEOUT": 60 * 60,
        # Per person and range shown: the data, its HTML and JSON, the page around them (per address); per person:
        # "What has not changed", the calendar's flares and each month's content shown (about 10 kB). A full cache
        # drops a third of its entries.
        "OPTIONS": {"MAX_ENTRIES": 600},
    },
    # The doctor's report: its data, HTML section and PDF per person, range and data version (reports/cache.py).
    "reports": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "reports",
        "TIMEOUT": 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": 300},  # a one-year PDF is about 60 kB: at most about 20 MB per process
    },
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username-and-address pair is refused before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    # Email or username; checks every password and refuses with PermissionDenied, so no backend after it is asked.
    "bfs_tracker.accounts.backends.EmailOrUsernameBackend",
    # Never asked to check a password (see above); listed so sessions signed in before the email login stay valid.
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "today"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end libraries come from the npm registry (package.json); only their built files are served.
    ("vendor/chart.js", BASE_DIR / "node_modules" / "chart.js" / "dist"),
    ("vendor/chartjs-plugin-annotation", BASE_DIR / "node_modules" / "chartjs-plugin-annotation" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Mail: the console in development, SMTP from the environment in production.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "BFS Tracker <no-reply@localhost>")
# Where links in emails point (no trailing slash): the emails are sent by cron, outside any request.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Every handler redacts dated paths, share tokens and confirmation secrets from what it writes (security.log.redact):
# django.request's "Not Found: /days/2026-03-10/" and runserver's request lines included.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "bfs_tracker.security.log.RedactFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        # The security log: UTC timestamps, whatever the server's zone.
        "utc": {"()": "bfs_tracker.security.log.UtcFormatter"},
        "server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]},
        "security": {"class": "logging.StreamHandler", "formatter": "utc", "filters": ["redact"]},
        "server": {"class": "logging.StreamHandler", "formatter": "server", "filters": ["redact"]},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # Also on the loggers that write request paths, so a handler added elsewhere (a log shipper) gets it too.
        "django.request": {"filters": ["redact"]},
        "django.security.csrf": {"filters": ["redact"]},
        "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False, "filters": ["redact"]},
        "bfs_tracker": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "bfs_tracker.security": {"handlers": ["security"], "level": "INFO", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# --- Security (issue 7; the README's "Security" section says what each of these protects) ---

# HTTPS only in production. Behind a proxy that terminates TLS, set SECURE_PROXY_SSL_HEADER to the header it sets,
# e.g. "HTTP_X_FORWARDED_PROTO,https"; never set it when clients can reach the app directly (they could forge it).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
_proxy_ssl_header = env_list("SECURE_PROXY_SSL_HEADER")
SECURE_PROXY_SSL_HEADER = tuple(_proxy_ssl_header) if _proxy_ssl_header else None
if SECURE_PROXY_SSL_HEADER is not None and len(SECURE_PROXY_SSL_HEADER) != 2:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured('SECURE_PROXY_SSL_HEADER must be "HEADER_NAME,value", e.g. HTTP_X_FORWARDED_PROTO,https')
# How many proxies in front of the app append to X-Forwarded-For (0: use the connection's address). Decides which
# address login throttling and the security log see; too high a number lets a client choose its own address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# HSTS: browsers remember to use HTTPS for this many seconds (default one year, subdomains included). Preload is off
# by default: joining the browsers' built-in preload list is a commitment for the whole domain that takes months to
# undo, so whoever owns the domain turns it on deliberately (HSTS_PRELOAD=true). Until then Django's reminder about
# it (security.W021) is silenced below, and only then.
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"  # share-link tokens in our URLs never leave the site in a Referer header
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "bfs_tracker.security.views.csrf_failure"

# Sessions live in the database, so any app server can serve any request (docs/deployment.md).
# Inactivity: a session unused for 7 days ends. Absolute: every session ends 30 days after sign-in, however active.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = int(dt.timedelta(days=7).total_seconds())
SESSION_ABSOLUTE_LIFETIME = dt.timedelta(days=30)
# The inactivity clock is pushed forward at most this often, instead of writing the session on every request.
SESSION_REFRESH_INTERVAL = dt.timedelta(hours=1)

# Login throttling (django-axes): 5 failures from one address for one username lock that pair for 15 minutes.
# Locking the pair (not the username alone) means nobody can lock a real user out from elsewhere, and the cool-off
# means a lock always ends by itself.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
# Trying again while locked does not restart the 15 minutes, so a person who keeps trying is still let back in.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "security/lockout.html"
AXES_CLIENT_IP_CALLABLE = "bfs_tracker.security.client_ip.client_ip"
# Attempts count per account whether its email (any case) or username was typed (accounts/backends.py).
AXES_USERNAME_CALLABLE = "bfs_tracker.accounts.backends.throttle_username"
# Across all addresses: this many wrong sign-in passwords within the window refuse sign-in to the account on
# browsers it never signed in on (security/throttle.py); the person's own devices and a password reset still work.
ACCOUNT_FAILURE_LIMIT = 20
ACCOUNT_FAILURE_WINDOW = dt.timedelta(hours=24)
KNOWN_DEVICE_AGE = dt.timedelta(days=365)
# Sign-up and change-of-address mail: per address per hour (more get the same page and no mail), per client address.
SIGNUP_MAILS_PER_ADDRESS = 3
SIGNUP_REQUESTS_PER_IP = 20
# Sign-up and change-of-address links work this long.
EMAIL_CONFIRMATION_LIFETIME = dt.timedelta(days=3)
AXES_VERBOSE = False  # our own security log records failures without the submitted form

# Content-Security-Policy: only this site's own files; no inline scripts, styles or event handlers anywhere
# (tests/test_security_templates.py keeps templates that way).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# Uploads (imports) are read during the request and never kept. Any request body over REQUEST_MAX_BYTES is refused
# (413) before it is read; the import form has its own, smaller limit and says so. Form fields without files are
# limited to 2.5 MB; files up to 2.5 MB stay in memory, larger ones go to a temporary file deleted after the request.
REQUEST_MAX_BYTES = 6 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

OTP_TOTP_ISSUER = "BFS Tracker"
