"""CPU per request of the endpoints bench/load.py measures, in one process. Prints figures.

    .venv/bin/python bench/endpoint_cpu.py [--repeat 50] [--only NAME] [--profile NAME]

On the database bench/load.py seeds (``BENCH_DATABASE_URL``, seeded once with ``bench/load.py
--seed``), each endpoint is called ``--repeat`` times through the WSGI handler as a gunicorn
worker calls it (``WSGIHandler()(environ, start_response)``, the response read and closed), as
the same people bench/load.py picks (her session cookie or her API token). It prints, per
endpoint, the median and the quartiles of this process's CPU milliseconds
(``time.process_time``) and the number of SQL queries. Without the HTTP parsing and the
network, these figures are a little under the workers' own in bench/load.py, and much steadier
on a shared machine. ``--profile NAME`` prints the cProfile of that endpoint's calls instead
(sorted by cumulative time); ``--lang zh-hans`` asks for the pages in Chinese.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import load  # noqa: E402  (sets the server's environment before Django starts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--profile", default="")
    parser.add_argument("--lang", default="")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument(
        "--sample", action="store_true", help="pyinstrument's sampling profile (if installed)"
    )
    parser.add_argument("--sql", action="store_true", help="print the SQL of one call each")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    people, coordinator_cookie, slots = load.prepare(args.clients)
    handler = WSGIHandler()

    def call(method, path, headers, body=b""):
        query = ""
        if "?" in path:
            path, query = path.split("?", 1)
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            "CONTENT_LENGTH": str(len(body)),
        }
        if args.lang:
            environ["HTTP_ACCEPT_LANGUAGE"] = args.lang
        for name, value in headers.items():
            key = name.upper().replace("-", "_")
            if key == "CONTENT_TYPE":
                environ["CONTENT_TYPE"] = value
            else:
                environ["HTTP_" + key] = value
        status = []
        response = handler(environ, lambda s, h, exc_info=None: status.append(s))
        data = b"".join(response)
        response.close()
        return int(status[0].split()[0]), data

    rng_slots = iter(slots * 1000)

    def signup_cancel(person):
        """A sign-up and its cancellation through the API, as bench/load.py's pair: her
        shifts taken in turn, each given back at once so that the next one is judged alike."""
        import json

        fits = person["fits"]
        slot = fits[person.setdefault("turn", 0) % len(fits)]
        person["turn"] += 1
        headers = {"Authorization": f"Token {person['token']}", "Content-Type": "application/json"}
        status, data = call("POST", f"/api/v1/slots/{slot}/signup/", headers, b"{}")
        if status != 201:
            return status, data
        pk = json.loads(data)["id"]
        return call("POST", f"/api/v1/assignments/{pk}/cancel/", headers, b"{}")

    plan = {
        "shifts for me (page)": lambda p: call("GET", "/shifts/", {"Cookie": p["cookie"]}),
        "shifts for me, 5 a page": lambda p: call(
            "GET", "/shifts/?page_size=5", {"Cookie": p["cookie"]}
        ),
        "shifts for me, 100 a page": lambda p: call(
            "GET", "/shifts/?page_size=100", {"Cookie": p["cookie"]}
        ),
        "shifts for me (API)": lambda p: call(
            "GET", "/api/v1/slots/", {"Authorization": f"Token {p['token']}"}
        ),
        "slot page": lambda p: call("GET", f"/shifts/{next(rng_slots)}/", {"Cookie": p["cookie"]}),
        "calendar feed": lambda p: call("GET", f"/calendar/feed/{p['feed']}.ics", {}),
        "coordinator board": lambda p: call(
            "GET", "/coordination/", {"Cookie": coordinator_cookie}
        ),
        "signup + cancel (API)": signup_cancel,
        "ceiling (bare DRF)": lambda p: call(
            "GET", "/api/v1/bench/ceiling/", {"Authorization": f"Token {p['token']}"}
        ),
        # The least an API request with her token costs: who she is, no list, no write.
        "floor: who am I (API)": lambda p: call(
            "GET", "/api/v1/me/", {"Authorization": f"Token {p['token']}"}
        ),
    }
    if args.only:
        plan = {k: v for k, v in plan.items() if any(o in k for o in args.only)}
    if args.profile:
        plan = {k: v for k, v in plan.items() if args.profile in k}

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    import os

    print(f"load average {os.getloadavg()[0]:.2f} at the start; {args.repeat} calls each")
    print(f"  {'endpoint':<24} {'CPU ms p25':>10} {'median':>7} {'p75':>7} {'queries':>8} status")
    for name, run in plan.items():
        for i in range(5):  # warm: templates, caches, connections
            run(people[i % len(people)])
        times, statuses = [], set()
        profile = cProfile.Profile(time.process_time) if args.profile else None
        sampler = None
        if args.sample:
            from pyinstrument import Profiler

            sampler = Profiler(interval=0.0002)
            sampler.start()
        for i in range(args.repeat):
            person = people[i % len(people)]
            queries = 0
            with connection.execute_wrapper(count):
                began = time.process_time()
                if profile:
                    profile.enable()
                status, _data = run(person)
                if profile:
                    profile.disable()
                times.append((time.process_time() - began) * 1000)
            statuses.add(status)
        if sampler:
            sampler.stop()
            print(sampler.output_text(unicode=False, color=False, show_all=False))
        if args.sql:
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as captured:
                run(people[0])
            for query in captured.captured_queries:
                print("   ", query["sql"][:600])
        q = statistics.quantiles(times, n=4)
        print(f"  {name:<24} {q[0]:10.1f} {q[1]:7.1f} {q[2]:7.1f} {queries:8d} {sorted(statuses)}")
        if profile:
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(70)
            print(out.getvalue())
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(40)
            print(out.getvalue())
    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
