#!/usr/bin/python3
"""
Django's own session engines, measured the way SessionScope's are (bench/run.ts).

Standalone: configures Django in-process, migrates the sessions table, then
times create / load / load-modify-save per engine and encode / decode of the
shared ~1 KB payload (bench/payload.json). One op at a time, one connection,
time-boxed loops after a warm-up. Prints one JSON object per line:

  {"impl": "django", "engine": "db", "backend": "sqlite-full", "durability": "...",
   "op": "load", "ops_per_sec": 12345.6, "us_per_op": 81.0, "n": 18518}

Run with Debian's interpreter (it sees python3-django, django-redis, psycopg2):

  /usr/bin/python3 bench/django/bench_sessions.py --database sqlite:/tmp/x.db --durability full --engines db
  /usr/bin/python3 bench/django/bench_sessions.py --database postgresql://postgres@127.0.0.1:5432/db \
      --redis redis://127.0.0.1:6379/1 --engines db,cache,cached_db --codec
  /usr/bin/python3 bench/django/bench_sessions.py --database postgresql://... --memcached 127.0.0.1:11211 --engines cache,cached_db
"""
import argparse
import json
import os
import sys
import time
from urllib.parse import unquote, urlparse

HERE = os.path.dirname(os.path.abspath(__file__))
SECRET_KEY = "django-insecure-bench-key-0123456789abcdefghijklmnopqrstuvwxyz"

MEMCACHED_DURABILITY = "Memcached (memory only: a restart loses every entry)"

DURABILITY = {
    "full": ("DELETE", "FULL", "rollback journal, synchronous=FULL (Django's default): a commit survives power loss"),
    "normal": ("WAL", "NORMAL", "WAL, synchronous=NORMAL (SessionScope's default): survives an app crash; an OS crash or power loss may drop the last commits"),
}


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--database", required=True, help="sqlite:/path/to/file.db or postgresql://user@host:port/name")
    p.add_argument("--durability", choices=sorted(DURABILITY), default="full", help="SQLite only")
    p.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL"), help="redis://host:port/db for cache and cached_db")
    p.add_argument("--memcached", default=None, help="host:port of a memcached for cache and cached_db (PyMemcacheCache), instead of --redis")
    p.add_argument("--engines", default="db", help="comma-separated: db, cache, cached_db")
    p.add_argument("--backend", default=None, help="backend label for db results (default: from --database)")
    p.add_argument("--codec", action="store_true", help="also measure encode/decode of the payload")
    p.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", "1.5")))
    p.add_argument("--warmup", type=float, default=float(os.environ.get("BENCH_WARMUP", "0.3")))
    p.add_argument("--payload", default=os.path.join(HERE, "..", "payload.json"))
    return p.parse_args()


def database_settings(url, durability):
    if url.startswith("sqlite:"):
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": url[len("sqlite:"):]}
    u = urlparse(url)
    if u.scheme not in ("postgres", "postgresql"):
        sys.exit(f"bench_sessions.py: unsupported --database {url!r}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": u.path.lstrip("/"),
        "USER": unquote(u.username or "postgres"),
        "PASSWORD": unquote(u.password or ""),
        "HOST": u.hostname or "127.0.0.1",
        "PORT": str(u.port or 5432),
    }


def configure(args):
    import django
    from django.conf import settings

    caches = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    if args.memcached:
        caches["default"] = {"BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache", "LOCATION": args.memcached}
    elif args.redis:
        caches["default"] = {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": args.redis,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    settings.configure(
        SECRET_KEY=SECRET_KEY,
        INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions"],
        DATABASES={"default": database_settings(args.database, args.durability)},
        CACHES=caches,
        USE_TZ=True,
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    )

    if args.database.startswith("sqlite:"):
        from django.db.backends.signals import connection_created

        journal, sync = DURABILITY[args.durability][:2]

        def apply_pragmas(sender, connection, **kwargs):
            if connection.vendor == "sqlite":
                cursor = connection.cursor()
                cursor.execute(f"PRAGMA journal_mode={journal}")
                cursor.execute(f"PRAGMA synchronous={sync}")
                cursor.close()

        connection_created.connect(apply_pragmas)

    django.setup()
    from django.core.management import call_command

    call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)

    if args.database.startswith("sqlite:"):
        from django.db import connection

        with connection.cursor() as c:
            c.execute("PRAGMA journal_mode")
            got_journal = c.fetchone()[0].upper()
            c.execute("PRAGMA synchronous")
            got_sync = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}[c.fetchone()[0]]
        if (got_journal, got_sync) != (journal, sync):
            sys.exit(f"bench_sessions.py: SQLite pragmas not applied: {got_journal}/{got_sync}, wanted {journal}/{sync}")


def timed(run, seconds, warmup):
    """Calls run(i) serially: `warmup` seconds untimed, then `seconds` timed."""
    clock = time.perf_counter
    i = 0
    end = clock() + warmup
    while clock() < end:
        run(i)
        i += 1
    n = 0
    start = clock()
    end = start + seconds
    t = start
    while t < end:
        run(i + n)
        n += 1
        t = clock()
    elapsed = t - start
    return n, elapsed


def emit(args, engine, backend, durability, op, n, elapsed):
    print(json.dumps({
        "impl": "django",
        "engine": engine,
        "backend": backend,
        "durability": durability,
        "op": op,
        "ops_per_sec": round(n / elapsed, 1),
        "us_per_op": round(elapsed / n * 1e6, 2),
        "n": n,
    }), flush=True)


def store_class(engine):
    if engine == "db":
        from django.contrib.sessions.backends.db import SessionStore
    elif engine == "cache":
        from django.contrib.sessions.backends.cache import SessionStore
    elif engine == "cached_db":
        from django.contrib.sessions.backends.cached_db import SessionStore
    else:
        sys.exit(f"bench_sessions.py: unknown engine {engine!r}")
    return SessionStore


def backend_label(args, engine):
    if engine == "cache" and args.memcached:
        return "memcached", MEMCACHED_DURABILITY
    if engine == "cache":
        return "redis", "Redis (no persistence configured)"
    if args.backend:
        db = args.backend
    elif args.database.startswith("sqlite:"):
        db = "sqlite-full" if args.durability == "full" else "sqlite-default"
    else:
        db = "postgresql"
    if engine == "cached_db" and args.memcached:
        return "cached_db-memcached", "Memcached cache + " + db
    if engine == "cached_db":
        return "cached_db", "Redis cache + " + db
    if args.database.startswith("sqlite:"):
        return db, DURABILITY[args.durability][2]
    return db, "PostgreSQL (server settings as started by bench/run.ts)"


def bench_engine(args, engine, payload):
    Store = store_class(engine)
    backend, durability = backend_label(args, engine)
    keys = []
    KEEP = 5000

    def create(i):
        s = Store()
        s.update(payload)
        s.save()
        if len(keys) < KEEP:
            keys.append(s.session_key)

    n, elapsed = timed(create, args.seconds, args.warmup)
    emit(args, engine, backend, durability, "create", n, elapsed)

    # Sanity: what we created loads back, identical.
    probe = Store(keys[0]).load()
    if probe.get("_auth_user_id") != payload["_auth_user_id"] or probe.get("cart") != payload["cart"]:
        sys.exit(f"bench_sessions.py: {engine}: a created session did not load back")

    count = len(keys)

    def load(i):
        data = Store(keys[i % count]).load()
        if not data:
            raise RuntimeError(f"{engine}: session {keys[i % count]} vanished")

    n, elapsed = timed(load, args.seconds, args.warmup)
    emit(args, engine, backend, durability, "load", n, elapsed)

    def load_modify_save(i):
        s = Store(keys[i % count])
        s["counter"] = i  # __setitem__ loads the session first, as a view would
        s.save()

    n, elapsed = timed(load_modify_save, args.seconds, args.warmup)
    emit(args, engine, backend, durability, "load_modify_save", n, elapsed)

    if Store(keys[0]).load().get("counter") is None:
        sys.exit(f"bench_sessions.py: {engine}: load-modify-save did not persist")


def bench_codec(args, payload):
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    encoded = store.encode(payload)
    if store.decode(encoded) != payload:
        sys.exit("bench_sessions.py: encode/decode round trip failed")
    n, elapsed = timed(lambda i: store.encode(payload), args.seconds, args.warmup)
    emit(args, "codec", "none", "n/a", "encode", n, elapsed)
    n, elapsed = timed(lambda i: store.decode(encoded), args.seconds, args.warmup)
    emit(args, "codec", "none", "n/a", "decode", n, elapsed)


def main():
    args = parse_args()
    with open(args.payload, encoding="utf-8") as f:
        payload = json.load(f)
    configure(args)
    for engine in [e.strip() for e in args.engines.split(",") if e.strip()]:
        if engine in ("cache", "cached_db") and not (args.redis or args.memcached):
            sys.exit(f"bench_sessions.py: engine {engine} needs --redis or --memcached")
        bench_engine(args, engine, payload)
    if args.codec:
        bench_codec(args, payload)


if __name__ == "__main__":
    main()
