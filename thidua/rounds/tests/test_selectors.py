"""What each persona sees of the rounds, the officer's list with its filters and counts, the
candidates offered for nomination, and the dossier's step indicator."""

import pytest

from thidua.rounds import selectors
from thidua.rounds.models import NominationState, NominationStep
from thidua.testing import NominationFactory, PersonFactory, RoundFactory, UnitFactory

S = NominationState


@pytest.fixture
def spread(world, rnd):
    """One nomination per person of the agency, and one of the unit PA1."""
    return {
        "own": NominationFactory(person=world.own, round=rnd, title="LDTT", state=S.SUBMITTED),
        "colleague": NominationFactory(person=world.colleague, round=rnd, title="CSTDCS"),
        "in_a1": NominationFactory(person=world.in_a1, round=rnd, title="LDTT", state=S.CHECKED),
        "in_b": NominationFactory(person=world.in_b, round=rnd, title="GK", state=S.SUBMITTED),
        "unit_a1": NominationFactory(
            person=None, unit=world.unit_a1, nominating_unit=world.unit_a1, round=rnd,
            title="TTLDTT",
        ),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", {"own", "colleague", "in_a1", "in_b", "unit_a1"}),
        ("director", {"own", "colleague", "in_a1", "in_b", "unit_a1"}),
        ("council", {"own", "colleague", "in_a1", "in_b", "unit_a1"}),
        ("head", {"own", "colleague", "in_a1", "unit_a1"}),
        ("staff", {"own"}),
        ("norole", set()),
        ("other", set()),
    ],
)
def test_nominations_visible_to_each_persona(world, spread, persona, expected):
    seen = set(selectors.nominations_visible_to(world.users[persona]).values_list("pk", flat=True))
    assert seen == {spread[k].pk for k in expected}


def test_rounds_visible_to_role_holders_of_the_agency_only(world, rnd):
    assert [r.pk for r in selectors.rounds_visible_to(world.users["staff"])] == [rnd.pk]
    assert not selectors.rounds_visible_to(world.users["norole"]).exists()
    assert not selectors.rounds_visible_to(world.users["other"]).exists()


def _names(listing):
    return sorted(str(n.subject) for n in listing.page.object_list)


def test_nomination_list_counts_every_state_over_the_other_filters(world, rnd, spread):
    listing = selectors.nomination_list(world.users["officer"], rnd, state=S.SUBMITTED)
    assert _names(listing) == ["Phạm Thị Hoa", "Trần Thị Lan"]
    assert listing.counts == {S.SUBMITTED: 2, S.DRAFT: 2, S.CHECKED: 1}
    assert (listing.total, listing.filtered, listing.page.paginator.count) == (5, 2, 2)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"title": "LDTT"}, ["Nguyễn Văn Á", "Phạm Thị Hoa"]),
        ({"q": "tran lan"}, ["Trần Thị Lan"]),
        ({"q": "CB003"}, ["Nguyễn Văn Á"]),
        ({"q": "cao loc"}, ["Chi nhánh Văn phòng Đăng ký đất đai huyện Cao Lộc"]),
    ],
)
def test_nomination_list_filters(world, rnd, spread, filters, expected):
    assert _names(selectors.nomination_list(world.users["officer"], rnd, **filters)) == expected


def test_nomination_list_unit_filter_takes_the_subtree(world, rnd, spread):
    listing = selectors.nomination_list(world.users["officer"], rnd, unit=world.unit_a)
    assert listing.total == 4


def test_nomination_list_of_a_head_is_scoped(world, rnd, spread):
    listing = selectors.nomination_list(world.users["head"], rnd)
    assert listing.total == 4
    assert "Trần Thị Lan" not in _names(listing)


def test_nomination_list_pages_by_page_size(world, rnd, settings):
    settings.PAGE_SIZE = 5
    unit = UnitFactory(agency=world.agency)
    for _ in range(12):
        NominationFactory(person=PersonFactory(unit=unit), round=rnd, title="LDTT")
    listing = selectors.nomination_list(world.users["officer"], rnd, page=3)
    assert (listing.page.number, len(listing.page.object_list), listing.page.paginator.num_pages) == (
        3, 2, 3
    )  # fmt: skip


def test_candidates_are_the_eligible_of_the_scope_not_yet_nominated(world, rnd, rate):
    for person in (world.in_a1, world.colleague, world.in_b):
        rate(person, "HTTNV")
    NominationFactory(person=world.colleague, round=rnd, title="LDTT")

    found = selectors.candidates(world.users["head"], rnd)

    assert [(c["name"], c["title"]) for c in found] == [("Nguyễn Văn Á", "LDTT")]
    assert found[0]["value"] == f"p{world.in_a1.pk}:LDTT"
    assert all(c["passed"] for c in found[0]["conditions"])


def test_candidates_of_the_officer_cover_the_agency_in_vietnamese_order(world, rnd, rate):
    for person in (world.in_a1, world.colleague, world.in_b):
        rate(person, "HTTNV")
    found = selectors.candidates(world.users["officer"], rnd)
    assert [c["name"] for c in found if c["title"] == "LDTT"] == [
        "Nguyễn Văn Á", "Đặng Văn Bình", "Trần Thị Lan"
    ]  # fmt: skip


def test_candidates_only_for_the_rounds_titles(world, rate):
    rate(world.in_a1, "HTXSNV")
    round = RoundFactory(agency=world.agency, titles=["CSTDCS"])
    assert {c["title"] for c in selectors.candidates(world.users["head"], round)} == {"CSTDCS"}


def test_subjects_in_reach_match_people_and_units_of_the_scope(world, rnd):
    found = selectors.subjects_in_reach(world.users["head"], rnd, query="cao loc")
    assert [m["value"] for m in found] == [f"u{world.unit_a1.pk}"]
    assert selectors.subjects_in_reach(world.users["head"], rnd, query="lan") == []


def _indicator(n, history=None):
    return [(s["state"], s["status"], s["tone"]) for s in selectors.step_indicator(n, history)]


def test_step_indicator_marks_the_current_step(world, rnd):
    n = NominationFactory(person=world.in_a1, round=rnd, state=S.CHECKED)
    assert _indicator(n) == [
        ("DRAFT", "done", ""), ("SUBMITTED", "done", ""), ("CHECKED", "current", ""),
        ("BEFORE_COUNCIL", "todo", ""), ("PASSED", "todo", ""), ("DECIDED", "todo", ""),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("state", "at", "tone"),
    [(S.RETURNED, 1, "returned"), (S.NOT_PASSED, 4, "bad"), (S.AWARDED, 5, ""),
     (S.REFUSED, 5, "bad")],
)  # fmt: skip
def test_step_indicator_shows_a_detour_in_place(world, rnd, state, at, tone):
    n = NominationFactory(person=world.in_a1, round=rnd, state=state)
    steps = _indicator(n)
    assert steps[at] == (state, "current", tone)
    assert [s[1] for s in steps[:at]] == ["done"] * at


def test_step_indicator_shows_a_withdrawal_where_it_happened(world, rnd):
    n = NominationFactory(person=world.in_a1, round=rnd, state=S.WITHDRAWN)
    step = NominationStep.objects.create(nomination=n, from_state=S.SUBMITTED, to_state=S.WITHDRAWN)
    assert _indicator(n, [step])[1] == ("WITHDRAWN", "current", "bad")


@pytest.fixture
def crowd(world, rnd):
    """Seventeen dossiers over two units and three titles, a unit's among them, all named
    "Nguyễn …" so that one search word matches every one."""
    made = []
    for i, given in enumerate(["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lan"]):
        for unit, title in ((world.unit_a, "LDTT"), (world.unit_b, "GK")):
            p = PersonFactory(unit=unit, family_name="Nguyễn", middle_name="Văn", given_name=given,
                              staff_code=f"NG{i}{unit.code}")  # fmt: skip
            made.append(NominationFactory(person=p, round=rnd, title=title))
    unit = UnitFactory(
        agency=world.agency, code="NGUYEN", name="Tổ Nguyễn Trãi", parent=world.unit_a
    )
    made.append(NominationFactory(person=None, unit=unit, nominating_unit=unit, round=rnd,
                                  title="TTLDTT"))  # fmt: skip
    return made


def _all_pages(user, rnd, **filters) -> list[int]:
    first = selectors.nomination_list(user, rnd, **filters)
    pages = first.page.paginator.num_pages
    return [
        n.pk
        for number in range(1, pages + 1)
        for n in selectors.nomination_list(user, rnd, page=number, **filters).page.object_list
    ]


def test_nomination_list_pages_read_backwards_match_the_order(world, rnd, crowd, settings):
    settings.PAGE_SIZE = 5
    officer = world.users["officer"]
    ids = _all_pages(officer, rnd)
    expected = list(
        selectors.nominations_visible_to(officer)
        .filter(round=rnd)
        .order_by(*selectors.LIST_ORDER)
        .values_list("pk", flat=True)
    )
    assert ids == expected and len(ids) == 17


def test_nomination_list_search_keeps_the_list_order(world, rnd, crowd, settings):
    settings.PAGE_SIZE = 5
    officer = world.users["officer"]
    assert _all_pages(officer, rnd, q="nguyen") == _all_pages(officer, rnd)
