"""Award-round benchmark (issue #4): the officer's list under load, and the ballot's closing.

    .venv/bin/python bench/rounds.py generate [--reset]   # the rounds, council and ballots
    .venv/bin/python bench/rounds.py load [--workers 3] [--clients 20] [--only list search]
    .venv/bin/python bench/rounds.py close [--runs 3] [--keep]
    .venv/bin/python bench/rounds.py all                   # generate if missing, load, close

DATABASE_URL as for bench/generate.py (default: the SQLite file in bench/out/), whose province
(50,000 people) must exist. See `rounds_data.py` for what `generate` writes.

`load` starts gunicorn as bench/load.py does, logs the officer and the unit head in, and sends
each scenario's requests from 20 clients at once (closed loop, no think time). `close` builds a
fresh round of 5,000 checked nominations per run and times the services on it: set_agenda,
open_ballot, one member's cast_votes, close_ballot (with every result), pass_without_vote,
draft_decision and issue_decision of 5,000 lines; it then removes what it made (unless --keep).

Goals (issue #4): every list scenario p95 ≤ 200 ms; close_ballot ≤ 2 s (median of the runs).
Exit status 0 when every goal measured is met, 1 otherwise (or when a request failed).
"""

import argparse
import cProfile
import io
import math
import os
import pstats
import random
import statistics
import sys
import time
from contextlib import contextmanager
from urllib.parse import quote

import load
import rounds_data as data
from common import OFFICER_USERNAME, OUT_DIR, UNIT_HEAD_USERNAME, configure_env, setup_django

GOAL_LIST_P95_MS = 200.0
GOAL_CLOSE_S = 2.0


# --- generate ---------------------------------------------------------------------------------


def cmd_generate(args) -> int:
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from thidua.council.models import Ballot, Meeting
    from thidua.rounds.models import Nomination

    call_command("migrate", verbosity=0)  # a bench database made before issue #4's tables
    agency = data.agency()
    began = time.perf_counter()
    if args.reset:
        removed = data.remove_rounds(data.bench_rounds(agency))
        print("removed: " + (", ".join(f"{v} {k}" for k, v in removed.items()) or "nothing"))
    council = data.ensure_council(agency, random.Random(args.seed))
    rounds = data.bench_rounds(agency)
    if not rounds.filter(kind="ANNUAL").exists():
        data.build_year_round(agency, random.Random(args.seed + 1))
        print(f"  year's round built                 {time.perf_counter() - began:7.1f} s")
    if not rounds.filter(kind="MOVEMENT").exists():
        data.build_council_round(agency, council, random.Random(args.seed + 2))
        print(f"  council's round and ballots built  {time.perf_counter() - began:7.1f} s")
    vacuum()
    for r in data.bench_rounds(agency).order_by("pk"):
        states = dict(Nomination.objects.filter(round=r).values_list("state").annotate(n=_count()))
        print(f"round {r.pk} {r.name}: {sum(states.values())} nominations {states}")
    for m in Meeting.objects.filter(round__in=data.bench_rounds(agency)).order_by("pk"):
        ballots = Ballot.objects.filter(item__meeting=m).count()
        print(
            f"meeting {m.pk} ({m.get_status_display()}): {m.items.count()} items, {ballots} ballots"
        )
    print(f"council: {council.name}, {council.members.filter(active=True).count()} members")
    print(f"done in {time.perf_counter() - began:.1f} s on {connection.vendor}")
    return 0


def vacuum() -> None:
    """On PostgreSQL, VACUUM ANALYZE the tables the bench wrote to, as autovacuum soon would
    after a bulk load or removal: stale statistics and dead rows change the plans of the list."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in (
            "rounds_nomination", "rounds_nominationstep", "audit_auditentry", "records_award",
            "council_agendaitem", "council_ballot", "decisions_decisionline",
        ):  # fmt: skip
            cursor.execute(f"VACUUM ANALYZE {table}")


def _count():
    from django.db.models import Count

    return Count("pk")


# --- load: the officer's list -----------------------------------------------------------------


def targets(seed: int) -> tuple[dict[str, str], dict]:
    """Facts about the data and machine, and what the scenarios ask for."""
    setup_django()
    import django
    import gunicorn
    from django.conf import settings
    from django.db import connection

    from thidua.core.text import fold
    from thidua.org.models import Unit
    from thidua.rounds.models import Nomination

    agency = data.agency()
    round_ = data.bench_rounds(agency).filter(kind="ANNUAL").order_by("-pk").first()
    if round_ is None:
        raise SystemExit("no round of the year: run bench/rounds.py generate first")
    nominations = Nomination.objects.filter(round=round_)
    total = nominations.count()
    states = sorted(set(nominations.values_list("state", flat=True)))
    names = list(
        nominations.filter(person__isnull=False)
        .order_by("pk")
        .values_list("person__full_name", flat=True)
    )
    names = random.Random(seed).sample(names, k=min(200, len(names)))
    # As an officer types a name: the last two words (middle and given name), folded.
    searches = [" ".join(fold(name).split()[-2:]) for name in names]
    tops = list(
        Unit.objects.filter(agency=agency, parent__isnull=True).values_list("pk", flat=True)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version"
        )
        version = cursor.fetchone()[0]
    db = settings.DATABASES["default"]
    facts = {
        "database": f"{connection.vendor} {version} ({db['NAME']})",
        "data": f"round {round_.pk} ({round_.name}): {total} nominations, {len(states)} states",
        "machine": f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]},"
        f" Django {django.get_version()}, gunicorn {gunicorn.__version__}",
        "page size": str(settings.PAGE_SIZE),
        "load avg": " ".join(f"{x:.2f}" for x in os.getloadavg()) + " (1, 5, 15 min) before",
    }
    connection.close()
    pages = max(1, math.ceil(total / settings.PAGE_SIZE))
    return facts, {
        "url": f"/rounds/{round_.pk}/nominations/",
        "pages": pages,
        "states": states,
        "searches": searches,
        "tops": tops,
    }


def scenarios(t: dict) -> list:
    url, pages = t["url"], t["pages"]
    # The deepest pages: the list reads a page from the nearer end, so the middle costs most.
    deep = range(max(1, pages * 2 // 5), max(2, pages * 3 // 5) + 1)

    def s(name, what, who, path, goal=True):
        return load.Scenario(name, what, who, path, goal=goal)

    return [
        s("trivial", "GET /login/ (anonymous)", "anonymous", lambda rng: "/login/", goal=False),
        s("list", "nominations, page 1", "officer", lambda rng: url),
        s("list_deep", f"page {deep.start}–{deep.stop - 1}", "officer",
          lambda rng: f"{url}?page={rng.choice(deep)}"),
        s("list_state", "?state=… (one step)", "officer",
          lambda rng: f"{url}?state={rng.choice(t['states'])}"),
        s("list_unit", "?unit=… (a top unit)", "officer",
          lambda rng: f"{url}?unit={rng.choice(t['tops'])}"),
        s("search", "?q=… (a name)", "officer",
          lambda rng: f"{url}?q={quote(rng.choice(t['searches']))}"),
        s("list_head", "nominations, unit head", "head", lambda rng: url),
    ]  # fmt: skip


def measure(scenario, clients: list, server, args, *, seed: int):
    """One scenario: a warm-up, then the timed requests with the CPU they cost."""
    load.run(scenario, clients, total=args.warmup, max_seconds=args.max_seconds, seed=-1 - seed)
    on_postgresql = load.db_backends() is not None
    with (
        load.CpuMeter(server.pids().copy) as app_meter,
        load.CpuMeter(load.db_backends if on_postgresql else list) as db_meter,
    ):
        result = load.run(
            scenario,
            clients,
            total=args.requests,
            max_seconds=args.max_seconds,
            seed=seed,
            think=args.think_ms / 1000,
        )
    result.app_cpu = app_meter.seconds
    result.db_cpu = db_meter.seconds if on_postgresql else None
    for client in clients:  # the next scenario starts on fresh connections
        client.close()
    return result


def cmd_load(args) -> int:
    facts, t = targets(args.seed)
    chosen = [
        s for s in scenarios(t) if not args.only or s.name in args.only or s.name == "trivial"
    ]
    log_path = OUT_DIR / f"gunicorn-rounds-{os.getpid()}.log"
    server = load.Server(workers=args.workers, threads=args.threads, log_path=log_path)
    runs: dict[str, list] = {}  # scenario → its results, one per repeat
    pools = {}
    try:
        server.wait_ready()
        for who, username in (
            ("anonymous", None),
            ("officer", OFFICER_USERNAME),
            ("head", UNIT_HEAD_USERNAME),
        ):
            if any(s.who == who for s in chosen):
                pools[who] = [load.Client(server.port, args.timeout) for _ in range(args.clients)]
                for client in pools[who] if username else []:
                    load.login(client, username)
        facts["server"] = (
            f"gunicorn, {args.workers} workers × {args.threads} threads; {args.clients} clients,"
            f" {args.requests} requests per scenario (+{args.warmup} warm-up), "
            + (f"{args.think_ms:g} ms think time" if args.think_ms else "no think time")
        )
        for key, value in facts.items():
            print(f"{key + ':':<11}{value}")
        print()
        for rep in range(args.repeat):
            for i, scenario in enumerate(chosen):
                runs.setdefault(scenario.name, []).append(
                    measure(scenario, pools[scenario.who], server, args, seed=rep * 100 + i)
                )
    finally:
        server.stop()
        from django.db import connection

        connection.close()
    # Each scenario's run with the median p95: one burst of another process on a shared
    # machine then moves no figure (--repeat 3 or more).
    results = [sorted(rs, key=lambda r: r.percentile(95))[len(rs) // 2] for rs in runs.values()]
    met = load.print_table(results, goal_p95=args.goal_p95, goal_ratio=None)
    if args.repeat > 1:
        print(f"p95 of each of the {args.repeat} repeats (the median one is shown above):")
        for name, rs in runs.items():
            print(f"  {name:<11}" + " ".join(f"{r.percentile(95):7.1f}" for r in rs))
    print("load avg after: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    errors = [e for rs in runs.values() for r in rs for e in r.errors]
    if errors:
        print(f"{len(errors)} requests failed, e.g. {errors[:3]}; log {log_path}", file=sys.stderr)
        return 1
    log_path.unlink(missing_ok=True)
    return 0 if met else 1


# --- close: the ballot and the decision -------------------------------------------------------


def _backend_pid() -> int | None:
    """The PostgreSQL backend serving this process (its CPU is read from /proc), or None."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    connection.ensure_connection()
    return connection.connection.info.backend_pid


class Clock:
    """Wall time, this process's CPU time and the number of SQL statements of each step."""

    def __init__(self, profile=()) -> None:
        # step → (wall s, this process's CPU s, the PostgreSQL backend's CPU s, statements)
        self.rows: dict[str, tuple[float, float, float, int]] = {}
        self.sql: dict[str, list[tuple[float, str]]] = {}  # step → (seconds, statement)
        self.profile = set(profile)  # steps to run under cProfile (slower: for finding causes)
        self.profiles: dict[str, str] = {}

    @contextmanager
    def step(self, name: str):
        from django.db import connection

        statements = self.sql.setdefault(name, [])

        def timed(execute, sql, params, many, context):
            began = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                statements.append((time.perf_counter() - began, ("MANY " if many else "") + sql))

        profiler = cProfile.Profile() if name in self.profile else None
        backend = _backend_pid()
        db_cpu = load.cpu_seconds([backend]) if backend else 0.0
        wall, cpu = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(timed):
            if profiler:
                profiler.enable()
            try:
                yield
            finally:
                if profiler:
                    profiler.disable()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        db_cpu = load.cpu_seconds([backend]) - db_cpu if backend else math.nan
        self.rows[name] = (wall, cpu, db_cpu, len(statements))
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
            self.profiles[name] = out.getvalue()

    def slowest(self, name: str, top: int) -> list[str]:
        """The `top` slowest statements of a step (time spent waiting for the database)."""
        rows = sorted(self.sql.get(name, []), reverse=True)[:top]
        return [f"{1000 * s:8.1f} ms  {sql[:150]}" for s, sql in rows]


def close_run(agency, council, rng: random.Random, n: int, profile=()) -> tuple[Clock, dict]:
    """One run on a fresh round: build it in bulk (not timed), then time each service."""
    from django.utils import timezone

    from thidua.council import services as council_services
    from thidua.council.models import AgendaItem, Ballot, CouncilMember
    from thidua.decisions import services as decision_services
    from thidua.rounds import services as round_services

    officer = data.user(OFFICER_USERNAME)
    director = data.user(data.DIRECTOR_USERNAME)
    round_ = data._create_round(
        agency,
        kind="AD_HOC",
        name=f"{data.SCRATCH} {n} ({timezone.now():%H:%M:%S})",
        titles=[*data.VOTE_TITLE_MIX, "LDTT"],
    )
    people = data._people(agency, rng, data.ITEMS)
    voted = data.build_checked(round_, people, data.VOTE_TITLE_MIX, rng)
    plain = data.build_checked(round_, people, "LDTT", rng)
    meeting = data.meeting_for(round_, council)
    clock = Clock(profile)
    with clock.step("set_agenda"):
        council_services.set_agenda(actor=officer, meeting=meeting, nominations=voted)
    with clock.step("open_ballot"):
        meeting = council_services.open_ballot(actor=officer, meeting=meeting)
    chair = CouncilMember.objects.get(council=council, user=director, active=True)
    recused = set(
        Ballot.objects.filter(item__meeting=meeting, member=chair).values_list("item_id", flat=True)
    )
    items = AgendaItem.objects.filter(meeting=meeting).values_list("pk", flat=True)
    choices = {pk: "YES" for pk in items if pk not in recused}
    with clock.step("cast_votes (1 member)"):
        council_services.cast_votes(actor=director, meeting=meeting, choices=choices)
    votes = data.cast_all_ballots(meeting, rng)
    with clock.step("close_ballot"):
        meeting = council_services.close_ballot(actor=officer, meeting=meeting)
    with clock.step("pass_without_vote"):
        passed_plain = round_services.pass_without_vote(actor=officer, round=round_)
    with clock.step("draft_decision"):
        decision = decision_services.draft_decision(actor=officer, round=round_, nominations=plain)
    with clock.step("issue_decision"):
        decision = decision_services.issue_decision(
            actor=officer, decision=decision, signed_on=timezone.localdate(), signer=director
        )
    results = AgendaItem.objects.filter(meeting=meeting)
    facts = {
        "items": len(voted),
        "ballots": votes.ballots,
        "recused": votes.recused,
        "written": votes.written,
        "passed": results.filter(passed=True).count(),
        "not passed": results.filter(passed=False).count(),
        "passed without vote": passed_plain,
        "decision": decision.reference,
        "lines": decision.lines.count(),
    }
    return clock, facts


def _seconds(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.2f}"


def cmd_close(args) -> int:
    setup_django()
    from django.db import connection

    agency = data.agency()
    rng = random.Random(args.seed)
    council = data.ensure_council(agency, rng)
    data.remove_rounds(data.bench_rounds(agency).filter(name__startswith=data.SCRATCH))
    clocks = []
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    print("load avg before: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    for n in range(1, args.runs + 1):
        clock, facts = close_run(agency, council, rng, n, profile=args.profile or ())
        clocks.append(clock)
        print(f"run {n}: " + ", ".join(f"{k} {v}" for k, v in facts.items()))
        for text in clock.profiles.values():
            print(text)
        for name in args.sql or []:
            waited = sum(seconds for seconds, _sql in clock.sql.get(name, []))
            print(f"  slowest statements of {name} ({waited:.2f} s waiting for SQL in all):")
            print("\n".join(f"  {line}" for line in clock.slowest(name, 8)))
        if not args.keep:
            data.remove_rounds(data.bench_rounds(agency).filter(name__startswith=data.SCRATCH))
    header = (
        f"{'step (5,000 items × 20 members)':<32}{'median s':>9}{'min s':>8}{'max s':>8}"
        f"{'py cpu s':>9}{'db cpu s':>9}{'queries':>8}  goal"
    )
    print(header)
    print("-" * len(header))
    met = True
    for name in clocks[0].rows:
        walls = [c.rows[name][0] for c in clocks]
        median = statistics.median(walls)
        goal = ""
        if name == "close_ballot":
            goal = "ok" if median <= GOAL_CLOSE_S else "MISSED"
            met &= median <= GOAL_CLOSE_S
        print(
            f"{name:<32}{median:>9.2f}{min(walls):>8.2f}{max(walls):>8.2f}"
            f"{statistics.median(c.rows[name][1] for c in clocks):>9.2f}"
            f"{_seconds(statistics.median(c.rows[name][2] for c in clocks)):>9}"
            f"{clocks[0].rows[name][3]:>8}  {goal or '-'}"
        )
    print(
        f"goal: close_ballot ≤ {GOAL_CLOSE_S:g} s (median of {len(clocks)} runs); py cpu: this"
        " process (the services, and SQLite's work);\ndb cpu: the PostgreSQL backend; wall time"
        " above their sum is waiting (disk, locks, other processes on the machine)"
    )
    print("load avg after: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    if not args.keep:
        vacuum()
    connection.close()
    return 0 if met else 1


# --- main -------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "command", nargs="?", default="all", choices=["generate", "load", "close", "all"]
    )
    parser.add_argument("--reset", action="store_true", help="generate: remove, then rebuild")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", 3)))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("BENCH_THREADS", 1)))
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=600, help="per scenario")
    parser.add_argument("--warmup", type=int, default=60, help="per scenario, not counted")
    parser.add_argument("--max-seconds", type=float, default=60, help="per scenario")
    parser.add_argument("--timeout", type=float, default=30, help="per request, seconds")
    parser.add_argument("--think-ms", type=float, default=0, help="pause between requests")
    parser.add_argument("--only", nargs="*", help="load: scenario names (trivial always runs)")
    parser.add_argument(
        "--repeat", type=int, default=1, help="load: run the scenarios N times, show the median"
    )
    parser.add_argument("--goal-p95", type=float, default=GOAL_LIST_P95_MS)
    parser.add_argument("--runs", type=int, default=3, help="close: fresh rounds timed")
    parser.add_argument("--keep", action="store_true", help="close: keep the scratch rounds")
    parser.add_argument("--sql", nargs="*", help="close: print the slowest SQL of these steps")
    parser.add_argument("--profile", nargs="*", help="close: cProfile these steps")
    args = parser.parse_args()
    configure_env()
    if args.command == "generate":
        return cmd_generate(args)
    if args.command == "load":
        return cmd_load(args)
    if args.command == "close":
        return cmd_close(args)
    status = cmd_generate(args)
    print()
    status |= cmd_load(args)
    print()
    return status | cmd_close(args)


if __name__ == "__main__":
    sys.exit(main())
