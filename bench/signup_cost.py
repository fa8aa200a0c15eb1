"""The server's cost of one sign-up: SQL queries and CPU milliseconds per request. Prints figures.

    .venv/bin/python bench/signup_cost.py [--repeat 40] [--db /tmp/bench_signup_cost.sqlite3]

With ``DATABASE_URL`` set (PostgreSQL) it uses that database, which it flushes first; otherwise a
fresh SQLite file. One volunteer (signed in through her session, with a phone and an email, so a
sign-up writes its text and its invitation) signs up for ``--repeat`` free shifts through the
page (the form's POST, no htmx), then as many through the API, then cancels them through the API.
Each request runs in this process through Django's full stack (middleware, session, the view);
CPU is this process's own time (``time.process_time``), medians printed, and the lower quartile
(steadier on a shared machine, whose other work only ever adds to a request's time). With
``CELERY_BROKER_URL`` the text and the invitation are queued to the broker, as in production.

Twice: through Django's test client (the first figures, kept to compare with earlier runs), and
through the WSGI handler as a server calls it (``WSGIHandler()(environ, start_response)``, with
her session cookie and a CSRF token, the response read and closed). The test client builds the
request its own way and leaves out what a server pays at the start and end of every request
(``request_started``/``request_finished``: the connection's health check); the WSGI figures are
what a gunicorn worker spends on the request, less the HTTP parsing.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_database import bench_database  # noqa: E402


def measure(call, *, connection) -> tuple[int, float, object]:
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        cpu = time.process_time()
        response = call()
        cpu = time.process_time() - cpu
    return queries, cpu * 1000, response


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--db", default="/tmp/bench_signup_cost.sqlite3")
    args = parser.parse_args()

    bench_database(
        args.db,
        LOG_LEVEL="WARNING",
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
    )
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.middleware.csrf import get_token
    from django.test import Client, RequestFactory
    from publish import load

    from activities.models import Assignment, SlotRole
    from volunteers.models import VolunteerProfile

    n = args.repeat
    # One shift a day, so that her weekly hours stay under her cap.
    run, _coordinator = load(proposals=5 * n + 4, slots=5 * n + 4, people=1, tag="bench", per_day=1)
    volunteer = VolunteerProfile.objects.get(user__email__endswith="@bench.invalid")
    run.delete()
    slots = list(
        SlotRole.objects.filter(slot__activity__venue__area__name_en="bench")
        .order_by("slot__starts_at")
        .values_list("slot_id", flat=True)
    )
    client = Client()
    client.force_login(volunteer.user)
    # One of each first: what a running worker has loaded already is not counted.
    client.post(f"/shifts/{slots.pop()}/signup/")
    client.post(f"/api/v1/slots/{slots.pop()}/signup/", {}, content_type="application/json")

    # The same requests as a server hands them to Django: her session cookie, a CSRF token in
    # its cookie and in the form or the header, as her browser sends them.
    handler = WSGIHandler()
    csrf = get_token(RequestFactory().get("/"))
    cookies = (
        f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}; "
        f"{settings.CSRF_COOKIE_NAME}={csrf}"
    )

    def wsgi_post(path: str, body: bytes, content_type: str):
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": path,
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_COOKIE": cookies,
            "HTTP_X_CSRFTOKEN": csrf,
            "CONTENT_TYPE": content_type,
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http",
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        started: list[tuple[str, list]] = []
        response = handler(environ, lambda *status_headers: started.append(status_headers[:2]))
        try:
            content = b"".join(response)
        finally:
            response.close()
        status, headers = started[0]
        # A sign-up answered by the slot's page, not by the sign-in page.
        return int(status.split()[0]), dict(headers).get("Location", "") or content

    form = f"csrfmiddlewaretoken={csrf}".encode()
    form_type = "application/x-www-form-urlencoded"
    json_type = "application/json"
    status, content = wsgi_post(f"/shifts/{slots[-1]}/signup/", form, form_type)
    assert (status, content) == (302, f"/shifts/{slots.pop()}/"), (status, content[:300])
    status, content = wsgi_post(f"/api/v1/slots/{slots.pop()}/signup/", b"{}", json_type)
    assert status == 201, (status, content[:300])

    figures: dict[str, list[tuple[int, float]]] = {
        "page": [],
        "api": [],
        "cancel": [],
        "wsgi page": [],
        "wsgi api": [],
        "wsgi cancel": [],
    }
    for _ in range(n):
        q, ms, response = measure(
            lambda: client.post(f"/shifts/{slots.pop(0)}/signup/"), connection=connection
        )
        assert response.status_code == 302, response.status_code
        figures["page"].append((q, ms))
    for _ in range(n):
        q, ms, response = measure(
            lambda: client.post(
                f"/api/v1/slots/{slots.pop(0)}/signup/", {}, content_type="application/json"
            ),
            connection=connection,
        )
        assert response.status_code == 201, response.content
        figures["api"].append((q, ms))
    for pk in list(
        Assignment.objects.filter(volunteer=volunteer, status="confirmed").values_list(
            "pk", flat=True
        )
    )[:n]:
        q, ms, response = measure(
            lambda pk=pk: client.post(f"/api/v1/assignments/{pk}/cancel/"),
            connection=connection,
        )
        assert response.status_code == 200, response.content
        figures["cancel"].append((q, ms))
    for _ in range(n):
        q, ms, (status, content) = measure(
            lambda: wsgi_post(f"/shifts/{slots.pop(0)}/signup/", form, form_type),
            connection=connection,
        )
        assert status == 302 and "/shifts/" in content, (status, content[:300])
        figures["wsgi page"].append((q, ms))
    for _ in range(n):
        q, ms, (status, content) = measure(
            lambda: wsgi_post(f"/api/v1/slots/{slots.pop(0)}/signup/", b"{}", json_type),
            connection=connection,
        )
        assert status == 201, (status, content[:300])
        figures["wsgi api"].append((q, ms))
    for pk in list(
        Assignment.objects.filter(volunteer=volunteer, status="confirmed").values_list(
            "pk", flat=True
        )
    )[:n]:
        q, ms, (status, content) = measure(
            lambda pk=pk: wsgi_post(f"/api/v1/assignments/{pk}/cancel/", b"", json_type),
            connection=connection,
        )
        assert status == 200, (status, content[:300])
        figures["wsgi cancel"].append((q, ms))
    print(
        f"{connection.vendor}, {n} requests each, medians"
        f" (load average {os.getloadavg()[0]:.2f}: CPU time grows on a busy machine):"
    )
    for name, rows in figures.items():
        queries = statistics.median(q for q, _ms in rows)
        cpu = statistics.median(ms for _q, ms in rows)
        low = statistics.quantiles([ms for _q, ms in rows], n=4)[0]
        label = {
            "page": "sign-up (page)",
            "api": "sign-up (API)",
            "cancel": "cancel (API)",
            "wsgi page": "sign-up (page)",
            "wsgi api": "sign-up (API)",
            "wsgi cancel": "cancel (API)",
        }
        if name == "page":
            print("  through the test client:")
        elif name == "wsgi page":
            print("  through the WSGI handler, as a server calls it:")
        print(f"    {label[name]:<16} {queries:4.0f} queries  {cpu:6.1f} ms CPU  (p25 {low:5.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
