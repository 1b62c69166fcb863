"""Django's cache and cached_db session engines on Memcached (PyMemcacheCache, Debian's
python3-pymemcache), for SessionScope's interop tests.

Reads one JSON request from stdin, answers one JSON document on stdout:
  {"servers": ["127.0.0.1:P", ...], "key_prefix": S, "version": N, "engine": "cache"|"cached_db",
   "database": "<SQLite file, cached_db only>", "secret_key": K, "op": ...}
  op "write", "data": {...}          -> {"key": "<new session key>"}           (SessionStore.create + save)
  op "update", "key": K, "data": {}  -> {"ok": true}                           (load, update, save)
  op "read", "keys": [K, ...]        -> {"sessions": [{"exists": bool, "data": {...}}]}   (exists, then load)
"""
import json
import sys

from django.conf import settings

request = json.load(sys.stdin)
settings.configure(
    SECRET_KEY=request["secret_key"],
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions"],
    USE_TZ=True,
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": request.get("database") or ":memory:"}},
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
            "LOCATION": request["servers"],
            "KEY_PREFIX": request["key_prefix"],
            "VERSION": request["version"],
        }
    },
    SESSION_ENGINE="django.contrib.sessions.backends." + request["engine"],
    SESSION_SERIALIZER="django.contrib.sessions.serializers.JSONSerializer",
)
import django  # noqa: E402

django.setup()
from importlib import import_module  # noqa: E402

SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
op = request["op"]
if op == "write":
    session = SessionStore()
    session.update(request["data"])
    session.save()
    print(json.dumps({"key": session.session_key}))
elif op == "update":
    session = SessionStore(request["key"])
    session.update(request["data"])
    session.save()
    print(json.dumps({"ok": True}))
elif op == "read":
    sessions = [{"exists": SessionStore().exists(key), "data": dict(SessionStore(key).load())} for key in request["keys"]]
    print(json.dumps({"sessions": sessions}))
else:
    raise SystemExit("unknown op %r" % op)
