"""Settings of thidua, read from environment variables (see README "Configuration")."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from thidua.core.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("THIDUA_DATA_DIR", str(BASE_DIR / "data")))

DEBUG = env_bool("THIDUA_DEBUG", False)
SECRET_KEY = env_str("THIDUA_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("THIDUA_REQUIRE_SECRET", False):
        raise ImproperlyConfigured("THIDUA_SECRET_KEY must be set in production")
    # A fixed development key: the demo and the tests run on loopback only.
    SECRET_KEY = "dev-only-insecure-key-thidua-change-me-in-production-0123456789"
ALLOWED_HOSTS = env_list("THIDUA_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "thidua.core",
    "thidua.accounts",
    "thidua.org",
    "thidua.records",
    "thidua.eligibility",
    "thidua.audit",
    "thidua.imports",
    "thidua.rounds",
    "thidua.council",
    "thidua.decisions",
    "thidua.notifications",
    "thidua.api",
    "thidua.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "thidua.urls"
WSGI_APPLICATION = "thidua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "thidua" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "thidua.accounts.context_processors.roles",
                "thidua.notifications.context_processors.unread",
            ],
        },
    }
]

# Database: DATABASE_URL (sqlite:///path or postgres://...), default an SQLite file in DATA_DIR.
_default_db = f"sqlite:///{DATA_DIR / 'thidua.sqlite3'}"
_db_url = env_str("DATABASE_URL", "") or _default_db
try:
    _db = dj_database_url.parse(_db_url, conn_max_age=env_int("THIDUA_DB_CONN_MAX_AGE", 60))
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not understood: {exc}") from None
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer commits; IMMEDIATE takes the write lock at the start
    # of a transaction so that concurrent writers queue instead of failing with "database is locked".
    _db["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=20000; PRAGMA cache_size=-64000; PRAGMA mmap_size=268435456;"
        ),
    }
    _db["CONN_MAX_AGE"] = 0 if _db["NAME"] == ":memory:" else _db["CONN_MAX_AGE"]
    if _db["NAME"] != ":memory:":
        Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
elif _db["ENGINE"] == "django.db.backends.postgresql":
    # Parameters bound on the server, and a query run five times on a connection prepared, so
    # PostgreSQL stops planning the same queries again on every page (bench/README.md). Off
    # (THIDUA_PG_PREPARE=false) behind a transaction-pooling PgBouncer.
    if env_bool("THIDUA_PG_PREPARE", True):
        _db.setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
_db["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _db}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if env_bool("THIDUA_FAST_HASHER", False):
    # Tests only: Argon2 is deliberately slow; the hasher itself is tested separately.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "thidua.accounts.backends.LoginBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lock-out after repeated failed logins (django-axes), per username and IP address.
AXES_FAILURE_LIMIT = env_int("THIDUA_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("THIDUA_LOGIN_COOLOFF_MINUTES", 15, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "vi"
# Vietnamese only, whatever language the browser asks for: the users read Vietnamese.
LANGUAGES = [("vi", "Tiếng Việt")]
LOCALE_PATHS = [BASE_DIR / "thidua" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("THIDUA_STATIC_ROOT", str(DATA_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Dossier files (achievement reports, evidence): served only through permission-checked views.
MEDIA_ROOT = Path(env_str("THIDUA_MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "/media/"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# Sessions stay in the database (logging out ends them for every copy of the cookie); this
# engine only reads them with one plain query instead of the ORM's (thidua/accounts/sessions.py).
SESSION_ENGINE = "thidua.accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("THIDUA_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Strict Content-Security-Policy: no inline script or style anywhere (style guide rule 8).
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_MAX_BYTES = env_int("THIDUA_IMPORT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)

MAILERS = {
    "default": {
        "BACKEND": env_str("THIDUA_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    }
}
DEFAULT_FROM_EMAIL = env_str("THIDUA_FROM_EMAIL", "thidua@localhost")
# The address people open the site at: emails carry absolute links (thidua.notifications).
SITE_URL = env_str("THIDUA_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "thidua.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "thidua API",
    "DESCRIPTION": "Thi đua, khen thưởng — API v1",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

PAGE_SIZE = env_int("THIDUA_PAGE_SIZE", 50, minimum=5)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("THIDUA_LOG_LEVEL", "WARNING")},
}
