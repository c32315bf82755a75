"""Reads of notices (always the signed-in user's own) and of who a round's deadline concerns."""

import datetime

from django.db import connection
from django.db.models import Q, QuerySet

from thidua.accounts.models import Role, User
from thidua.council.models import CouncilMember
from thidua.notifications.models import Notification
from thidua.rounds.models import Round, RoundStatus

# Who each deadline of a round concerns (issue #4 item 7): the roles, and whether the members
# of the agency's council in office are added.
DEADLINE_ROLES: dict[str, tuple[frozenset[str], bool]] = {
    "nominations_due": (frozenset({Role.UNIT_HEAD, Role.OFFICER}), False),
    "checks_due": (frozenset({Role.OFFICER}), False),
    "council_due": (frozenset({Role.OFFICER, Role.COUNCIL}), True),
    "decision_due": (frozenset({Role.OFFICER, Role.DIRECTOR}), False),
}


def notifications_of(user) -> QuerySet[Notification]:
    """The user's own notices, newest first. Nobody sees anyone else's: others answer 404."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(user_id=user.pk).order_by("-created_at", "-pk")


# The signed-in user of a request comes with their unread count (`read_unread_count_with_user`).
_PRELOADED_UNREAD = "thidua_unread_notifications"


def read_unread_count_with_user() -> None:
    """Count the unread notices in the query that reads the signed-in user of every request:
    the menu shows the count on every page, and on PostgreSQL a round trip costs ≈ 0.1 ms."""
    from thidua.accounts.backends import read_with_user

    read_with_user(
        _PRELOADED_UNREAD,
        f"SELECT COUNT(*) FROM {Notification._meta.db_table} n"
        " WHERE n.user_id = usr.id AND n.read_at IS NULL",
    )


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    preloaded = getattr(user, _PRELOADED_UNREAD, None)
    if preloaded is not None:
        return preloaded
    # Runs on every page (the menu's count): a plain query costs 0.02 ms, the ORM's about 0.2 ms
    # (bench/README.md).
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {Notification._meta.db_table}"
            " WHERE user_id = %s AND read_at IS NULL",
            [user.pk],
        )
        return cursor.fetchone()[0]


def open_rounds_due(*, start: datetime.date, end: datetime.date) -> QuerySet[Round]:
    """Open rounds (of every agency) with at least one deadline between `start` and `end`."""
    window = Q()
    for field in DEADLINE_ROLES:
        window |= Q(**{f"{field}__gte": start, f"{field}__lte": end})
    return Round.objects.filter(window, status=RoundStatus.OPEN).order_by("agency_id", "pk")


def deadline_recipients(*, round: Round, field: str) -> list[User]:
    """The active users of the round's agency whom the deadline `field` concerns.

    Unit heads count only for a unit of the agency still in existence; council members are the
    users holding the council role and the members in office of the agency's active council.
    """
    roles, with_council = DEADLINE_ROLES[field]
    by_role = Q(roles__role__in=[r for r in roles if r != Role.UNIT_HEAD])
    if Role.UNIT_HEAD in roles:
        by_role |= Q(
            roles__role=Role.UNIT_HEAD,
            roles__unit__agency_id=round.agency_id,
            roles__unit__dissolved_on__isnull=True,
        )
    if with_council:
        seats = CouncilMember.objects.filter(
            active=True, council__active=True, council__agency_id=round.agency_id
        ).values("user_id")
        by_role |= Q(pk__in=seats)
    return list(
        User.objects.filter(by_role, agency_id=round.agency_id, is_active=True)
        .distinct()
        .order_by("pk")
    )
