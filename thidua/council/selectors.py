"""Reads of the council: what a user may see, the agenda, a member's own ballot, the results.

Everything starts from the user's scope (`accounts.selectors.scope_for`): a meeting of another
agency is simply not found. The secret ballot is kept here as well: `my_ballot` returns the
member's own choices only while the ballot is open, and nothing returns who voted what.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from thidua.accounts.models import Role, User
from thidua.accounts.selectors import of_own_agency, scope_for
from thidua.council.models import (
    AgendaItem,
    Attendance,
    Ballot,
    Council,
    CouncilMember,
    Meeting,
    MeetingStatus,
    VoteChoice,
)
from thidua.eligibility.selectors import agency_settings
from thidua.records.enums import TitleCode
from thidua.rounds.models import Nomination, NominationState, Round

# --- scope ------------------------------------------------------------------------------------


def councils_visible_to(user) -> QuerySet[Council]:
    """Councils of the user's agency, for the agency-wide roles and for the members themselves."""
    scope = scope_for(user)
    qs = of_own_agency(user, Council.objects.select_related("agency"))
    if scope.superuser or scope.agency_wide:
        return qs
    return qs.filter(members__user_id=user.pk, members__active=True).distinct()


def meetings_visible_to(user) -> QuerySet[Meeting]:
    """Meetings the user may open: every meeting of the agency for the agency-wide roles (admin,
    officer, director, council role); the meetings of their own council for a member who holds
    none of those roles. Anyone else (unit heads, staff, other agencies) finds nothing: 404."""
    scope = scope_for(user)
    qs = of_own_agency(
        user, Meeting.objects.select_related("council", "round"), field="council__agency_id"
    )
    if scope.superuser or scope.agency_wide:
        return qs
    seats = CouncilMember.objects.filter(user_id=user.pk, active=True).values("council_id")
    return qs.filter(council_id__in=seats)


def meeting_agency_id(pk: object) -> int | None:
    """The agency of meeting `pk` whoever asks: only to log a refused vote against it."""
    try:
        return (
            Meeting.objects.filter(pk=int(pk)).values_list("council__agency_id", flat=True).first()
        )
    except (TypeError, ValueError):
        return None


def active_council(agency_id: int | None) -> Council | None:
    if agency_id is None:
        return None
    return Council.objects.filter(agency_id=agency_id, active=True).first()


def seat_of(user, council_id: int) -> CouncilMember | None:
    """The user's active seat in the council, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return None
    cache = user.__dict__.setdefault("_council_seats", {})
    if council_id not in cache:
        cache[council_id] = (
            CouncilMember.objects.filter(council_id=council_id, user_id=user.pk, active=True)
            .select_related("person")
            .first()
        )
    return cache[council_id]


def _member_key(member: CouncilMember) -> tuple:
    if member.person_id:
        return (0, bytes(member.person.sort_key), "")
    return (1, b"", member.user.get_full_name() or member.user.get_username())


ROLE_ORDER = {"CHAIR": 0, "VICE_CHAIR": 1, "SECRETARY": 2, "MEMBER": 3}


def members_of(council: Council, *, active: bool = True) -> list[CouncilMember]:
    """The members, chair first, then vice chairs, secretary, members; names in Vietnamese order."""
    rows = list(
        CouncilMember.objects.filter(council=council, active=active).select_related(
            "user", "person__unit"
        )
    )
    return sorted(rows, key=lambda m: (ROLE_ORDER.get(m.role, 9), *_member_key(m)))


def agency_users(agency_id: int) -> list[User]:
    """Active logins of the agency that may sit on the council, in Vietnamese name order."""
    users = list(User.objects.filter(agency_id=agency_id, is_active=True).select_related("person"))
    return sorted(
        users,
        key=lambda u: (
            u.person_id is None,
            bytes(u.person.sort_key) if u.person_id else b"",
            u.get_full_name() or u.get_username(),
        ),
    )


def director_ids(agency_id: int) -> set[int]:
    """Logins of the agency holding the director role: only they may chair (domain.md)."""
    return set(
        User.objects.filter(
            agency_id=agency_id, is_active=True, roles__role=Role.DIRECTOR
        ).values_list("pk", flat=True)
    )


def rounds_for_meetings(agency_id: int) -> QuerySet[Round]:
    return Round.objects.filter(agency_id=agency_id).order_by("-year", "-pk")


# --- thresholds and conflicts -----------------------------------------------------------------


def recusals(*, meeting: Meeting, members: list[CouncilMember], recuse_own_unit: bool):
    """(member id, item id, reason) for every vote a member may not cast, and why.

    A member never votes on their own nomination. When the agency sets `council_recuse_own_unit`
    (Quy chế hoạt động của Hội đồng), a member does not vote on a nomination whose nominating
    unit is the member's own unit, a unit inside it (the head of an office and its branches) or
    a unit above it (a branch's staff and their parent office): the two units lie on one line
    of the unit tree. Sibling units (two branches of the same office) are no conflict, and the
    units directly under the agency have no common parent, so the rule never covers everyone.
    Only items that need a vote are concerned.
    """
    items = list(
        AgendaItem.objects.filter(meeting=meeting, threshold_percent__gt=0).values_list(
            "pk",
            "nomination__person_id",
            "nomination__nominating_unit__path",
            "nomination__nominating_unit__name",
        )
    )
    found = []
    own = _("Own nomination: a member never votes on themself.")
    for member in members:
        person = member.person if member.person_id else None
        unit_path = person.unit.path if person is not None and person.unit_id else ""
        for item_id, person_id, path, unit_name in items:
            if person is not None and person_id == person.pk:
                found.append((member.pk, item_id, own))
            elif (
                recuse_own_unit
                and unit_path
                and path
                and (path.startswith(unit_path) or unit_path.startswith(path))
            ):
                found.append(
                    (
                        member.pk,
                        item_id,
                        _("Nomination of the member's own unit (%(unit)s).") % {"unit": unit_name},
                    )
                )
    return found


# --- agenda -----------------------------------------------------------------------------------

SUBJECT_RELATED = ("nomination__person", "nomination__unit", "nomination__nominating_unit")


def agenda(meeting: Meeting) -> QuerySet[AgendaItem]:
    """The items of the meeting with their subjects, in agenda order."""
    return AgendaItem.objects.filter(meeting=meeting).select_related(*SUBJECT_RELATED)


def checked_nominations(meeting: Meeting) -> QuerySet[Nomination]:
    """Nominations of the meeting's round checked by the office and not yet before a council,
    by title then the Vietnamese order of names (units in tree order)."""
    return (
        Nomination.objects.filter(
            round_id=meeting.round_id,
            agency_id=meeting.council.agency_id,
            state=NominationState.CHECKED,
        )
        .select_related("person", "unit", "nominating_unit")
        .order_by("title", "person__sort_key", "unit__path", "pk")
    )


def absent_members(meeting: Meeting) -> list[CouncilMember]:
    ids = Attendance.objects.filter(meeting=meeting, present=False).values("member_id")
    members = CouncilMember.objects.filter(pk__in=ids, active=True).select_related(
        "user", "person__unit"
    )
    return sorted(members, key=lambda m: (ROLE_ORDER.get(m.role, 9), *_member_key(m)))


def attendance_of(meeting: Meeting) -> dict[int, bool]:
    """member id → present, for the members whose attendance was recorded."""
    return dict(Attendance.objects.filter(meeting=meeting).values_list("member_id", "present"))


def attendance_row(meeting_pk: int, member_pk: int) -> Attendance | None:
    return Attendance.objects.filter(meeting_id=meeting_pk, member_id=member_pk).first()


# --- the member's own ballot ------------------------------------------------------------------


@dataclass
class BallotRow:
    item: AgendaItem
    choice: str = ""
    reason: str = ""
    recused: str = ""  # why the member may not vote on it, when they may not
    written: bool = False  # entered by the office from a written vote

    @property
    def choice_label(self) -> str:
        return str(VoteChoice(self.choice).label) if self.choice else ""


@dataclass
class MyBallot:
    member: CouncilMember | None
    present: bool | None
    is_open: bool
    rows: list[BallotRow] = field(default_factory=list)
    no_vote_needed: list[AgendaItem] = field(default_factory=list)

    @property
    def voted(self) -> int:
        return sum(1 for r in self.rows if r.choice and not r.recused)


def my_ballot(user, meeting: Meeting) -> MyBallot:
    """The user's own ballot: every item needing a vote, with their own choice while it is open.

    Nobody else's ballot is ever read here. Once the ballot is closed the choices are no longer
    shown, not even to the member: only the tallies are (`meeting_results`).
    """
    member = seat_of(user, meeting.council_id)
    is_open = meeting.status == MeetingStatus.VOTING
    result = MyBallot(member=member, present=None, is_open=is_open)
    if member is None:
        return result
    result.present = attendance_of(meeting).get(member.pk)
    mine = {}
    if meeting.status != MeetingStatus.CLOSED:
        mine = {b.item_id: b for b in Ballot.objects.filter(item__meeting=meeting, member=member)}
    for item in agenda(meeting):
        if item.threshold_percent == 0:
            result.no_vote_needed.append(item)
            continue
        row = BallotRow(item=item)
        ballot = mine.get(item.pk)
        if ballot is not None and ballot.choice == VoteChoice.RECUSED:
            row.recused = ballot.reason or str(VoteChoice.RECUSED.label)
        elif ballot is not None and is_open:
            row.choice, row.reason = ballot.choice, ballot.reason
            row.written = ballot.source == "WRITTEN"
        result.rows.append(row)
    return result


def written_ballot(meeting: Meeting, member: CouncilMember) -> dict[int, tuple[str, str]]:
    """An absent member's written votes as entered so far (only the office enters them)."""
    return {
        item_id: (choice, reason)
        for item_id, choice, reason in Ballot.objects.filter(
            item__meeting=meeting, member=member, source="WRITTEN"
        ).values_list("item_id", "choice", "reason")
    }


def recused_items(meeting: Meeting, member: CouncilMember) -> dict[int, str]:
    return dict(
        Ballot.objects.filter(
            item__meeting=meeting, member=member, choice=VoteChoice.RECUSED
        ).values_list("item_id", "reason")
    )


# --- progress and results ---------------------------------------------------------------------


@dataclass
class Progress:
    members_total: int
    voters: int  # members who cast at least one ballot (online or written); never what
    items: int


def vote_progress(meeting: Meeting) -> Progress:
    voters = (
        Ballot.objects.filter(item__meeting=meeting)
        .exclude(choice=VoteChoice.RECUSED)
        .aggregate(n=Count("member", distinct=True))["n"]
    )
    items = AgendaItem.objects.filter(meeting=meeting, threshold_percent__gt=0).count()
    return Progress(members_total=meeting.members_total, voters=voters, items=items)


@dataclass
class TitleResults:
    title: str
    label: str
    items: list[AgendaItem]

    @property
    def passed(self) -> int:
        return sum(1 for i in self.items if i.passed)


def meeting_results(meeting: Meeting) -> list[TitleResults]:
    """The results per title, once the ballot is closed: tallies only, never who voted what."""
    if meeting.status != MeetingStatus.CLOSED:
        return []
    order = {code: i for i, code in enumerate(TitleCode.values)}
    groups: dict[str, list[AgendaItem]] = {}
    for item in agenda(meeting):
        groups.setdefault(item.nomination.title, []).append(item)
    return [
        TitleResults(title=code, label=str(TitleCode(code).label), items=rows)
        for code, rows in sorted(groups.items(), key=lambda kv: order.get(kv[0], 99))
    ]


def agenda_counts(meeting: Meeting) -> Counter:
    """How many items per title (the meeting page's summary before the results)."""
    rows = (
        AgendaItem.objects.filter(meeting=meeting)
        .order_by()
        .values("nomination__title")
        .annotate(n=Count("pk"))
    )
    return Counter({row["nomination__title"]: row["n"] for row in rows})


def has_open_ballot(council_id: int) -> bool:
    return Meeting.objects.filter(council_id=council_id, status=MeetingStatus.VOTING).exists()


def chair_of(council_id: int) -> CouncilMember | None:
    return CouncilMember.objects.filter(council_id=council_id, role="CHAIR", active=True).first()


def recused_counts(meeting: Meeting) -> dict[int, int]:
    """item id → how many members may not vote on it (conflicts written when the ballot opened)."""
    rows = (
        Ballot.objects.filter(item__meeting=meeting, choice=VoteChoice.RECUSED)
        .order_by()
        .values("item_id")
        .annotate(n=Count("pk"))
    )
    return {row["item_id"]: row["n"] for row in rows}


def quorum_fraction(percent: int) -> tuple[int, int]:
    """The share of all members that must be present, as (numerator, denominator).

    The setting `council_quorum_percent` is a whole percent; its default 67 is the "at least two
    thirds present" of domain.md (Quy chế hoạt động của Hội đồng), which no whole percent can
    say: 67 % of 3, 6 or 9 members would ask for more than two thirds (4 of 6 is 66.7 %). So 67
    is read as exactly 2/3; any other value as itself over 100.
    """
    return (2, 3) if percent == 67 else (percent, 100)


def quorum_met(present: int, total: int, percent: int) -> bool:
    """Exact integer test: present / total ≥ the quorum fraction."""
    num, den = quorum_fraction(percent)
    return total > 0 and present * den >= num * total


def quorum_needed(total: int, percent: int) -> int:
    """The fewest members present that make the quorum."""
    num, den = quorum_fraction(percent)
    return -(-num * total // den)


@dataclass
class Quorum:
    percent: int
    members: int
    needed: int


def quorum_of(meeting: Meeting) -> Quorum:
    """The quorum the meeting needs today (setting `council_quorum_percent`, default 67)."""
    percent = int(agency_settings(meeting.council.agency_id).get("council_quorum_percent") or 0)
    total = CouncilMember.objects.filter(council_id=meeting.council_id, active=True).count()
    return Quorum(percent=percent, members=total, needed=quorum_needed(total, percent))
