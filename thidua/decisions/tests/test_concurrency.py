"""Two officers issuing two decisions at the same moment get two distinct consecutive numbers.

Each thread has its own database connection and transaction; the register row lock (PostgreSQL)
or SQLite's IMMEDIATE write lock makes the second wait for the first to commit.
"""

import threading

import pytest
from django.db import connection

from thidua.accounts.models import Role
from thidua.decisions import services
from thidua.decisions.models import Decision, Register
from thidua.decisions.tests.builders import SIGNED, passed, round_of
from thidua.records.models import Award
from thidua.testing import make_user


def _run_together(jobs) -> list:
    """Run each job in its own thread, released at once by a barrier; their results or errors."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait(timeout=10)
            results[i] = job()
        except Exception as exc:  # noqa: BLE001 — reported by the assertion below
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_two_officers_issuing_at_once_get_consecutive_numbers(transactional_db, world):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "the in-memory SQLite test database is shared-cache: a second writer gets 'database "
            "table is locked' at once (SQLITE_LOCKED ignores busy_timeout). A file database, as "
            "in production, queues writers with IMMEDIATE transactions; PostgreSQL runs this test."
        )
    round_ = round_of(world)
    officers = [
        world.users["officer"],
        make_user(agency=world.agency, role=Role.OFFICER, username="thiduakt2"),
    ]
    drafts = []
    for person in (world.in_a1, world.in_b):
        passed(world, person, round_=round_)
        drafts.append(services.draft_decision(actor=world.users["officer"], round=round_))

    def issuing(officer, draft):
        def job():
            decision = services.issue_decision(
                actor=officer, decision=draft, signed_on=SIGNED, signer=world.users["director"]
            )
            return decision.number

        return job

    results = _run_together([issuing(o, d) for o, d in zip(officers, drafts, strict=True)])

    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(results) == [1, 2]
    numbers = set(Decision.objects.values_list("number", flat=True))
    assert numbers == {1, 2}
    assert Register.objects.get(agency=world.agency, kind="QD", year=2025).last_number == 2
    assert set(Award.objects.values_list("decision_number", flat=True)) == {"1/QĐ-STN", "2/QĐ-STN"}
