"""Settings for every environment, read from environment variables.

`create_app(name)` picks one of the classes below; production refuses to start with an unsafe
configuration rather than run quietly insecure.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_DIR", BASE_DIR / "instance"))
DEFAULT_SECRET_KEY = "dev-only-insecure-secret-key"  # noqa: S105 - refused in production


def _env_list(name: str, default: str = "") -> list[str]:
    values = os.environ.get(name, default).split(",")
    return [item.strip().lower() for item in values if item.strip()]


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def _env_limits(defaults: dict[str, str]) -> dict[str, str]:
    return {name: os.environ.get(f"RATE_LIMIT_{name.upper()}", value)
            for name, value in defaults.items()}


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'fabrique.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SEARCH_INDEX_DIR = os.environ.get("SEARCH_INDEX_DIR", str(INSTANCE_DIR / "search-index"))
    REDIS_URL = os.environ.get("REDIS_URL")

    # Registration: "open" (anyone with an allowed email), or "invitation" (closed).
    REGISTRATION_MODE = os.environ.get("REGISTRATION_MODE", "open")
    REGISTRATION_ALLOWED_DOMAINS = _env_list("REGISTRATION_ALLOWED_DOMAINS")
    # argon2-cffi defaults (RFC 9106 low-memory profile): 3 passes, 64 MiB.
    ARGON2_TIME_COST = int(os.environ.get("ARGON2_TIME_COST", 3))
    ARGON2_MEMORY_COST = int(os.environ.get("ARGON2_MEMORY_COST", 65536))
    PASSWORD_RESET_MAX_AGE = int(os.environ.get("PASSWORD_RESET_MAX_AGE", 3600))
    INVITATION_MAX_AGE_DAYS = int(os.environ.get("INVITATION_MAX_AGE_DAYS", 14))

    # Mail: without MAIL_SERVER, messages are written to the log (development).
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 25))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS")
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "Fabrique à idées <ne-pas-repondre@reseau-canope.fr>"
    )
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000")

    # Notifications (README, "Notifications"): the bell's refresh, digest times (Paris), and
    # the outbox's retries of refused emails (delay doubling from the base, up to the cap).
    NOTIFICATIONS_POLL_SECONDS = int(os.environ.get("NOTIFICATIONS_POLL_SECONDS", 45))
    NOTIFICATIONS_DIGEST_HOUR = int(os.environ.get("NOTIFICATIONS_DIGEST_HOUR", 7))
    NOTIFICATIONS_WEEKLY_DAY = int(os.environ.get("NOTIFICATIONS_WEEKLY_DAY", 0))  # Monday
    NOTIFICATIONS_WORKER_SLEEP = int(os.environ.get("NOTIFICATIONS_WORKER_SLEEP", 60))
    EMAIL_MAX_ATTEMPTS = int(os.environ.get("EMAIL_MAX_ATTEMPTS", 8))
    EMAIL_RETRY_BASE_SECONDS = int(os.environ.get("EMAIL_RETRY_BASE_SECONDS", 60))
    EMAIL_RETRY_MAX_SECONDS = int(os.environ.get("EMAIL_RETRY_MAX_SECONDS", 6 * 3600))
    EMAIL_SENDING_LEASE_SECONDS = int(os.environ.get("EMAIL_SENDING_LEASE_SECONDS", 600))

    # Rate limits (ideas/ratelimits.py; README "Sécurité"): "N per <period>", each overridable
    # by RATE_LIMIT_<NAME> (e.g. RATE_LIMIT_LOGIN_ACCOUNT="5 per 15 minutes"). "_ip" counts per
    # address (a whole office behind one NAT shares it: keep it generous), "_account" per
    # signed-in agent or, for login and password reset, per login typed.
    RATE_LIMITS_ENABLED = True
    RATE_LIMITS = _env_limits({
        "login_ip": "60 per 15 minutes",
        "login_account": "10 per 15 minutes",  # failed attempts only
        "signup_ip": "20 per hour",
        "password_reset_ip": "20 per hour",
        "password_reset_account": "5 per hour",
        "idea_ip": "100 per hour",
        "idea_account": "10 per hour",
        "comment_ip": "300 per hour",
        "comment_account": "60 per hour",
        "support_ip": "1000 per hour",
        "support_account": "120 per hour",
        "report_ip": "100 per hour",
        "report_account": "20 per hour",
        "export_account": "30 per hour",
    })
    # Shared by every worker and server through Redis when REDIS_URL is set (else per process).
    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    RATELIMIT_STORAGE_OPTIONS = (
        {"socket_connect_timeout": 1, "socket_timeout": 1} if REDIS_URL else {})
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "fabrique")
    RATELIMIT_STRATEGY = "moving-window"  # no burst of twice the limit across a window's edge
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True  # Redis down: limit per process, never a 500
    # Number of reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host are
    # trusted (werkzeug ProxyFix). 0: none; behind one nginx: 1. Without it, every request seems
    # to come from the proxy and one IP limit would be shared by everybody.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", 0))

    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Paris"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    LANGUAGES = ("fr", "en")

    # DSFR is reserved to State services: the Marianne identity block is opt-in.
    SHOW_STATE_IDENTITY = _env_bool("SHOW_STATE_IDENTITY")
    SITE_NAME = os.environ.get("SITE_NAME", "Fabrique à idées")
    OPERATOR_NAME = os.environ.get("OPERATOR_NAME", "Réseau Canopé")

    # Sessions (accounts/sessions.py): end after this long without a request of the agent's,
    # and this long after logging in whatever happens (ASVS 3.3.2, level 2: 30 min / 12 h).
    # "Stay signed in" survives closing the browser and idle time, never the absolute limit.
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", 30))
    SESSION_MAX_HOURS = int(os.environ.get("SESSION_MAX_HOURS", 12))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    HSTS_SECONDS = 0
    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead; pages left open all day still post
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    PER_PAGE = 20
    # An idea or comment reported this many times (open reports) is hidden until a facilitator
    # decides; 0 turns automatic hiding off.
    MODERATION_AUTO_HIDE_REPORTS = int(os.environ.get("MODERATION_AUTO_HIDE_REPORTS", 3))

    # Personal data (README "Données personnelles"; ideas/privacy). Retention periods in days,
    # applied by `flask retention run` and stated on the privacy page; 0 keeps forever.
    RETENTION_INVITATION_DAYS = int(os.environ.get("RETENTION_INVITATION_DAYS", 30))
    RETENTION_UNACTIVATED_ACCOUNT_DAYS = int(
        os.environ.get("RETENTION_UNACTIVATED_ACCOUNT_DAYS", 180))
    RETENTION_READ_NOTIFICATION_DAYS = int(os.environ.get("RETENTION_READ_NOTIFICATION_DAYS", 90))
    RETENTION_NOTIFICATION_DAYS = int(os.environ.get("RETENTION_NOTIFICATION_DAYS", 365))
    RETENTION_EMAIL_DAYS = int(os.environ.get("RETENTION_EMAIL_DAYS", 30))
    RETENTION_SECURITY_LOG_DAYS = int(os.environ.get("RETENTION_SECURITY_LOG_DAYS", 365))
    # The moderation log is the record of decisions an agent may contest: five years, the
    # limitation period of civil actions (code civil, art. 2224), not the security logs' year.
    RETENTION_MODERATION_LOG_DAYS = int(os.environ.get("RETENTION_MODERATION_LOG_DAYS", 1825))
    # One line per erased account (its id and the time, nothing personal), kept outside the
    # database: after restoring an older backup, `flask erasures reapply` erases them again.
    ERASURE_LOG = os.environ.get("ERASURE_LOG", str(INSTANCE_DIR / "erasures.log"))
    CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "")  # accessibility and general contact
    DPO_EMAIL = os.environ.get("DPO_EMAIL", "")  # the data protection officer (délégué)
    # Accessibility statement: the rate of RGAA criteria met in the last audit, and its date
    # (YYYY-MM-DD); without an audit the law says "non conforme", whatever axe-core finds.
    ACCESSIBILITY_AUDIT_RATE = os.environ.get("ACCESSIBILITY_AUDIT_RATE", "")
    ACCESSIBILITY_AUDIT_DATE = os.environ.get("ACCESSIBILITY_AUDIT_DATE", "")
    ACCESSIBILITY_RESULTS = os.environ.get(
        "ACCESSIBILITY_RESULTS", str(BASE_DIR / "docs" / "accessibility" / "axe-results.json"))

    DEBUG = False
    TESTING = False


class DevelopmentConfig(Config):
    DEBUG = _env_bool("FLASK_DEBUG", True)


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-key"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = True
    MAIL_SERVER = None
    RATE_LIMITS_ENABLED = False  # tests/security/test_rate_limits.py turns them on
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_STORAGE_OPTIONS = {}
    ARGON2_TIME_COST = 1  # fast hashes keep the suite quick; the algorithm is the same
    ARGON2_MEMORY_COST = 8192
    PUBLIC_URL = "http://localhost"
    SERVER_NAME = None


class ProductionConfig(Config):
    # Read, so that check_production can refuse it: `flask run` would otherwise turn the
    # debugger on from FLASK_DEBUG after create_app, past every check.
    DEBUG = _env_bool("FLASK_DEBUG")
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    # __Host-: the browser only accepts the cookie from HTTPS, for the whole site and this exact
    # host, so a sibling subdomain can neither set nor overwrite it.
    SESSION_COOKIE_NAME = "__Host-session"
    REMEMBER_COOKIE_NAME = "__Host-remember"
    PREFERRED_URL_SCHEME = "https"
    HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", 365 * 24 * 3600))


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


class UnsafeConfiguration(RuntimeError):
    """Raised when production settings would run the app insecurely."""


def check_production(settings: dict) -> None:
    """Refuse to start production with a guessable key or debug tools on."""
    problems = []
    key = settings.get("SECRET_KEY") or ""
    if key == DEFAULT_SECRET_KEY or len(key) < 32:
        problems.append(
            "SECRET_KEY must be set to a random value of at least 32 characters "
            '(python -c "import secrets; print(secrets.token_hex(32))")'
        )
    if settings.get("DEBUG"):
        problems.append("DEBUG must be off in production (unset FLASK_DEBUG)")
    if settings.get("TESTING"):
        problems.append("TESTING must be off in production")
    for name in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
                 "REMEMBER_COOKIE_HTTPONLY"):
        if name in settings and not settings[name]:
            problems.append(f"{name} must stay on in production")
    if problems:
        raise UnsafeConfiguration(
            "Refusing to start in production:\n- " + "\n- ".join(problems)
        )
