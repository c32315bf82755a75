"""Running seed-demo on an empty database twice, and on a database seeded by the previous version."""

from io import StringIO

from django.core.management import call_command

from thidua.accounts.models import User
from thidua.audit.models import AuditAction, AuditEntry
from thidua.demo import services
from thidua.eligibility import selectors
from thidua.org.models import Agency, Membership, Person, Unit
from thidua.records.models import Achievement, Award, Discipline, Initiative, Rating


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {
        "people": Person.objects.count(),
        "units": Unit.objects.count(),
        "users": User.objects.count(),
        "audit": AuditEntry.objects.count(),
        "memberships": Membership.objects.count(),
        "ratings": Rating.objects.count(),
        "awards": Award.objects.count(),
        "initiatives": Initiative.objects.count(),
        "disciplines": Discipline.objects.count(),
        "achievements": Achievement.objects.count(),
    }


def test_seed_demo_twice_gives_the_same_231_and_35_people(db):
    _seed()
    first = _counts()
    output = _seed()
    assert _counts() == first
    assert {a.code: a.people.count() for a in Agency.objects.all()} == {
        "STNMT-LS": 231,
        "STNMT-BP": 35,
    }
    assert "STNMT-LS: Sở Tài nguyên và Môi trường tỉnh Lạng Sơn — 231 cán bộ" in output
    # The records are one import per agency in the audit log, by the system.
    imports = AuditEntry.objects.filter(action=AuditAction.IMPORT)
    assert sorted(imports.values_list("agency__code", flat=True)) == ["STNMT-BP", "STNMT-LS"]
    ls_import = imports.get(agency__code="STNMT-LS")
    assert ls_import.actor is None
    assert ls_import.changes["awards"] == Award.objects.filter(agency__code="STNMT-LS").count()


def test_a_database_seeded_before_the_records_is_completed(db):
    # What the previous version of seed-demo built: no sub-units, nobody placed, no records.
    old_units = [spec for spec in services.LS_UNITS if spec.staff]
    agency, _ = services._seed_agency(
        code="STNMT-LS", name="Sở Tài nguyên và Môi trường tỉnh Lạng Sơn", place="Lạng Sơn",
        symbol="STNMT", units=old_units, prefix="LS", seed=2022,
    )  # fmt: skip
    services._seed_logins(agency, services.LS_LOGINS)
    assert Person.objects.get(agency=agency, staff_code="LS0100").unit.code == "TTTNMT"
    assert not Rating.objects.exists()

    call_command("seed_demo", stdout=StringIO())

    assert Unit.objects.filter(agency=agency).count() == 27
    assert Person.objects.filter(agency=agency).count() == 231
    head = Person.objects.get(agency=agency, staff_code="LS0100")
    assert (head.unit.code, head.position) == ("TTTNMT-QTMT", "Trưởng phòng")
    assert list(head.memberships.values_list("unit__code", "start")) == [
        ("TTTNMT-QTMT", head.recruited_on)
    ]
    imports = AuditEntry.objects.get(agency=agency, action=AuditAction.IMPORT)
    assert imports.changes["placed_in_sub_units"] == len(services.LS_PLACEMENTS)
    counts = selectors.eligible_counts(selectors.evaluate_agency(agency=agency, year=2021))
    assert (counts[("person", "LDTT")], counts[("unit", "TTLDTT")]) == (199, 24)
    assert Award.objects.filter(agency=agency, year=2021, title="LDTT").count() == 199
