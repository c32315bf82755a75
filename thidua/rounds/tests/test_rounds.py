"""Opening, changing and closing rounds: the regime follows the review date, deadlines come in
the order of the steps, and what nominations already rely on cannot change."""

import datetime

import pytest

from thidua.audit.models import AuditAction, AuditEntry
from thidua.core.errors import BusinessRuleError
from thidua.rounds import services
from thidua.rounds.models import Round

D = datetime.date


def _create(world, by="officer", **kw):
    values = {"kind": "ANNUAL", "year": 2024, "name": " Xét khen  thưởng năm 2024 ",
              "titles": ["CSTDCS", "LDTT"], **kw}  # fmt: skip
    return services.create_round(actor=world.users[by], agency=world.agency, **values)


def test_create_round_defaults_the_review_date_and_its_regime(world):
    r = _create(world)
    assert (r.review_date, r.regime, r.status, r.name) == (
        D(2024, 12, 31), "R2024", "OPEN", "Xét khen thưởng năm 2024"
    )  # fmt: skip
    assert r.titles == ["LDTT", "CSTDCS"]  # catalogue order
    entry = AuditEntry.objects.get(object_type="round", object_id=str(r.pk))
    assert (entry.action, entry.changes["regime"]) == (AuditAction.CREATE, "R2024")


@pytest.mark.parametrize(
    ("year", "review", "regime"),
    [(2023, None, "R2017"), (2025, D(2025, 6, 30), "R2024"), (2025, None, "R2025")],
)
def test_create_round_regime_is_the_one_in_force_on_the_review_date(world, year, review, regime):
    assert _create(world, year=year, review_date=review).regime == regime


def test_create_round_refuses_unknown_or_no_titles(world):
    for titles in ([], ["NOPE"]):
        with pytest.raises(BusinessRuleError) as err:
            _create(world, titles=titles)
        assert err.value.field == "titles"
    assert not Round.objects.exists()


def test_create_round_refuses_deadlines_out_of_order(world):
    with pytest.raises(BusinessRuleError) as err:
        _create(world, nominations_due=D(2024, 12, 10), checks_due=D(2024, 12, 1))
    assert (err.value.field, err.value.code) == ("checks_due", "deadline_order")


def test_create_round_skips_deadlines_left_empty_when_ordering(world):
    r = _create(world, nominations_due=D(2024, 12, 10), council_due=D(2024, 12, 20))
    assert r.deadlines()[1] == ("checks_due", None)


def test_create_round_by_unit_head_is_refused(world):
    with pytest.raises(BusinessRuleError) as err:
        _create(world, by="head")
    assert err.value.code == "forbidden"


def test_create_round_in_another_agency_is_refused(world):
    with pytest.raises(BusinessRuleError) as err:
        services.create_round(
            actor=world.users["other"], agency=world.agency, kind="ANNUAL", year=2024,
            name="x", titles=["LDTT"],
        )  # fmt: skip
    assert err.value.code == "forbidden"


def test_update_round_changes_name_titles_and_deadlines_audited(world):
    r = _create(world)
    services.update_round(
        actor=world.users["officer"], round=r, name="Đợt 2024", titles=["LDTT", "CSTDCS", "GK"],
        nominations_due=D(2024, 12, 5),
    )  # fmt: skip
    r.refresh_from_db()
    assert (r.name, r.titles, r.nominations_due) == (
        "Đợt 2024",
        ["LDTT", "CSTDCS", "GK"],
        D(2024, 12, 5),
    )
    entry = AuditEntry.objects.filter(object_type="round", action=AuditAction.UPDATE).get()
    assert entry.changes["name"] == ["Xét khen thưởng năm 2024", "Đợt 2024"]


def test_update_round_keeps_year_once_nominations_exist(world, nominate):
    r = _create(world, titles=["HCLD3"])
    nominate(world.in_a1, "HCLD3", round=r)
    with pytest.raises(BusinessRuleError) as err:
        services.update_round(actor=world.users["officer"], round=r, year=2025)
    assert err.value.code == "frozen"


def test_update_round_cannot_drop_a_title_with_live_nominations(world, nominate):
    r = _create(world, titles=["HCLD3", "LDTT"])
    nominate(world.in_a1, "HCLD3", round=r)
    with pytest.raises(BusinessRuleError) as err:
        services.update_round(actor=world.users["officer"], round=r, titles=["LDTT"])
    assert err.value.code == "in_use"


def test_update_round_year_moves_the_default_review_date(world):
    r = _create(world)
    services.update_round(actor=world.users["officer"], round=r, year=2025)
    r.refresh_from_db()
    assert (r.review_date, r.regime) == (D(2025, 12, 31), "R2025")


def test_close_round_and_open_it_again(world):
    r = _create(world)
    assert services.close_round(actor=world.users["officer"], round=r).status == "CLOSED"
    with pytest.raises(BusinessRuleError):
        services.close_round(actor=world.users["officer"], round=r)
    assert services.close_round(actor=world.users["officer"], round=r, reopen=True).status == "OPEN"
    assert AuditEntry.objects.filter(object_type="round", action="UPDATE").count() == 2
