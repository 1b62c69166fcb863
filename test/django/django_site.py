"""A minimal Django site on a given database, for SessionScope's attach tests.

Reads one JSON request from stdin, answers one JSON document on stdout:
  {"op": "migrate", "database": DB}                       -> {"ok": true}  (manage.py migrate)
  {"op": "login", "database": DB, "secret_key": K, "users": [{"username": U, "password": P}],
   "sessions": [{"username": U | null, "data": {...}}]}
      -> {"sessions": [{"key": session_key, "user_id": id | null}]}
  DB: {"engine": "sqlite", "path": P} or {"engine": "postgresql", "name", "host", "port", "user", "password"}
Sessions are made as Django's login() makes them: SessionStore (db backend) with
_auth_user_id, _auth_user_backend and _auth_user_hash.
"""
import json
import sys

from django.conf import settings

request = json.load(sys.stdin)
db = request["database"]
if db["engine"] == "sqlite":
    database = {"ENGINE": "django.db.backends.sqlite3", "NAME": db["path"]}
else:
    database = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": db["name"],
        "HOST": db["host"],
        "PORT": str(db["port"]),
        "USER": db["user"],
        "PASSWORD": db.get("password", ""),
    }
settings.configure(
    SECRET_KEY=request.get("secret_key", "unused"),
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions"],
    DATABASES={"default": database},
    USE_TZ=True,
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"],
)
import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402

op = request["op"]
if op == "migrate":
    call_command("migrate", verbosity=0, interactive=False)
    print(json.dumps({"ok": True}))
elif op == "login":
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore

    users = {}
    for spec in request.get("users", []):
        user = User.objects.filter(username=spec["username"]).first()
        if user is None:
            user = User.objects.create_user(spec["username"], password=spec["password"])
        users[spec["username"]] = user
    out = []
    for spec in request["sessions"]:
        store = SessionStore()
        for name, value in spec.get("data", {}).items():
            store[name] = value
        user = users.get(spec.get("username"))
        if user is not None:
            store[SESSION_KEY] = user._meta.pk.value_to_string(user)
            store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        out.append({"key": store.session_key, "user_id": user.pk if user is not None else None})
    print(json.dumps({"sessions": out}))
else:
    sys.exit("unknown op %r" % op)
