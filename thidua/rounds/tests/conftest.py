"""Helpers of the rounds tests: a round of the shared personas' agency and records that make
people eligible (thidua/conftest.py describes `world`).

Under R2024 (round of 2024) a person rated HTTNV in 2024 and recruited long ago qualifies for
LĐTT; rated HTXSNV they also qualify for CSTĐCS (LĐTT in the year and HTXSNV: Điều 23 Luật
TĐKT 2022). Nobody without a rating qualifies for anything.
"""

import datetime

import pytest

from thidua.eligibility.services import set_custom_quotas, set_setting
from thidua.records.models import Rating
from thidua.rounds import services
from thidua.testing import RoundFactory

D = datetime.date
TITLES = ["LDTT", "CSTDCS", "GK", "BK_TINH", "TTLDTT", "HCLD3"]


@pytest.fixture
def rnd(world):
    """An open year-end round of 2024 of the agency CQA."""
    return RoundFactory(agency=world.agency, titles=TITLES)


@pytest.fixture
def rate():
    def _rate(subject, level="HTTNV", year=2024):
        kind = "person" if subject._meta.model_name == "person" else "unit"
        return Rating.objects.create(
            agency=subject.agency, year=year, level=level, **{kind: subject}
        )

    return _rate


@pytest.fixture
def setting(world):
    def _set(key, value):
        set_setting(actor=None, agency=world.agency, key=key, value=value)

    return _set


@pytest.fixture
def quota(world):
    def _quota(**q):
        set_custom_quotas(actor=None, agency=world.agency, quotas=[q])

    return _quota


@pytest.fixture
def nominate(world, rnd):
    """`nominate(subject, title, by="head")` through the service, for the round `rnd`."""

    def _nominate(subject, title="HCLD3", by="head", round=None, report="Báo cáo thành tích."):
        return services.nominate(
            actor=world.users[by],
            round=round or rnd,
            subject=subject,
            title=title,
            achievement_report=report,
        )

    return _nominate
