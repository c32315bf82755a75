"""Personas of the import tests: an agency, its TĐKT officer and two of its units."""

import pytest

from thidua.org.models import UnitKind
from thidua.testing import AgencyFactory, UnitFactory, UserFactory


@pytest.fixture
def agency():
    return AgencyFactory(code="STNMT_LS", name="Sở Tài nguyên và Môi trường tỉnh Lạng Sơn")


@pytest.fixture
def officer(agency):
    """The TĐKT officer of the agency, who runs the imports."""
    return UserFactory(agency=agency, username="canbo_tdkt")


@pytest.fixture
def office(agency):
    return UnitFactory(agency=agency, code="VP", name="Văn phòng Sở", kind=UnitKind.OFFICE)


@pytest.fixture
def land_division(agency):
    return UnitFactory(agency=agency, code="QLDD", name="Phòng Quản lý đất đai")
