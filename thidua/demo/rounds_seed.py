"""The demo's award round: the 2025 titles of the province and above, waiting for the council.

The director's own 2025 titles are already decided (records_seed); what is left is the round the
province asks for. The head of Văn phòng Đăng ký đất đai (`truongdonvi`) has nominated the people
and units of his office that the engine finds eligible, and submitted them; the officer
(`thiduakt`) has checked all but one. The council of seven (the director in the chair, `hoidong`
and five heads of divisions) is in office and a meeting is planned: the demo goes on from there,
by the pages. Everything is written through the same services as the pages, so it is audited.
Run again, it changes nothing.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from thidua.accounts import services as accounts_services
from thidua.accounts.models import Role, User
from thidua.council import services as council_services
from thidua.council.models import Council, MemberRole, VotingMethod
from thidua.org.models import Agency, Person, Unit
from thidua.rounds import services as round_services
from thidua.rounds.models import Round, RoundKind
from thidua.rounds.selectors import candidates

ROUND_NAME = "Đề nghị khen thưởng cấp tỉnh năm 2025"
ROUND_TITLES = ["CSTD_TINH", "BK_TINH", "TTLDXS"]
COUNCIL_NAME = "Hội đồng Thi đua - Khen thưởng Sở Tài nguyên và Môi trường"
PASSWORD = "thidua2026"


@dataclass(frozen=True)
class CouncilSeat:
    username: str
    unit_code: str
    role: str


# Five heads of divisions sit with the director and `hoidong` (a deputy director).
SEATS = [
    CouncilSeat("hd.vanphong", "VP", MemberRole.SECRETARY),
    CouncilSeat("hd.thanhtra", "TTR", MemberRole.MEMBER),
    CouncilSeat("hd.khtc", "KHTC", MemberRole.MEMBER),
    CouncilSeat("hd.qldd", "QLDD", MemberRole.MEMBER),
    CouncilSeat("hd.vpdkdd", "VPDKDD", MemberRole.MEMBER),
]


def _seat_user(agency: Agency, seat: CouncilSeat) -> User:
    user = User.objects.filter(username=seat.username).first()
    if user is not None:
        return user
    head = (
        Person.objects.filter(agency=agency, unit__code=seat.unit_code, left_on__isnull=True)
        .exclude(pk__in=User.objects.filter(person__isnull=False).values("person_id"))
        .order_by("staff_code")
        .first()
    )
    return accounts_services.create_user(
        actor=None,
        agency=agency,
        username=seat.username,
        password=PASSWORD,
        roles=[(Role.COUNCIL, None), (Role.STAFF, None)],
        person=head,
        first_name=head.given_name if head else "",
        last_name=f"{head.family_name} {head.middle_name}".strip() if head else "",
    )


def _council(agency: Agency, officer: User) -> Council:
    council = Council.objects.filter(agency=agency, active=True).first()
    if council is not None:
        return council
    members = [
        (User.objects.get(username="giamdoc"), MemberRole.CHAIR),
        (User.objects.get(username="hoidong"), MemberRole.VICE_CHAIR),
        *[(_seat_user(agency, seat), seat.role) for seat in SEATS],
    ]
    return council_services.set_up_council(
        actor=officer,
        agency=agency,
        name=COUNCIL_NAME,
        established_by="15/QĐ-STNMT ngày 10/01/2025",
        members=members,
    )


@transaction.atomic
def seed_round(agency: Agency) -> Round | None:
    """Build the demo round of `agency` (Lạng Sơn) unless it exists; None when it did."""
    if Round.objects.filter(agency=agency, name=ROUND_NAME).exists():
        return None
    officer = User.objects.get(username="thiduakt")
    head = User.objects.get(username="truongdonvi")
    council = _council(agency, officer)
    round = round_services.create_round(
        actor=officer,
        agency=agency,
        kind=RoundKind.ANNUAL,
        year=2025,
        name=ROUND_NAME,
        titles=ROUND_TITLES,
        nominations_due=datetime.date(2026, 11, 30),
        checks_due=datetime.date(2026, 12, 5),
        council_due=datetime.date(2026, 12, 10),
        decision_due=datetime.date(2026, 12, 20),
    )
    rows = candidates(head, round)
    people = Person.objects.in_bulk([r["subject_id"] for r in rows if r["kind"] == "person"])
    units = Unit.objects.in_bulk([r["subject_id"] for r in rows if r["kind"] == "unit"])
    picks = [
        ((people if r["kind"] == "person" else units)[r["subject_id"]], r["title"]) for r in rows
    ]
    nominations = round_services.nominate_many(actor=head, round=round, subjects_titles=picks)
    for nomination in nominations:
        round_services.update_dossier(
            actor=head,
            nomination=nomination,
            achievement_report=(
                f"Báo cáo thành tích của {nomination.subject}: hoàn thành xuất sắc nhiệm vụ "
                "được giao năm 2025; đủ tiêu chuẩn theo Luật Thi đua, khen thưởng 2022."
            ),
        )
        round_services.submit(actor=head, nomination=nomination)
    # The officer has checked all but the last dossier, which waits for the demo user.
    for nomination in nominations[:-1]:
        round_services.mark_checked(actor=officer, nomination=nomination)
    held_at = timezone.make_aware(datetime.datetime(2026, 12, 8, 8, 0))
    council_services.schedule_meeting(
        actor=officer,
        council=council,
        round=round,
        held_at=held_at,
        place="Phòng họp tầng 3, Sở Tài nguyên và Môi trường",
        method=VotingMethod.ONLINE,
    )
    return round
