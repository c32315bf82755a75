"""Cost of one page in-process: CPU time per request, queries, and a cProfile of the hottest calls.

    DATABASE_URL=... .venv/bin/python bench/profile_page.py /people/ "/people/<pk>/" \
        [--as officer|head] [-n 200] [--queries] [--top 30 --sort tottime]

Sends the requests through Django's own WSGI handler (the code gunicorn runs, without the
network) with the session cookie of a bench user (none for /login/), so the figures are the
server's CPU per request without the noise of 20 concurrent clients. `<pk>` stands for one of
the bench's people. `--queries` prints the SQL of one request. On PostgreSQL the CPU is Django's
only; the backend's share is what bench/load.py reports as "db ms".
"""

import argparse
import cProfile
import io
import pstats
import sys
import time
from importlib import import_module

from common import AGENCY_CODE, OFFICER_USERNAME, UNIT_HEAD_USERNAME, setup_django


def session_cookie(username: str) -> str:
    """Log `username` in the way the login view does and return the session cookie's value."""
    from django.conf import settings
    from django.contrib.auth import login
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from thidua.accounts.models import User

    request = RequestFactory().get("/")
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    request.user = AnonymousUser()
    user = User.objects.get(username=username)
    user.backend = "thidua.accounts.backends.LoginBackend"
    login(request, user, backend=user.backend)
    request.session.save()
    return request.session.session_key


def call(handler, path: str, cookie: str) -> tuple[int, int]:
    """One GET through the WSGI handler; returns (status, body bytes)."""
    from urllib.parse import urlsplit

    parts = urlsplit(path)
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    if cookie:
        from django.conf import settings

        environ["HTTP_COOKIE"] = f"{settings.SESSION_COOKIE_NAME}={cookie}"
    status = []
    body = b"".join(handler(environ, lambda s, h, *a: status.append(s)))
    return int(status[0].split()[0]), len(body)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="+", help="for example /people/ or /people/?q=nguyen")
    parser.add_argument("--as", dest="who", choices=["officer", "head", "anonymous"])
    parser.add_argument("-n", type=int, default=200, help="requests per path")
    parser.add_argument("--top", type=int, default=0, help="print the N costliest calls")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key")
    parser.add_argument("--queries", action="store_true", help="print one request's SQL")
    args = parser.parse_args()
    setup_django()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    from thidua.org.models import Person

    who = args.who or "officer"
    username = {"officer": OFFICER_USERNAME, "head": UNIT_HEAD_USERNAME}.get(who)
    cookie = session_cookie(username) if username else ""
    handler = WSGIHandler()
    some_person = Person.objects.filter(agency__code=AGENCY_CODE).order_by("pk")[2500].pk
    for raw in args.paths:
        path = raw.replace("<pk>", str(some_person))
        cookie_now = "" if path.startswith("/login/") else cookie
        for _ in range(20):  # warm caches, templates, connection
            status, size = call(handler, path, cookie_now)
        if status != 200:
            print(f"{path}: status {status}", file=sys.stderr)
        captured: list[str] = []

        def record(execute, sql, params, many, context, captured=captured):
            captured.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            call(handler, path, cookie_now)
        profiler = cProfile.Profile() if args.top else None
        began = time.process_time()
        if profiler:
            profiler.enable()
        for _ in range(args.n):
            call(handler, path, cookie_now)
        if profiler:
            profiler.disable()
        cpu = (time.process_time() - began) / args.n * 1000
        print(f"{path:<40} {status} {size / 1024:6.1f} KB {len(captured):3} queries {cpu:7.2f} ms")
        if args.queries:
            for sql in captured:
                print(f"  {sql[:300]}")
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
            print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
