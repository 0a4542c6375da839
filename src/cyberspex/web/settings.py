"""Settings, all from the environment: see docs/configuration.md for every variable."""

from __future__ import annotations

import secrets
import zoneinfo
from pathlib import Path

import dj_database_url

from cyberspex.web.env import ConfigurationError, env_bool, env_int, env_list, env_proxy_header, env_str

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("CYBERSPEX_DATA_DIR", str(Path.cwd() / "var")))

DEBUG = env_bool("DEBUG", False)
# An instance for exercises and training: requests drafted under what-if assumptions may be
# issued there, and all their pages and documents are marked as an exercise. `serve --demo` turns it on.
EXERCISE_MODE = env_bool("EXERCISE_MODE", False)
# Without SECRET_KEY a random key is made per process: sessions do not survive a restart,
# which is safe for a demo and obvious in production (everyone is logged out).
SECRET_KEY = env_str("SECRET_KEY") or secrets.token_urlsafe(50)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_ROOT = env_str("SITE_ROOT", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ninja",  # serves Swagger UI's files from this instance (its templates and static files), not from a CDN
    "cyberspex.web.accounts",
    "cyberspex.web.audit",
    "cyberspex.web.cases",
    "cyberspex.web.exchange",
    "cyberspex.web.federation",
    "cyberspex.web.knowledge",
    "cyberspex.web.training",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cyberspex.web.accounts.middleware.membership_once",  # access.py reads a membership once per request
    "cyberspex.web.security.security_headers",
    "cyberspex.web.static_files.StaticFiles",  # static files: answered here, before sessions (web/static_files.py)
    "cyberspex.web.api.middleware.api_errors",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cyberspex.web.accounts.renewal.session_renewal",  # right after: its answer is written by the line above
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cyberspex.web.accounts.middleware.require_mfa",
    "cyberspex.web.cases.middleware.attachment_upload_limit",
    "cyberspex.web.accounts.middleware.no_store",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cyberspex.web.oversize.OversizePage",  # before anything reads a page's body (the CSRF check)
    "cyberspex.web.accounts.middleware.session_lifetime",
    "cyberspex.web.accounts.middleware.user_time_zone",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "cyberspex.web.urls"
WSGI_APPLICATION = "cyberspex.web.wsgi.application"

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
                "django.template.context_processors.i18n",
                "cyberspex.web.accounts.context.account",
            ]
        },
    }
]

_DEFAULT_DB = f"sqlite:///{DATA_DIR / 'cyberspex.sqlite3'}"
try:
    DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _DEFAULT_DB), conn_max_age=60)}
except ValueError as _error:  # an unknown scheme too (dj_database_url.UnknownSchemeError)
    raise ConfigurationError(f"DATABASE_URL cannot be used: {str(_error).splitlines()[0][:200]}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # secure_delete: deleted and overwritten content is zeroed, so erased personal data do not
        # linger in free pages of the file (retention, ADR 0013).
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "cases:dashboard"

# Sessions: idle timeout (CJIS AC-11: at most 30 minutes), renewed by every request, but written
# at most once per SESSION_RENEW_SECONDS (and whenever its content changes): a page view does not
# write to the database. A session therefore ends between SESSION_COOKIE_AGE minus the renewal
# interval and SESSION_COOKIE_AGE after its last request: sooner, never later (accounts/renewal.py).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = env_int("SESSION_RENEW_SECONDS", 60)
if SESSION_RENEW_SECONDS < 0:
    raise ConfigurationError(f"SESSION_RENEW_SECONDS must be at least 0, not {SESSION_RENEW_SECONDS}")
# ... and an absolute lifetime from the log-in, however active the session is.
SESSION_ABSOLUTE_HOURS = env_int("SESSION_ABSOLUTE_HOURS", 12)
# A form sent after the session ended is kept this long for its member to log in again (accounts/kept.py).
KEPT_WORK_MINUTES = env_int("KEPT_WORK_MINUTES", 60)
# A page sent from a stale tab (its CSRF token no longer valid): a page in the layout that keeps the work.
CSRF_FAILURE_VIEW = "cyberspex.web.accounts.kept.csrf_failure"
# API tokens expire this many days after their creation (sooner when revoked).
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 30)
# A one-time link to enrol a first authenticator works this long.
ENROLMENT_LINK_HOURS = env_int("ENROLMENT_LINK_HOURS", 72)
for _name, _value in (
    ("SESSION_ABSOLUTE_HOURS", SESSION_ABSOLUTE_HOURS),
    ("API_TOKEN_DAYS", API_TOKEN_DAYS),
    ("ENROLMENT_LINK_HOURS", ENROLMENT_LINK_HOURS),
):
    if _value < 1:
        raise ConfigurationError(f"{_name} must be at least 1, not {_value}")
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and SITE_ROOT.startswith("https"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy and Permissions-Policy: cyberspex.web.security.
# HTTPS: off by default so that a first `cyberspex serve` on http://127.0.0.1 works; turn on in
# production (docs/configuration.md). HSTS is sent only over HTTPS.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
# Behind a reverse proxy that terminates TLS: the header it sets (and overwrites) to "https".
# Unset by default: trusting it without such a proxy would let any client claim HTTPS.
TRUSTED_PROXY_SSL_HEADER = env_proxy_header("TRUSTED_PROXY_SSL_HEADER")
if TRUSTED_PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = (TRUSTED_PROXY_SSL_HEADER, "https")

# Lockout: after LOCKOUT_ATTEMPTS failed log-ins within LOCKOUT_MINUTES (CJIS AC-7: 5 in 15).
LOCKOUT_ATTEMPTS = env_int("LOCKOUT_ATTEMPTS", 5)
LOCKOUT_MINUTES = env_int("LOCKOUT_MINUTES", 15)
# Throttling (accounts/throttle.py): failed log-ins allowed per client address and for the whole
# service within LOGIN_THROTTLE_SECONDS; refusals counted and audited once per summary window.
LOGIN_THROTTLE_SECONDS = env_int("LOGIN_THROTTLE_SECONDS", 60)
LOGIN_ADDRESS_ATTEMPTS = env_int("LOGIN_ADDRESS_ATTEMPTS", 20)
LOGIN_SERVICE_ATTEMPTS = env_int("LOGIN_SERVICE_ATTEMPTS", 30)
LOGIN_SUMMARY_MINUTES = env_int("LOGIN_SUMMARY_MINUTES", 15)
# Questions one client address may ask the public route advisor (/advisor/) per minute (web/public/throttle.py).
PUBLIC_ADVISOR_PER_MINUTE = env_int("PUBLIC_ADVISOR_PER_MINUTE", 30)
# Addresses of reverse proxies whose X-Forwarded-For is believed for the client address.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")
OTP_TOTP_ISSUER = "CyberSPEX"

# Retention (cases/retention.py): cases erased per transaction, and the pause between batches
# that lets other writers take the lock.
RETENTION_BATCH_SIZE = env_int("RETENTION_BATCH_SIZE", 100)
RETENTION_PAUSE_MS = env_int("RETENTION_PAUSE_MS", 100)

# Audit records are sealed with AUDIT_CHAIN_KEY (HMAC-SHA256), checkpoints of the chain's head
# signed with AUDIT_CHECKPOINT_KEY: keep both outside the database (docs/configuration.md).
AUDIT_CHAIN_KEY = env_str("AUDIT_CHAIN_KEY")
# Seals organisations' private signing keys and produced files at rest (AES-256-GCM,
# exchange/sealing.py): 32 random bytes, base64url. Empty: derived from SECRET_KEY (demo, development).
DATA_KEY = env_str("DATA_KEY")
if DATA_KEY:
    import base64 as _base64

    try:
        _data_key_bytes = len(_base64.urlsafe_b64decode(DATA_KEY + "=" * (-len(DATA_KEY) % 4)))
    except ValueError:
        _data_key_bytes = 0
    if _data_key_bytes != 32:
        raise ConfigurationError("DATA_KEY must be 32 random bytes in base64url (e.g. `openssl rand -base64 32 | tr '+/' '-_'`)")
# Where produced files are stored (encrypted) through Django's storage API: a deployment may
# configure object storage in STORAGES["exchange"] instead.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(DATA_DIR / "files")}},
    # Names with a hash of the content, collected by `cyberspex serve` (web/static_files.py).
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    "exchange": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(DATA_DIR / "produced")}},
}
# Exchange between instances (web/federation, docs/federation.md): who this instance is to its
# peers, where they reach it, and how it sends, receives and retries.
CYBERSPEX_INSTANCE_ID = env_str("CYBERSPEX_INSTANCE_ID", "cyberspex-dev")
CYBERSPEX_BASE_URL = env_str("CYBERSPEX_BASE_URL", SITE_ROOT).rstrip("/")
FEDERATION_KEY_OVERLAP_DAYS = env_int("FEDERATION_KEY_OVERLAP_DAYS", 30)  # a retired key still verifies this long
FEDERATION_MAX_MESSAGE_BYTES = env_int("FEDERATION_MAX_MESSAGE_BYTES", 1024 * 1024)  # an envelope larger is refused (413)
FEDERATION_CLOCK_TOLERANCE_SECONDS = env_int("FEDERATION_CLOCK_TOLERANCE_SECONDS", 300)  # sent_at this far off: refused
FEDERATION_TIMEOUT_SECONDS = env_int("FEDERATION_TIMEOUT_SECONDS", 30)  # of one delivery attempt
FEDERATION_RETRY_BASE_SECONDS = env_int("FEDERATION_RETRY_BASE_SECONDS", 10)  # first delay after a failure, doubled each time
FEDERATION_RETRY_CAP_SECONDS = env_int("FEDERATION_RETRY_CAP_SECONDS", 3600)  # ... up to this
FEDERATION_LEASE_SECONDS = env_int("FEDERATION_LEASE_SECONDS", 120)  # how long a worker holds the messages it claimed
# Throttling of the endpoints peers call (federation/throttle.py), per client address and minute: any
# address above FEDERATION_REQUESTS_PER_MINUTE requests (generous: a trusted peer is never throttled
# below it), and one with FEDERATION_REFUSALS_PER_MINUTE refused requests until the minute ends.
FEDERATION_REQUESTS_PER_MINUTE = env_int("FEDERATION_REQUESTS_PER_MINUTE", 6000)
FEDERATION_REFUSALS_PER_MINUTE = env_int("FEDERATION_REFUSALS_PER_MINUTE", 30)
# The retention review date of a request received from a peer that does not send its own: days after receipt.
FEDERATION_SHADOW_RETENTION_DAYS = env_int("FEDERATION_SHADOW_RETENTION_DAYS", 365)
# Plain http:// to a peer that is not on the loopback interface: only for tests on a closed network.
FEDERATION_ALLOW_HTTP = env_bool("FEDERATION_ALLOW_HTTP", False)
# The transport (federation/transport.py): the built-in HTTPS one, or an adapter (an e-CODEX gateway).
FEDERATION_TRANSPORT = env_str("FEDERATION_TRANSPORT", "cyberspex.web.federation.transport.HttpsTransport")
# Produced files between instances (federation/files.py, docs/federation.md "Files"): the size of
# the chunks this instance sends; the largest file it receives, by default and per organisation
# hosted here ("ORGANISATION_ID=MB,...": e.g. "4=10240" lets organisation 4 receive up to 10 GB).
FEDERATION_FILE_CHUNK_BYTES = env_int("FEDERATION_FILE_CHUNK_BYTES", 4 * 1024 * 1024)
FEDERATION_FILE_MAX_MB = env_int("FEDERATION_FILE_MAX_MB", 2048)
FEDERATION_FILE_MAX_MB_BY_ORGANISATION: dict[str, int] = {}
for _item in env_list("FEDERATION_FILE_MAX_MB_BY_ORGANISATION", ""):
    _organisation, _, _mb = (part.strip() for part in _item.partition("="))
    if not (_organisation.isdigit() and _mb.isdigit() and int(_mb) > 0):
        raise ConfigurationError(f"FEDERATION_FILE_MAX_MB_BY_ORGANISATION: {_item!r} is not ORGANISATION_ID=MB (MB at least 1)")
    FEDERATION_FILE_MAX_MB_BY_ORGANISATION[_organisation] = int(_mb)
if not 64 * 1024 <= FEDERATION_FILE_CHUNK_BYTES <= 16 * 1024 * 1024:
    raise ConfigurationError(f"FEDERATION_FILE_CHUNK_BYTES must be from 65536 to 16777216, not {FEDERATION_FILE_CHUNK_BYTES}")
# Chunks of a file never completed are removed by `cyberspex worker` when the file's last chunk is older than this.
FEDERATION_STAGING_MAX_DAYS = env_int("FEDERATION_STAGING_MAX_DAYS", 7)
FEDERATION_FILE_TRANSPORT = env_str("FEDERATION_FILE_TRANSPORT", "cyberspex.web.federation.files_transport.HttpsFileTransport")
for _name, _value in (
    ("FEDERATION_FILE_CHUNK_BYTES", FEDERATION_FILE_CHUNK_BYTES),
    ("FEDERATION_FILE_MAX_MB", FEDERATION_FILE_MAX_MB),
    ("FEDERATION_MAX_MESSAGE_BYTES", FEDERATION_MAX_MESSAGE_BYTES),
    ("FEDERATION_CLOCK_TOLERANCE_SECONDS", FEDERATION_CLOCK_TOLERANCE_SECONDS),
    ("FEDERATION_TIMEOUT_SECONDS", FEDERATION_TIMEOUT_SECONDS),
    ("FEDERATION_RETRY_BASE_SECONDS", FEDERATION_RETRY_BASE_SECONDS),
    ("FEDERATION_RETRY_CAP_SECONDS", FEDERATION_RETRY_CAP_SECONDS),
    ("FEDERATION_LEASE_SECONDS", FEDERATION_LEASE_SECONDS),
    ("FEDERATION_STAGING_MAX_DAYS", FEDERATION_STAGING_MAX_DAYS),
):
    if _value < 1:
        raise ConfigurationError(f"{_name} must be at least 1, not {_value}")
if FEDERATION_KEY_OVERLAP_DAYS < 0:
    raise ConfigurationError(f"FEDERATION_KEY_OVERLAP_DAYS must be at least 0, not {FEDERATION_KEY_OVERLAP_DAYS}")
if not CYBERSPEX_INSTANCE_ID or len(CYBERSPEX_INSTANCE_ID) > 200:
    raise ConfigurationError("CYBERSPEX_INSTANCE_ID must be 1 to 200 characters")
# Produced files: the largest one accepted, and how many with one answer.
PRODUCED_FILE_MAX_MB = env_int("PRODUCED_FILE_MAX_MB", 50)
PRODUCED_FILES_PER_ANSWER = env_int("PRODUCED_FILES_PER_ANSWER", 20)
AUDIT_CHAIN_RETIRED_KEYS = env_str("AUDIT_CHAIN_RETIRED_KEYS").split()  # oldest first, whitespace-separated
AUDIT_CHECKPOINT_KEY = env_str("AUDIT_CHECKPOINT_KEY")
AUDIT_CHECKPOINT_DIR = Path(env_str("AUDIT_CHECKPOINT_DIR", str(DATA_DIR / "checkpoints")))
AUDIT_CHECKPOINT_INTERVAL = env_int("AUDIT_CHECKPOINT_INTERVAL", 3600)  # seconds between the worker's checkpoints; 0: none

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"  # storage and the database session; pages show the user's own zone (below)
# The zone in which a person who has not chosen one sees dates and times (an IANA name).
DEFAULT_USER_TIME_ZONE = env_str("DEFAULT_USER_TIME_ZONE", "Europe/Brussels")
if DEFAULT_USER_TIME_ZONE not in zoneinfo.available_timezones():
    raise ConfigurationError(
        f"DEFAULT_USER_TIME_ZONE must be an IANA time zone such as Europe/Brussels, not {DEFAULT_USER_TIME_ZONE!r}"
    )

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_ALLOW_ALL_ORIGINS = False  # no other site needs the instance's static files
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("MAX_UPLOAD_BYTES", 2 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
# Attachments of a case (cases/attachments.py): the largest file accepted, in bytes.
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
if ATTACHMENT_MAX_BYTES < 1:
    raise ConfigurationError(f"ATTACHMENT_MAX_BYTES must be at least 1, not {ATTACHMENT_MAX_BYTES}")

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "cyberspex@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Tracebacks without exception messages, which may quote user input (cyberspex/web/logs.py).
    "formatters": {"safe": {"()": "cyberspex.web.logs.Formatter", "format": "%(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "safe"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
