"""Load benchmark of the people pages under concurrent clients, against the real server.

    DATABASE_URL=... .venv/bin/python bench/load.py [--workers 3] [--threads 1] [--clients 20]

Starts gunicorn (thidua.wsgi) on a free port of 127.0.0.1, logs the bench users in through
/login/ (GET for the CSRF token, then POST), and sends each scenario's requests from `--clients`
threads that each wait for their answer before sending the next one (a closed loop, with no
think time unless --think-ms is given). Every scenario is bounded by a request count and a time
limit. The server is stopped whatever happens. The trivial page is GET /login/ as an anonymous
client: a small template rendered by Django, with no database query.

Besides latency, each scenario reports the CPU time it cost per request: the gunicorn processes
(which include the SQLite work) and, on PostgreSQL, the backends serving the bench, read from
/proc. On a shared machine those figures move much less than the latencies do.

Exit status: 1 if any request failed (non-200, timeout, reset), 2 with --strict if a goal was
missed (p95 ≤ --goal-p95 ms and p95 ≤ --goal-ratio × the trivial page's p95).
"""

import argparse
import http.client
import math
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

from common import (
    AGENCY_CODE,
    OFFICER_USERNAME,
    OUT_DIR,
    PASSWORD,
    ROOT,
    UNIT_HEAD_USERNAME,
    configure_env,
    setup_django,
)

# Folded (diacritic-free) fragments, as people type them: common and rare names, a staff code.
SEARCHES = [
    "nguyen van", "thi lan", "dang", "hoang minh", "tran thi thu", "le duc", "pham", "huong",
    "vu ngoc anh", "bui quang", "do thi", "ha", "ngo xuan son", "b0123", "trieu", "lam",
    "duong thanh", "thao", "nguyen thi hong nhung", "kien",
]  # fmt: skip
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
NETWORK_ERRORS = (OSError, http.client.HTTPException)


class Client:
    """One browser: a keep-alive connection and its cookies."""

    def __init__(self, port: int, timeout: float) -> None:
        self.port = port
        self.timeout = timeout
        self.conn: http.client.HTTPConnection | None = None
        self.cookies: dict[str, str] = {}
        self.reconnects = 0

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            fresh = self.conn is None
            if fresh:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                # The server may close an idle keep-alive connection: retry once, like a browser.
                if fresh or attempt:
                    raise
                self.reconnects += 1
                continue
            except BaseException:
                self.close()
                raise
            if response.will_close:
                self.close()
            for cookie in response.headers.get_all("Set-Cookie") or []:
                name, _, value = cookie.split(";", 1)[0].partition("=")
                self.cookies[name.strip()] = value.strip()
            return response.status, response, data
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def login(client: Client, username: str) -> None:
    status, _response, body = client.request("GET", "/login/")
    match = CSRF_INPUT.search(body)
    if status != 200 or match is None:
        raise SystemExit(f"login page answered {status} without a CSRF token")
    form = urlencode(
        {
            "csrfmiddlewaretoken": match.group(1).decode(),
            "username": username,
            "password": PASSWORD,
            "next": "",
        }
    )
    status, response, _body = client.request(
        "POST", "/login/", body=form, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    if status != 302 or "sessionid" not in client.cookies:
        raise SystemExit(
            f"login of {username} failed: {status} → {response.getheader('Location')}"
            " (run bench/generate.py against the same DATABASE_URL first)"
        )


@dataclass
class Scenario:
    name: str
    description: str
    who: str  # "anonymous", "officer" or "head"
    path: Callable[[random.Random], str]
    goal: bool = True  # False: shown for reference, not held to the goals


@dataclass
class Result:
    scenario: Scenario
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    bytes: int = 0
    elapsed: float = 0.0
    app_cpu: float = 0.0  # CPU seconds of gunicorn (master + workers) during the scenario
    db_cpu: float | None = None  # CPU seconds of the PostgreSQL backends serving the bench

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile, in milliseconds."""
        if not self.latencies:
            return math.nan
        ordered = sorted(self.latencies)
        return 1000 * ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    @property
    def requests(self) -> int:
        return len(self.latencies) + len(self.errors)


def run(
    scenario: Scenario,
    clients: list[Client],
    *,
    total: int,
    max_seconds: float,
    seed: int,
    think: float = 0.0,
) -> Result:
    """Send `total` requests from all clients at once; stop early after `max_seconds`.

    With `think` (seconds), each client pauses 0.5–1.5 × `think` between its requests, as a
    person reading the page would; the pause is not part of the latency.
    """
    result = Result(scenario)
    lock = threading.Lock()
    remaining = [total]
    start_line = threading.Barrier(len(clients) + 1)
    deadline = [0.0]

    def client_loop(index: int, client: Client) -> None:
        rng = random.Random(seed * 1000 + index)
        start_line.wait()
        while time.perf_counter() < deadline[0]:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            path = scenario.path(rng)
            began = time.perf_counter()
            try:
                status, _response, body = client.request("GET", path)
                error = None if status == 200 else f"{status} for {path}"
            except NETWORK_ERRORS as exc:
                body, error = b"", f"{type(exc).__name__} for {path}: {exc}"
            took = time.perf_counter() - began
            with lock:
                if error:
                    result.errors.append(error)
                else:
                    result.latencies.append(took)
                    result.bytes += len(body)
            if think:
                time.sleep(
                    min(rng.uniform(0.5, 1.5) * think, max(0.0, deadline[0] - time.perf_counter()))
                )

    threads = [
        threading.Thread(target=client_loop, args=(i, c), daemon=True)
        for i, c in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline[0] = began + max_seconds
    start_line.wait()
    for thread in threads:
        thread.join(max_seconds + 60)
    result.elapsed = time.perf_counter() - began
    return result


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:  # the fields after "(comm)": state, ppid, …, utime (12th), stime (13th)
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of `pids` (all their threads), from /proc."""
    total = 0
    for pid in pids:
        fields = _stat(pid)
        if fields:
            total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICKS


def children_of(ppid: int) -> list[int]:
    pids = (int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit())
    return [pid for pid in pids if (fields := _stat(pid)) and int(fields[1]) == ppid]


class CpuMeter:
    """CPU seconds used by a changing set of processes, sampled every `interval` seconds.

    A process that ends during the measurement (a database connection closed after
    CONN_MAX_AGE) still counts up to its last sample; one that starts counts from zero.
    """

    def __init__(self, list_pids: Callable[[], list[int]], interval: float = 0.25) -> None:
        self.list_pids = list_pids
        self.interval = interval
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def _sample(self) -> None:
        for pid in self.list_pids():
            self.last[pid] = cpu_seconds([pid])

    def _loop(self) -> None:
        from django.db import connections

        try:
            while not self.done.wait(self.interval):
                self._sample()
        finally:
            connections.close_all()  # this thread's own connection, if it opened one

    def __enter__(self) -> "CpuMeter":
        self.first = {pid: cpu_seconds([pid]) for pid in self.list_pids()}
        self.last = dict(self.first)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.done.set()
        self.thread.join()
        self._sample()

    @property
    def seconds(self) -> float:
        return sum(cpu - self.first.get(pid, 0.0) for pid, cpu in self.last.items())


def db_backends() -> list[int] | None:
    """The PostgreSQL backends connected to the bench database (None on SQLite: in-process)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


class Server:
    """gunicorn serving thidua.wsgi on 127.0.0.1; always stopped by `stop()`."""

    def __init__(self, *, workers: int, threads: int, log_path: Path) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        env = configure_env()
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        self.log_path = log_path
        self.log = open(log_path, "w")  # closed in stop()
        command = [
            sys.executable, "-m", "gunicorn", "thidua.wsgi",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(workers),
            "--threads", str(threads),
            "--chdir", str(ROOT),
            "--backlog", "256",
            "--log-level", "warning",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command,
            env=env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        give_up = time.monotonic() + timeout
        while time.monotonic() < give_up:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.process.returncode}: {self.tail()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/login/")
                status = conn.getresponse().status
                conn.close()
                if status == 200:
                    return
            except NETWORK_ERRORS:
                pass
            time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer within {timeout} s: {self.tail()}")

    def pids(self) -> list[int]:
        return [self.process.pid, *children_of(self.process.pid)]

    def tail(self) -> str:
        self.log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-20:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # gunicorn: graceful stop of master + workers
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)  # its own session: only its workers
                self.process.wait(5)
        self.log.close()


def environment(args) -> tuple[dict[str, str], list[int]]:
    """Facts about the database and machine, and the people the officer may open."""
    setup_django()
    import django
    import gunicorn
    from django.conf import settings
    from django.db import connection

    import thidua
    from thidua.org.models import Person, Unit

    people = list(Person.objects.filter(agency__code=AGENCY_CODE).values_list("pk", flat=True))
    if not people:
        raise SystemExit("no bench data: run bench/generate.py against the same DATABASE_URL")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
        else:
            cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    db = settings.DATABASES["default"]
    facts = {
        "database": f"{connection.vendor} {version} ({db['NAME']})",
        "data": f"{len(people)} people, {Unit.objects.filter(agency__code=AGENCY_CODE).count()} units",
        "server": f"gunicorn {gunicorn.__version__}, {args.workers} workers × {args.threads} threads"
        f" ({'gthread' if args.threads > 1 else 'sync'}), CONN_MAX_AGE={db['CONN_MAX_AGE']}",
        "clients": f"{args.clients} concurrent, closed loop"
        + (f" with {args.think_ms:g} ms think time" if args.think_ms else ", no think time")
        + f", {args.requests} requests per scenario"
        f" (max {args.max_seconds:g} s), {args.warmup} warm-up requests",
        "machine": f"{os.cpu_count()} CPUs ({len(os.sched_getaffinity(0))} usable),"
        f" Python {sys.version.split()[0]}, Django {django.get_version()}",
        "code": str(Path(thidua.__file__).parent),
        "load avg": " ".join(f"{x:.2f}" for x in os.getloadavg())
        + " (1, 5, 15 min) before the run",
        "page size": str(settings.PAGE_SIZE),
    }
    connection.close()
    return facts, people


def scenarios(people: list[int]) -> list[Scenario]:
    return [
        Scenario("trivial", "GET /login/ (anonymous)", "anonymous", lambda rng: "/login/"),
        Scenario("home", "home page (reference)", "officer", lambda rng: "/", goal=False),
        Scenario("list", "people list, page 1", "officer", lambda rng: "/people/"),
        Scenario("list_deep", "people list, page 500", "officer", lambda rng: "/people/?page=500"),
        Scenario(
            "search",
            "search /people/?q=…",
            "officer",
            lambda rng: "/people/?q=" + quote(rng.choice(SEARCHES)),
        ),
        Scenario(
            "person",
            "person page /people/<pk>/",
            "officer",
            lambda rng: f"/people/{rng.choice(people)}/",
        ),
        Scenario("list_head", "people list, unit head", "head", lambda rng: "/people/"),
    ]


def print_table(results: list[Result], *, goal_p95: float, goal_ratio: float | None) -> bool:
    """Print one row per scenario; True if every scenario held to the goals met them. Without
    `goal_ratio`, the ratio to the trivial page is shown for information only."""
    trivial = next((r for r in results if r.scenario.name == "trivial"), None)
    base = trivial.percentile(95) if trivial else math.nan
    header = (
        f"{'scenario':<11}{'what':<28}{'reqs':>6}{'errors':>7}{'p50 ms':>8}{'p95 ms':>8}"
        f"{'p99 ms':>8}{'req/s':>7}{'KB':>6}{'cpu ms':>8}{'db ms':>7}{'ratio':>7}  goal"
    )
    print(header)
    print("-" * len(header))
    all_met = True
    for r in results:
        p95 = r.percentile(95)
        ratio = p95 / base if base else math.nan
        within_ratio = goal_ratio is None or r is trivial or ratio <= goal_ratio
        met = p95 <= goal_p95 and within_ratio and not r.errors
        if r.scenario.goal:
            all_met &= met
        ok = len(r.latencies)
        print(
            f"{r.scenario.name:<11}{r.scenario.description:<28}{r.requests:>6}{len(r.errors):>7}"
            f"{r.percentile(50):>8.1f}{p95:>8.1f}{r.percentile(99):>8.1f}"
            f"{r.requests / r.elapsed if r.elapsed else 0:>7.1f}"
            f"{r.bytes / ok / 1024 if ok else 0:>6.0f}"
            f"{1000 * r.app_cpu / r.requests if r.requests else 0:>8.1f}"
            f"{'' if r.db_cpu is None else f'{1000 * r.db_cpu / max(r.requests, 1):.1f}':>7}"
            f"{ratio:>7.2f}  {'-' if not r.scenario.goal else 'ok' if met else 'MISSED'}"
        )
    if goal_ratio is None:
        print(f"goal: p95 ≤ {goal_p95:g} ms (ratio = p95 / trivial p95, for information)")
    else:
        print(f"goal: p95 ≤ {goal_p95:g} ms and p95 ≤ {goal_ratio:g} × trivial p95")
    print(
        "cpu ms: CPU time of the gunicorn processes per request (on SQLite it includes the"
        " database work);\ndb ms: CPU time of the PostgreSQL backends per request. Both hold"
        " up better than latency when the machine is shared."
    )
    return all_met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", 3)))
    # 3 sync workers suit 2 cores best (see bench/README.md): every request goes to whichever
    # worker is free, where gthread workers keep each keep-alive connection to themselves.
    parser.add_argument("--threads", type=int, default=int(os.environ.get("BENCH_THREADS", 1)))
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=600, help="per scenario")
    parser.add_argument("--warmup", type=int, default=60, help="per scenario, not counted")
    parser.add_argument("--max-seconds", type=float, default=60, help="per scenario")
    parser.add_argument("--timeout", type=float, default=30, help="per request, seconds")
    parser.add_argument(
        "--think-ms",
        type=float,
        default=0,
        help="mean pause of each client between requests (default 0: a closed loop)",
    )
    parser.add_argument("--only", nargs="*", help="scenario names (trivial is always run)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--goal-p95", type=float, default=150)
    parser.add_argument("--goal-ratio", type=float, default=3)
    parser.add_argument("--strict", action="store_true", help="exit 2 when a goal is missed")
    args = parser.parse_args()

    facts, people = environment(args)
    chosen = [
        s for s in scenarios(people) if not args.only or s.name in args.only or s.name == "trivial"
    ]
    log_path = OUT_DIR / f"gunicorn-{os.getpid()}.log"
    server = Server(workers=args.workers, threads=args.threads, log_path=log_path)
    results: list[Result] = []
    pools: dict[str, list[Client]] = {}
    try:
        server.wait_ready()
        for who, username in (
            ("anonymous", None),
            ("officer", OFFICER_USERNAME),
            ("head", UNIT_HEAD_USERNAME),
        ):
            if any(s.who == who for s in chosen):
                pools[who] = [Client(server.port, args.timeout) for _ in range(args.clients)]
                for client in pools[who] if username else []:
                    login(client, username)
        for key, value in facts.items():
            print(f"{key + ':':<11}{value}")
        print()
        for i, scenario in enumerate(chosen):
            clients = pools[scenario.who]
            run(scenario, clients, total=args.warmup, max_seconds=args.max_seconds, seed=-1 - i)
            app_pids = server.pids()
            on_postgresql = db_backends() is not None
            with (
                CpuMeter(app_pids.copy) as app_meter,
                CpuMeter(db_backends if on_postgresql else list) as db_meter,
            ):
                result = run(
                    scenario,
                    clients,
                    total=args.requests,
                    max_seconds=args.max_seconds,
                    seed=i,
                    think=args.think_ms / 1000,
                )
            result.app_cpu = app_meter.seconds
            result.db_cpu = db_meter.seconds if on_postgresql else None
            results.append(result)
            for client in clients:  # the next scenario starts on fresh connections
                client.close()
    finally:
        server.stop()
        from django.db import connection

        connection.close()
    all_met = print_table(results, goal_p95=args.goal_p95, goal_ratio=args.goal_ratio)
    print("load avg after the run: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    reconnects = sum(c.reconnects for pool in pools.values() for c in pool)
    errors = [e for r in results for e in r.errors]
    if reconnects:
        print(f"{reconnects} idle keep-alive connections were re-opened (not errors)")
    if errors:
        print(f"{len(errors)} requests failed, for example: {errors[:3]}", file=sys.stderr)
        print(f"server log: {log_path}", file=sys.stderr)
        return 1
    log_path.unlink(missing_ok=True)
    return 2 if args.strict and not all_met else 0


if __name__ == "__main__":
    sys.exit(main())
