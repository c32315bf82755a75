"""One seeded demo database per test module: seeded once inside a transaction rolled back at the
end of the module. Tests that need an empty database (seeding twice, completing an older seed) live
in test_seed_runs.py, which does not use it."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def seeded_output(django_db_setup, django_db_blocker) -> str:
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded_output, db) -> str:
    return seeded_output
