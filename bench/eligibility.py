"""Benchmark of the eligibility engine: every subject × every title of a year, at scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench_elig \\
        .venv/bin/python bench/eligibility.py --people 1000000
    .venv/bin/python bench/eligibility.py --people 50000          # SQLite in bench/out/

Generates (inside the database, with set SQL: generate_series / a recursive CTE) one agency with
`--people` people in `--people/40` units and ten years of ratings, awards and initiatives, then
times (1) a bare read of the same rows (PostgreSQL: COPY … TO '/dev/null' on the server;
SQLite: reading every row through the driver) and (2) the full evaluation, and prints both and
their ratio. Goals of issue #3: 1,000,000 people under 60 s on PostgreSQL, 50,000 under 3 s.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import configure_env  # noqa: E402

YEAR = 2024
AGENCY = "BENCHELIG"


def _series(vendor: str, n: int) -> str:
    """A one-column relation `g(i)` of 1..n."""
    if vendor == "postgresql":
        return f"generate_series(1, {n}) AS g(i)"
    return f"(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n}) SELECT i FROM s) AS g"


def _rand(vendor: str, salt: str, modulo: int) -> str:
    """A deterministic pseudo-random 0..modulo-1 from the row's ids (same on both engines)."""
    return f"(abs(({salt}) * 2654435761 % 1000003) % {modulo})"


def generate(people: int, *, reuse: bool = False) -> int:
    from django.core.management import call_command
    from django.db import connection, transaction

    from thidua.org.models import Agency

    call_command("migrate", verbosity=0)
    vendor = connection.vendor
    existing = Agency.objects.filter(code=AGENCY).first()
    if existing is not None:
        if reuse:
            print(f"reusing the generated agency ({existing.people.count():,} people)")
            return existing.pk
        sys.exit("The bench agency already exists: drop the database or pass --reuse.")
    n_units = max(people // 40, 1)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as c:
        agency = Agency.objects.create(code=AGENCY, name="Sở Bench", place="Bench")
        a = agency.pk
        c.execute(
            "INSERT INTO org_unit (agency_id, code, name, kind, path, sort_order, established_on)"
            f" SELECT {a}, 'U' || i, 'Đơn vị ' || i, 'PHONG', '', i, '2000-01-01' FROM {_series(vendor, n_units)}"
        )
        c.execute(f"UPDATE org_unit SET path = '/' || id || '/' WHERE agency_id = {a}")
        c.execute(f"SELECT min(id) FROM org_unit WHERE agency_id = {a}")
        first_unit = c.fetchone()[0]
        blob = "'\\x00'::bytea" if vendor == "postgresql" else "x'00'"
        c.execute(
            "INSERT INTO org_person (agency_id, staff_code, family_name, middle_name, given_name,"
            " full_name, search_text, sort_key, gender, employment_type, position, recruited_on,"
            " unit_id)"
            f" SELECT {a}, 'P' || i, 'Nguyễn', 'Văn', 'An' || i, 'Nguyễn Văn An' || i,"
            f" 'nguyen van an' || i, {blob}, 'NAM', 'CONG_CHUC', 'Chuyên viên', '2010-01-01',"
            f" {first_unit} + (i % {n_units}) FROM {_series(vendor, people)}"
        )
        c.execute(
            'INSERT INTO org_membership (person_id, unit_id, position, start, "end")'
            f" SELECT id, unit_id, position, '2010-01-01', NULL FROM org_person WHERE agency_id = {a}"
        )
        years = " UNION ALL ".join(f"SELECT {y} AS y" for y in range(YEAR - 9, YEAR + 1))
        level = _rand(vendor, "p.id * 31 + y.y", 100)
        c.execute(
            "INSERT INTO records_rating (agency_id, person_id, unit_id, year, level, months_worked,"
            " maternity_leave, self_reliant, rated_by_director, note)"
            f" SELECT {a}, p.id, NULL, y.y, CASE WHEN {level} < 20 THEN 'HTXSNV'"
            f" WHEN {level} < 85 THEN 'HTTNV' WHEN {level} < 97 THEN 'HTNV' ELSE 'KHTNV' END,"
            " 12, false, true, false, ''"
            f" FROM org_person p CROSS JOIN ({years}) AS y WHERE p.agency_id = {a}"
        )
        c.execute(
            "INSERT INTO records_rating (agency_id, person_id, unit_id, year, level, months_worked,"
            " maternity_leave, self_reliant, rated_by_director, note)"
            f" SELECT {a}, NULL, u.id, y.y, CASE WHEN {_rand(vendor, 'u.id * 7 + y.y', 3)} = 0"
            " THEN 'HTXSNV' ELSE 'HTTNV' END, 12, false, true, true, ''"
            f" FROM org_unit u CROSS JOIN ({years}) AS y WHERE u.agency_id = {a}"
        )
        # Awards of past years follow the ratings: LĐTT for HTTNV and better, CSTĐCS for a share.
        for title, condition in (
            ("LDTT", "r.level IN ('HTXSNV', 'HTTNV')"),
            ("CSTDCS", f"r.level = 'HTXSNV' AND {_rand(vendor, 'r.person_id + r.year', 3)} = 0"),
        ):
            c.execute(
                "INSERT INTO records_award (agency_id, person_id, unit_id, year, title,"
                " decision_number, decision_date, authority, status, status_reason)"
                f" SELECT {a}, r.person_id, NULL, r.year, '{title}', '1/QĐ-BENCH',"
                " NULL, 'Giám đốc Sở', 'ACTIVE', ''"
                f" FROM records_rating r WHERE r.agency_id = {a} AND r.person_id IS NOT NULL"
                f" AND r.year < {YEAR} AND {condition}"
            )
        c.execute(
            "INSERT INTO records_initiative (agency_id, person_id, year, name, scope, kind)"
            f" SELECT {a}, p.id, y.y, 'Sáng kiến ' || p.id || '-' || y.y,"
            f" CASE WHEN {_rand(vendor, 'p.id + y.y', 20)} = 0 THEN 'BO_TINH' ELSE 'CO_SO' END,"
            " 'SANG_KIEN'"
            f" FROM org_person p CROSS JOIN ({years}) AS y WHERE p.agency_id = {a}"
            f" AND {_rand(vendor, 'p.id * 13 + y.y', 4)} = 0"
        )
    if vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("ANALYZE")
    print(
        f"generated {people:,} people, {n_units:,} units in {time.perf_counter() - started:.1f} s"
    )
    return a


def bare_read(agency_id: int) -> float:
    """The time to read, without processing, the rows the engine reads."""
    from django.db import connection

    queries = [
        f"SELECT id, agency_id, staff_code, recruited_on FROM org_person WHERE agency_id = {agency_id}",
        f"SELECT m.person_id, m.unit_id FROM org_membership m JOIN org_person p ON p.id = m.person_id WHERE p.agency_id = {agency_id}",
        f"SELECT person_id, unit_id, year, level, months_worked FROM records_rating WHERE agency_id = {agency_id} AND year >= {YEAR - 6}",
        f"SELECT person_id, unit_id, year, title FROM records_award WHERE agency_id = {agency_id} AND year <= {YEAR}",
        f"SELECT person_id, year, scope, kind FROM records_initiative WHERE agency_id = {agency_id} AND year >= {YEAR - 6}",
    ]
    started = time.perf_counter()
    with connection.cursor() as c:
        for sql in queries:
            if connection.vendor == "postgresql":
                c.execute(f"COPY ({sql}) TO '/dev/null'")
            else:
                c.execute(sql)
                while c.fetchmany(10_000):
                    pass
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="keep data generated by a past run")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL") and not args.reuse:
        path = Path(__file__).resolve().parent / "out" / f"eligibility-{args.people}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    if not os.environ.get("DATABASE_URL"):
        path = Path(__file__).resolve().parent / "out" / f"eligibility-{args.people}.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    configure_env()
    import django

    django.setup()
    from django.db import connection

    from thidua.eligibility.engine import evaluate
    from thidua.eligibility.selectors import agency_settings

    agency_id = generate(args.people, reuse=args.reuse)
    settings = agency_settings(agency_id)
    reads, evals = [], []
    for _ in range(args.repeat):
        reads.append(bare_read(agency_id))
        started = time.perf_counter()
        evaluation = evaluate(agency_ids=[agency_id], year=YEAR, settings=settings)
        evals.append(time.perf_counter() - started)
    results = evaluation.results
    eligible = int(results["eligible"].sum())
    read, ev = min(reads), min(evals)
    print(f"database            {connection.vendor}")
    print(f"people              {args.people:,}")
    print(f"results             {results.height:,} (subject × title), {eligible:,} eligible")
    print(f"bare read (best)    {read:.2f} s")
    print(f"evaluation (best)   {ev:.2f} s   (runs: {', '.join(f'{t:.2f}' for t in evals)})")
    print(f"ratio               {ev / read:.1f} × the bare read")


if __name__ == "__main__":
    main()
