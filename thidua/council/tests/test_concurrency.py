"""Twenty members voting at the same moment: every ballot is counted exactly once.

Each thread has its own database connection (Django's connections are per thread) and the
threads start together behind a barrier. The rows must be committed for the threads to see
them, hence `transactional_db`.
"""

import threading

import pytest
from django.db import connection

from thidua.council import services
from thidua.council.models import Ballot, VoteChoice
from thidua.council.tests.builders import voting_meeting

MEMBERS = 20


@pytest.fixture
def committed_world(transactional_db, world):
    if connection.vendor == "sqlite":
        # The SQLite test database lives in memory with a shared cache, where concurrent writers
        # get "database table is locked" at once instead of waiting (the busy timeout does not
        # apply to shared-cache locks). Production SQLite is a file in WAL mode with IMMEDIATE
        # transactions, which queue; CI runs this test on PostgreSQL.
        pytest.skip("needs a database with real concurrent connections (PostgreSQL)")
    return world


def test_twenty_members_voting_at_once_are_counted_once(committed_world):
    w = committed_world
    meeting = voting_meeting(w, extra=MEMBERS - 2, nominations=3)
    items = list(meeting.items.all())
    users = [m.user for m in meeting.council.members.select_related("user")]
    assert len(users) == MEMBERS
    barrier = threading.Barrier(MEMBERS)
    errors: list[BaseException] = []

    def vote(n: int, user) -> None:
        try:
            barrier.wait(timeout=60)
            # Every member first disagrees, then changes their mind on the first item (17 of
            # them): both writes race with the other members'.
            services.cast_votes(
                actor=user, meeting=meeting,
                choices={item.pk: (VoteChoice.NO, "") for item in items},
            )  # fmt: skip
            final = VoteChoice.YES if n < 17 else VoteChoice.NO
            services.cast_votes(actor=user, meeting=meeting, choices={items[0].pk: (final, "")})
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(n, u)) for n, u in enumerate(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert errors == []
    assert Ballot.objects.count() == MEMBERS * len(items)
    services.close_ballot(actor=w.users["officer"], meeting=meeting)
    results = [(i.yes, i.no, i.not_voted, i.passed) for i in meeting.items.order_by("position")]
    # 17 of 20 = 85 % ≥ 80 %; the others: nobody agreed.
    assert results == [(17, 3, 0, True), (0, 20, 0, False), (0, 20, 0, False)]
