"""Runs real Django (Debian's python3-django) for SessionScope's interop tests.

Reads one JSON request from stdin, answers one JSON document on stdout:
  {"op": "decode", "secret_key": K, "values": [{"salt": S, "encoded": E, "max_age": N|null}]}
      -> {"results": [{"ok": true, "json": "<Python json.dumps of the data>"} | {"ok": false, "error": "..."}]}
  {"op": "encode", "secret_key": K, "sessions": ["<JSON text>", ...]}
      -> {"results": ["<encoded>", ...]}   (SessionStore.encode, Django's own zlib)
  {"op": "check_password", "checks": [{"password": P, "encoded": H}]} -> {"results": [bool, ...]}
  {"op": "make_password", "password": P, "salt": S, "iterations": N} -> {"result": H}
  {"op": "auth_hash", "secret_key": K, "password_hash": H} -> {"result": hex}
"""
import json
import sys

from django.conf import settings

request = json.load(sys.stdin)
settings.configure(
    SECRET_KEY=request.get("secret_key", "unused"),
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions"],
    USE_TZ=True,
)
import django  # noqa: E402

django.setup()
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core import signing  # noqa: E402

SESSION_SALT = "django.contrib.sessions.SessionStore"


def dumps(value):
    return json.dumps(value, separators=(",", ":"))


op = request["op"]
if op == "decode":
    results = []
    for item in request["values"]:
        try:
            data = signing.loads(item["encoded"], salt=item["salt"], max_age=item.get("max_age"))
            results.append({"ok": True, "json": dumps(data)})
        except Exception as error:  # report, do not crash: the test compares outcomes
            results.append({"ok": False, "error": "%s: %s" % (type(error).__name__, error)})
    print(dumps({"results": results}))
elif op == "encode":
    store = SessionStore()
    print(dumps({"results": [store.encode(json.loads(text)) for text in request["sessions"]]}))
elif op == "check_password":
    from django.contrib.auth.hashers import check_password

    print(dumps({"results": [check_password(c["password"], c["encoded"]) for c in request["checks"]]}))
elif op == "make_password":
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    print(dumps({"result": PBKDF2PasswordHasher().encode(request["password"], request["salt"], request["iterations"])}))
elif op == "auth_hash":
    from django.utils.crypto import salted_hmac

    key_salt = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"
    print(dumps({"result": salted_hmac(key_salt, request["password_hash"], algorithm="sha256").hexdigest()}))
else:
    sys.exit("unknown op %r" % op)
