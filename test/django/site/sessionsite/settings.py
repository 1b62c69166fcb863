"""Settings of the test site, read from the environment:

  DJANGO_DATABASE_URL      file:/path/to/db.sqlite3 or postgresql://user:pass@host:port/name
  DJANGO_SECRET_KEY        SECRET_KEY
  DJANGO_SECRET_KEY_FALLBACKS  comma-separated SECRET_KEY_FALLBACKS (Django 4.1+)
  DJANGO_SESSION_ENGINE    db | cached_db | cache  (django.contrib.sessions.backends.<name>)
  DJANGO_CACHE_URL         redis://host:port/db, the cache of the cache engines
  DJANGO_CACHE_BACKEND     django (Django 4.0+'s RedisCache) | django-redis
  DJANGO_CACHE_KEY_PREFIX, DJANGO_CACHE_VERSION   CACHES KEY_PREFIX and VERSION
  DJANGO_SESSION_COOKIE_NAME   SESSION_COOKIE_NAME (default sessionid)

The site never migrates while it serves: it uses django_session and auth_user as
they are in the database it is pointed at (the tests run `manage.py migrate` on
an empty database first, and SessionScope attaches to what Django made).
"""
import os
from urllib.parse import unquote, urlsplit


def env(name, default=None):
    value = os.environ.get(name, "")
    return value if value != "" else default


def database(url):
    if url.startswith("file:"):
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": url[len("file:"):]}
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"DJANGO_DATABASE_URL must be file: or postgresql://, not {parts.scheme}:")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
    }


def cache(url, backend):
    options = {"KEY_PREFIX": env("DJANGO_CACHE_KEY_PREFIX", ""), "VERSION": int(env("DJANGO_CACHE_VERSION", "1"))}
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", **options}
    if backend == "django-redis":
        return {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": url, **options}
    return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, **options}


SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    raise ValueError("DJANGO_SECRET_KEY is required")
SECRET_KEY_FALLBACKS = [key.strip() for key in env("DJANGO_SECRET_KEY_FALLBACKS", "").split(",") if key.strip()]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "sessionsite.urls"
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions"]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
DATABASES = {"default": database(env("DJANGO_DATABASE_URL", ""))}
CACHES = {"default": cache(env("DJANGO_CACHE_URL"), env("DJANGO_CACHE_BACKEND", "django"))}

SESSION_ENGINE = "django.contrib.sessions.backends." + env("DJANGO_SESSION_ENGINE", "db")
SESSION_COOKIE_NAME = env("DJANGO_SESSION_COOKIE_NAME", "sessionid")
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"handlers": [], "level": "ERROR"}}

# DJANGO_PBKDF2_ITERATIONS: PBKDF2 work factor of new hashes. Both sides re-hash a password at
# login when its iterations differ from their own (Django 3.2: 260000, 4.2 and SessionScope:
# 600000), which changes the session auth hash and signs the user out on the other side.
if env("DJANGO_PBKDF2_ITERATIONS"):
    PASSWORD_HASHERS = ["sessionsite.hashers.PBKDF2PasswordHasher"]
