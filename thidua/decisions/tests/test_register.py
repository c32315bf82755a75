"""The agency's register: numbers consecutive and unique per agency, kind and year, restarting
each year, and never lost when the issuing transaction fails (no gap)."""

import pytest
from django.db import transaction

from thidua.decisions.models import DocumentKind, Register
from thidua.decisions.services import next_number, symbol_for


def _take(agency, kind=DocumentKind.DECISION, year=2025) -> int:
    return next_number(agency=agency, kind=kind, year=year)


def test_next_number_runs_consecutively_from_one(world):
    assert [_take(world.agency) for _ in range(3)] == [1, 2, 3]


def test_next_number_restarts_each_year(world):
    _take(world.agency, year=2024)
    _take(world.agency, year=2024)
    assert (_take(world.agency, year=2025), _take(world.agency, year=2024)) == (1, 3)


def test_next_number_is_separate_per_agency_and_kind(world):
    _take(world.agency)
    _take(world.agency)
    assert (
        _take(world.other_agency),
        _take(world.agency, kind=DocumentKind.SUBMISSION),
        _take(world.agency),
    ) == (1, 1, 3)


def test_next_number_is_given_back_when_the_transaction_fails(world):
    _take(world.agency)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert _take(world.agency) == 2
        raise RuntimeError("the issue failed after taking its number")
    assert _take(world.agency) == 2
    assert Register.objects.get(agency=world.agency, kind="QD", year=2025).last_number == 2


def test_symbol_for_prefixes_the_agency_symbol(world):
    world.agency.symbol = "STNMT"
    assert (
        symbol_for(world.agency, DocumentKind.DECISION),
        symbol_for(world.agency, DocumentKind.SUBMISSION),
    ) == ("QĐ-STNMT", "TTr-STNMT")
