"""Award-round bench data (issue #4), on top of the province made by bench/generate.py.

Three kinds of rounds of the BENCH agency, all named with `MARKER` so that they can be found
and removed again (nothing else of the agency is touched):

- the year's round: 5,000 nominations in mixed states across many units, with their steps and
  audit rows (the officer's list and the unit head's list are measured on it);
- the council's round: 5,000 nominations before the council on a meeting whose ballot is open,
  with a ballot of each of the 20 members on every item (100,000 rows) — data to browse;
- scratch rounds, built and removed by each run of `bench/rounds.py close`, where the services
  are timed on fresh rows: set_agenda, open_ballot, cast_votes, close_ballot,
  pass_without_vote, draft_decision and issue_decision on 5,000 items.

The bulk rows go in with bulk_create (they are synthetic); every state change that is timed
goes through the real services.
"""

import datetime
import random
from collections import Counter
from dataclasses import dataclass

from common import AGENCY_CODE, OFFICER_USERNAME, PASSWORD, UNIT_HEAD_USERNAME

MARKER = "[bench]"
SCRATCH = "Đợt đo thời gian"  # the name of the scratch rounds of `rounds.py close`
DIRECTOR_USERNAME = "bench.director"
MEMBER_USERNAME = "bench.council{:02d}"
COUNCIL_NAME = f"Hội đồng Thi đua - Khen thưởng {MARKER}"
MEMBERS = 20  # the director (chair) and 19 members
ITEMS = 5_000
BATCH = 2_000

# The year's round: share of each state, and of each title among people.
STATE_MIX = {
    "DRAFT": 10, "SUBMITTED": 15, "RETURNED": 5, "CHECKED": 15, "BEFORE_COUNCIL": 10,
    "PASSED": 12, "NOT_PASSED": 3, "DECIDED": 20, "FORWARDED": 3, "AWARDED": 1, "WITHDRAWN": 6,
}  # fmt: skip
PERSON_TITLE_MIX = {"LDTT": 62, "CSTDCS": 15, "GK": 15, "CSTD_TINH": 4, "BK_TINH": 4}
UNIT_TITLE_MIX = {"TTLDTT": 60, "GK": 25, "TTLDXS": 15}
UNIT_SHARE = 0.05  # of the year's nominations are collectives
YEAR_TITLES = ["LDTT", "CSTDCS", "GK", "CSTD_TINH", "BK_TINH", "TTLDTT", "TTLDXS"]
# The council's items: CSTĐCS (80 % of all members) and CSTĐ cấp tỉnh (90 %).
VOTE_TITLE_MIX = {"CSTDCS": 92, "CSTD_TINH": 8}
# The path of states a nomination went through to reach each state (its NominationSteps).
PATHS = {
    "DRAFT": ["DRAFT"],
    "SUBMITTED": ["DRAFT", "SUBMITTED"],
    "RETURNED": ["DRAFT", "SUBMITTED", "RETURNED"],
    "CHECKED": ["DRAFT", "SUBMITTED", "CHECKED"],
    "BEFORE_COUNCIL": ["DRAFT", "SUBMITTED", "CHECKED", "BEFORE_COUNCIL"],
    "PASSED": ["DRAFT", "SUBMITTED", "CHECKED", "BEFORE_COUNCIL", "PASSED"],
    "NOT_PASSED": ["DRAFT", "SUBMITTED", "CHECKED", "BEFORE_COUNCIL", "NOT_PASSED"],
    "DECIDED": ["DRAFT", "SUBMITTED", "CHECKED", "BEFORE_COUNCIL", "PASSED", "DECIDED"],
    "FORWARDED": ["DRAFT", "SUBMITTED", "CHECKED", "BEFORE_COUNCIL", "PASSED", "FORWARDED"],
    "AWARDED": [
        "DRAFT",
        "SUBMITTED",
        "CHECKED",
        "BEFORE_COUNCIL",
        "PASSED",
        "FORWARDED",
        "AWARDED",
    ],
    "WITHDRAWN": ["DRAFT", "SUBMITTED", "WITHDRAWN"],
}
REPORT = (
    "Năm {year}, đồng chí {name} hoàn thành xuất sắc nhiệm vụ được giao; chủ động tham mưu, "
    "đề xuất giải pháp nâng cao chất lượng, hiệu quả công tác chuyên môn; tích cực tham gia các "
    "phong trào thi đua do cơ quan, đơn vị phát động; chấp hành tốt chủ trương, đường lối của "
    "Đảng, chính sách, pháp luật của Nhà nước và quy chế của cơ quan."
)
CONDITIONS = [
    {"code": "rating", "passed": True, "message": "Xếp loại HTTNV trở lên năm {year}."},
    {"code": "discipline", "passed": True, "message": "Không bị kỷ luật trong năm {year}."},
]


def _pick(rng: random.Random, mix: dict[str, int]) -> str:
    return rng.choices(list(mix), weights=list(mix.values()))[0]


def year() -> int:
    """The year of the rounds: the current one (its decisions are signed this year)."""
    from django.utils import timezone

    return timezone.localdate().year


def agency():
    from thidua.org.models import Agency

    found = Agency.objects.filter(code=AGENCY_CODE).first()
    if found is None:
        raise SystemExit("no BENCH agency: run bench/generate.py against the same DATABASE_URL")
    return found


def user(username: str):
    from thidua.accounts.models import User

    return User.objects.select_related("person__unit").get(username=username)


def _people(agency, rng: random.Random, count: int, *, exclude=()) -> list:
    """`count` people in office, drawn at random (so spread over units by their size)."""
    from thidua.org.models import Person

    ids = list(
        Person.objects.filter(agency=agency, left_on__isnull=True, unit__isnull=False)
        .exclude(pk__in=list(exclude))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    chosen = rng.sample(ids, k=count)
    people = Person.objects.select_related("unit").in_bulk(chosen)
    return [people[pk] for pk in chosen]


# --- logins and the council -------------------------------------------------------------------


def ensure_council(agency, rng: random.Random):
    """The director (chair) and 19 council members, each with a staff record in a different
    sub-unit, and the council in office. Made once; reused by every later run."""
    from thidua.accounts import services as accounts_services
    from thidua.accounts.models import Role, User
    from thidua.council import services as council_services
    from thidua.council.models import Council, MemberRole
    from thidua.org.models import Person, Unit

    council = Council.objects.filter(agency=agency, active=True).first()
    if council is not None:
        if council.name != COUNCIL_NAME:
            raise SystemExit(f"the BENCH agency already has another council: {council.name}")
        return council
    # One member per sub-unit (depth 1), so that the own-unit rule recuses each member from a
    # few dozen items only, as in a real agency.
    subs = list(
        Unit.objects.filter(agency=agency, parent__isnull=False, parent__parent__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    taken = set(User.objects.filter(person__isnull=False).values_list("person_id", flat=True))
    members = []
    for n, unit_id in enumerate(rng.sample(subs, k=MEMBERS)):
        username = DIRECTOR_USERNAME if n == 0 else MEMBER_USERNAME.format(n)
        found = User.objects.filter(username=username).first()
        if found is None:
            person = (
                Person.objects.filter(unit_id=unit_id, left_on__isnull=True)
                .exclude(pk__in=taken)
                .order_by("pk")
                .first()
            )
            taken.add(person.pk)
            role = Role.DIRECTOR if n == 0 else Role.COUNCIL
            found = accounts_services.create_user(
                actor=None,
                agency=agency,
                username=username,
                password=PASSWORD,
                roles=[(role, None), (Role.STAFF, None)],
                person=person,
                first_name=person.given_name,
                last_name=f"{person.family_name} {person.middle_name}".strip(),
            )
        members.append((found, MemberRole.CHAIR if n == 0 else MemberRole.MEMBER))
    return council_services.set_up_council(
        actor=user(OFFICER_USERNAME),
        agency=agency,
        name=COUNCIL_NAME,
        established_by=f"1/QĐ-UBND ngày 02/01/{year()}",
        members=members,
    )


# --- nominations in bulk ----------------------------------------------------------------------


def _nomination(round_, *, subject, title: str, state: str, rng: random.Random, creator):
    from thidua.rounds.models import Nomination, search_key

    is_person = subject._meta.model_name == "person"
    name = subject.full_name if is_person else subject.name
    roll = rng.random()
    n = Nomination(
        round=round_,
        agency_id=round_.agency_id,
        person=subject if is_person else None,
        unit=None if is_person else subject,
        nominating_unit_id=subject.unit_id if is_person else subject.pk,
        search_text=search_key(subject),
        sort_key=bytes(subject.sort_key) if is_person else b"",
        title=title,
        state=state,
        achievement_report=REPORT.format(year=round_.year, name=name),
        eligible=True if roll < 0.85 else (False if roll < 0.93 else None),
        eligibility=[{**c, "message": c["message"].format(year=round_.year)} for c in CONDITIONS],
        warnings=(
            [{"code": "quota", "message": "Vượt tỷ lệ khen thưởng của đơn vị."}]
            if rng.random() < 0.05
            else []
        ),
        created_by=creator,
    )
    if state == "RETURNED":
        n.return_reason = "Bổ sung báo cáo thành tích có xác nhận của thủ trưởng đơn vị."
        n.amend_by = datetime.date(round_.year, 12, 15)
    return n


def _insert(nominations: list, *, actor, with_history: bool) -> None:
    """Insert the nominations; with their steps and audit rows when `with_history`."""
    from thidua.audit.models import AuditAction, AuditEntry
    from thidua.rounds.models import Nomination, NominationState, NominationStep

    Nomination.objects.bulk_create(nominations, batch_size=BATCH)
    if not with_history:
        return
    labels = {s.value: str(s.label) for s in NominationState}
    steps, audit = [], []
    for n in nominations:
        path = PATHS[n.state]
        audit.append(
            AuditEntry(
                agency_id=n.agency_id,
                actor=actor,
                actor_name=actor.get_username(),
                action=AuditAction.CREATE,
                object_type="nomination",
                object_id=str(n.pk),
                object_repr=f"{n.person or n.unit} — {n.title}"[:255],
                changes={"title": n.title, "state": labels["DRAFT"]},
            )
        )
        for before, after in zip(["", *path], path, strict=False):
            steps.append(NominationStep(nomination=n, from_state=before, to_state=after))
            if before:
                audit.append(
                    AuditEntry(
                        agency_id=n.agency_id,
                        actor=actor,
                        actor_name=actor.get_username(),
                        action=AuditAction.UPDATE,
                        object_type="nomination",
                        object_id=str(n.pk),
                        object_repr=f"{n.person or n.unit} — {n.title}"[:255],
                        changes={"state": [labels[before], labels[after]]},
                    )
                )
    NominationStep.objects.bulk_create(steps, batch_size=BATCH)
    AuditEntry.objects.bulk_create(audit, batch_size=BATCH)


def _create_round(agency, *, kind: str, name: str, titles: list[str]):
    from thidua.rounds import services as round_services

    return round_services.create_round(
        actor=user(OFFICER_USERNAME),
        agency=agency,
        kind=kind,
        year=year(),
        name=f"{name} {MARKER}",
        titles=titles,
    )


def build_year_round(agency, rng: random.Random):
    """The year's round: `ITEMS` nominations in mixed states (STATE_MIX) across the agency."""
    from thidua.org.models import Unit

    round_ = _create_round(
        agency, kind="ANNUAL", name=f"Xét khen thưởng năm {year()}", titles=YEAR_TITLES
    )
    officer, head = user(OFFICER_USERNAME), user(UNIT_HEAD_USERNAME)
    n_units = round(ITEMS * UNIT_SHARE)
    people = _people(agency, rng, ITEMS - n_units)
    units = rng.sample(
        list(Unit.objects.filter(agency=agency, dissolved_on__isnull=True).order_by("pk")),
        k=n_units,
    )
    rows = []
    for subject in people + units:
        is_person = subject._meta.model_name == "person"
        title = _pick(rng, PERSON_TITLE_MIX if is_person else UNIT_TITLE_MIX)
        rows.append(
            _nomination(
                round_,
                subject=subject,
                title=title,
                state=_pick(rng, STATE_MIX),
                rng=rng,
                creator=head if rng.random() < 0.7 else officer,
            )
        )
    _insert(rows, actor=officer, with_history=True)
    return round_


def build_checked(round_, people: list, titles: dict[str, int] | str, rng: random.Random):
    """One CHECKED nomination per person for `titles` (a mix, or one title), in bulk, posted
    publicly long enough ago that nothing blocks a decision."""
    officer = user(OFFICER_USERNAME)
    rows = []
    posted = datetime.date(round_.year, 1, 2)
    for person in people:
        title = titles if isinstance(titles, str) else _pick(rng, titles)
        n = _nomination(
            round_, subject=person, title=title, state="CHECKED", rng=rng, creator=officer
        )
        n.eligible, n.warnings = True, []
        n.posted_from, n.posted_until = posted, posted + datetime.timedelta(days=5)
        rows.append(n)
    _insert(rows, actor=officer, with_history=False)
    return rows


# --- the council's meeting --------------------------------------------------------------------


def meeting_for(round_, council, *, absent: int = 2):
    """A planned online meeting of the round, every member present but `absent` of them."""
    from django.utils import timezone

    from thidua.council import services as council_services
    from thidua.council.models import CouncilMember

    officer = user(OFFICER_USERNAME)
    meeting = council_services.schedule_meeting(
        actor=officer,
        council=council,
        round=round_,
        held_at=timezone.now(),
        place="Hội trường tầng 3",
        method="ONLINE",
    )
    members = list(
        CouncilMember.objects.filter(council=council, active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    council_services.record_attendance(
        actor=officer, meeting=meeting, present_member_ids=members[: len(members) - absent]
    )
    return meeting


@dataclass
class Votes:
    ballots: int  # rows in the meeting once done, recusals included
    recused: int
    written: int


def cast_all_ballots(meeting, rng: random.Random) -> Votes:
    """A ballot of every member on every item the member has none on yet (bulk_create): online
    for members present, written (entered by the officer) for the absent. Most items are
    strongly supported, some split, so that the results mix passed and not passed."""
    from thidua.council.models import AgendaItem, Attendance, Ballot, CouncilMember

    officer = user(OFFICER_USERNAME)
    members = list(
        CouncilMember.objects.filter(council_id=meeting.council_id, active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    present = dict(Attendance.objects.filter(meeting=meeting).values_list("member_id", "present"))
    items = list(
        AgendaItem.objects.filter(meeting=meeting).order_by("pk").values_list("pk", flat=True)
    )
    have = set(Ballot.objects.filter(item__meeting=meeting).values_list("item_id", "member_id"))
    recused = Ballot.objects.filter(item__meeting=meeting, choice="RECUSED").count()
    rows = []
    for item_id in items:
        support = 0.97 if rng.random() < 0.85 else 0.75
        for member_id in members:
            if (item_id, member_id) in have:
                continue
            roll = rng.random()
            if roll < support:
                choice, reason = "YES", ""
            elif roll < support + (1 - support) * 0.7:
                choice, reason = "NO", ""
            else:
                choice, reason = "ABSTAIN", "Chưa nắm rõ thành tích của cá nhân được đề nghị."
            written = not present.get(member_id, False)
            rows.append(
                Ballot(
                    item_id=item_id,
                    member_id=member_id,
                    choice=choice,
                    reason=reason,
                    source="WRITTEN" if written else "ONLINE",
                    entered_by=officer if written else None,
                )
            )
    Ballot.objects.bulk_create(rows, batch_size=BATCH)
    return Votes(
        ballots=len(have) + len(rows),
        recused=recused,
        written=sum(1 for r in rows if r.source == "WRITTEN"),
    )


def build_council_round(agency, council, rng: random.Random):
    """The council's round: `ITEMS` nominations on a meeting whose ballot is open, and a ballot
    of every member on every item. Built with the services (set_agenda, open_ballot)."""
    from thidua.council import services as council_services

    round_ = _create_round(
        agency,
        kind="MOVEMENT",
        name=f"Tổng kết phong trào thi đua năm {year()}",
        titles=list(VOTE_TITLE_MIX),
    )
    nominations = build_checked(round_, _people(agency, rng, ITEMS), VOTE_TITLE_MIX, rng)
    meeting = meeting_for(round_, council)
    officer = user(OFFICER_USERNAME)
    council_services.set_agenda(actor=officer, meeting=meeting, nominations=nominations)
    meeting = council_services.open_ballot(actor=officer, meeting=meeting)
    cast_all_ballots(meeting, rng)
    return round_, meeting


# --- finding and removing ---------------------------------------------------------------------


def bench_rounds(agency):
    from thidua.rounds.models import Round

    return Round.objects.filter(agency=agency, name__endswith=MARKER)


def _delete_audit(object_type: str, ids) -> None:
    from thidua.audit.models import AuditEntry

    keys = [str(pk) for pk in ids]
    for start in range(0, len(keys), 1000):
        AuditEntry.objects.filter(
            object_type=object_type, object_id__in=keys[start : start + 1000]
        ).delete()


def remove_rounds(rounds) -> Counter:
    """Delete rounds of the bench and everything hanging from them: meetings, ballots,
    decisions and the awards they wrote, nominations, steps, audit rows and notices. Bench data
    only (found by MARKER): real records are revoked, never deleted."""
    from django.db import transaction

    from thidua.council.models import AgendaItem, Attendance, Ballot, Meeting
    from thidua.decisions.models import Decision, DecisionLine
    from thidua.notifications.models import Notification
    from thidua.records.models import Award
    from thidua.rounds.models import Nomination, Round

    removed = Counter()
    round_ids = [r.pk for r in rounds]
    if not round_ids:
        return removed
    with transaction.atomic():
        meetings = list(Meeting.objects.filter(round_id__in=round_ids).values_list("pk", flat=True))
        decisions = list(
            Decision.objects.filter(round_id__in=round_ids).values_list("pk", "number", "symbol")
        )
        references = [f"{number}/{symbol}" for _pk, number, symbol in decisions if number]
        nominations = list(
            Nomination.objects.filter(round_id__in=round_ids).values_list("pk", flat=True)
        )
        awards = list(
            Award.objects.filter(decision_number__in=references)
            .filter(agency_id__in=Round.objects.filter(pk__in=round_ids).values("agency_id"))
            .values_list("pk", flat=True)
        )
        decision_ids = [d[0] for d in decisions]
        removed["ballots"] = Ballot.objects.filter(item__meeting_id__in=meetings).delete()[0]
        removed["agenda items"] = AgendaItem.objects.filter(meeting_id__in=meetings).delete()[0]
        Attendance.objects.filter(meeting_id__in=meetings).delete()
        removed["meetings"] = Meeting.objects.filter(pk__in=meetings).delete()[0]
        DecisionLine.objects.filter(decision_id__in=decision_ids).delete()
        removed["decisions"] = Decision.objects.filter(pk__in=decision_ids).delete()[0]
        for start in range(0, len(awards), 1000):
            chunk = awards[start : start + 1000]
            removed["awards"] += Award.objects.filter(pk__in=chunk).delete()[0]
        deleted = Nomination.objects.filter(round_id__in=round_ids).delete()[0]
        removed["nominations (with steps…)"] = deleted
        Round.objects.filter(pk__in=round_ids).delete()
        keys = [f"ballot-opened:{pk}" for pk in meetings] + [
            f"decision:{pk}" for pk in decision_ids
        ]
        Notification.objects.filter(key__in=keys).delete()
        for object_type, ids in (
            ("nomination", nominations),
            ("meeting", meetings),
            ("decision", decision_ids),
            ("award", awards),
            ("round", round_ids),
        ):
            _delete_audit(object_type, ids)
    return removed
