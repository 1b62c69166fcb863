#!/usr/bin/python3
"""Django's session codec, timed for bench/codec.bench.ts (one round per run).

Reads the sessions to encode ({"sizes": {label: [json text, ...]}}, distinct
sessions per size), and for each size times SessionStore.encode over them and
SessionStore.decode over Django's own encoded values (each call a value not
decoded just before: the list is cycled), in CPU time. Prints one JSON object per
measurement, and writes Django's encoded values to --values-out, which
SessionScope then decodes ("Django's compressed values").

  /usr/bin/python3 bench/django/codec_bench.py --sessions s.json --values-out v.json --seconds 1 --warmup 0.3
"""
import argparse
import json
import time

SECRET_KEY = "django-insecure-bench-key-0123456789abcdefghijklmnopqrstuvwxyz"  # bench_sessions.py's


def timed(run, count, seconds, warmup):
    """CPU time of this process (time.process_time), in batches of 20 calls:
    on a shared machine, time another process holds the core is not counted.
    A warm-up loop of `warmup` seconds, then the timed one of `seconds`."""

    def loop(budget):
        n = 0
        start = t = time.process_time()
        while t < start + budget:
            for _ in range(20):
                run(n % count)
                n += 1
            t = time.process_time()
        return n, t - start

    loop(warmup)
    return loop(seconds)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sessions", required=True)
    p.add_argument("--values-out", required=True)
    p.add_argument("--seconds", type=float, default=1.0)
    p.add_argument("--warmup", type=float, default=0.3)
    args = p.parse_args()

    import django
    from django.conf import settings

    settings.configure(
        SECRET_KEY=SECRET_KEY,
        INSTALLED_APPS=["django.contrib.sessions"],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        USE_TZ=True,
    )
    django.setup()
    from django.contrib.sessions.backends.db import SessionStore

    with open(args.sessions, encoding="utf-8") as f:
        sizes = json.load(f)["sizes"]
    store = SessionStore()
    values = {}
    for label, texts in sizes.items():
        dicts = [json.loads(t) for t in texts]
        encoded = [store.encode(d) for d in dicts]
        if [store.decode(e) for e in encoded] != dicts:
            raise SystemExit("codec_bench.py: encode/decode round trip failed")
        values[label] = encoded
        for op, run in (("encode", lambda i: store.encode(dicts[i])), ("decode", lambda i: store.decode(encoded[i]))):
            n, elapsed = timed(run, len(dicts), args.seconds, args.warmup)
            print(json.dumps({"impl": "django", "size": label, "op": op, "us_per_op": round(elapsed / n * 1e6, 3), "n": n}), flush=True)
    with open(args.values_out, "w", encoding="utf-8") as f:
        json.dump(values, f)


if __name__ == "__main__":
    main()
