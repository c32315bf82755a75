"""Quotas an agency adds to the legal ones (issue #3 point 4)."""

import pytest

from thidua.audit.models import AuditEntry
from thidua.core.errors import BusinessRuleError
from thidua.eligibility.selectors import agency_settings, evaluate_agency
from thidua.eligibility.services import set_custom_quotas
from thidua.records.models import Achievement, Rating
from thidua.testing import PersonFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_custom_quota_limits_giay_khen_to_a_share_of_ldtt():
    unit = UnitFactory()
    agency = unit.agency
    for _ in range(7):
        person = PersonFactory(unit=unit, agency=agency)
        Rating.objects.create(agency=agency, person=person, year=2024, level="HTTNV")
        Achievement.objects.create(
            agency=agency, person=person, year=2024, kind="MOVEMENT", description="Phong trào"
        )
    set_custom_quotas(
        actor=None,
        agency=agency,
        quotas=[{"code": "gk_30", "title": "GK", "base_title": "LDTT", "percent": 30}],
    )

    quota = next(
        q
        for q in evaluate_agency(agency=agency, year=2024).quotas
        if q["code"] == "GK_30" and q["scope"] == "AGENCY"
    )

    assert (quota["limit"], quota["used"]) == (2, 7)  # ⌊30% × 7⌋ = 2
    assert AuditEntry.objects.filter(object_id="custom_quotas").count() == 1


def test_custom_quota_with_unknown_title_is_refused_and_nothing_stored():
    agency = UnitFactory().agency
    with pytest.raises(BusinessRuleError):
        set_custom_quotas(
            actor=None,
            agency=agency,
            quotas=[{"code": "X", "title": "NOPE", "base_title": "LDTT", "percent": 10}],
        )
    assert agency_settings(agency.pk)["custom_quotas"] == []
