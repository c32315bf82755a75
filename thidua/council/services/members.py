"""Setting up the council and changing its members. Seats are deactivated, never deleted."""

from django.db import transaction
from django.utils.translation import gettext as _

from thidua.accounts.selectors import scope_for
from thidua.audit.models import AuditAction
from thidua.core.errors import BusinessRuleError
from thidua.core.text import nfc
from thidua.council import selectors
from thidua.council.models import Council, CouncilMember, MemberRole
from thidua.council.services.common import audit, require_manager


def _label(user, role: str) -> str:
    return f"{user.get_full_name() or user.get_username()} ({MemberRole(role).label})"


def _check_user(agency_id: int, user) -> None:
    if user is None or user.agency_id != agency_id or not user.is_active:
        raise BusinessRuleError(
            _("A council member must be an active user of the agency."), field="user"
        )


def _check_role(role: str) -> None:
    if role not in MemberRole.values:
        raise BusinessRuleError(_("Choose the member's role in the council."), field="role")


def _check_chair(agency_id: int, user) -> None:
    """The director chairs the council (domain.md: "the director chairs")."""
    if user.pk not in selectors.director_ids(agency_id):
        raise BusinessRuleError(
            _("%(name)s cannot chair the council: only the director of the agency chairs it.")
            % {"name": user.get_full_name() or user.get_username()},
            field="chair",
        )


def _check_no_open_ballot(council: Council) -> None:
    # The base of the vote (all members) is fixed when a ballot opens; changing the members
    # while it is open would change who may vote in the middle of it.
    if selectors.has_open_ballot(council.pk):
        raise BusinessRuleError(
            _("A ballot of this council is open: change the members after it is closed."),
            code="ballot_open",
        )


@transaction.atomic
def set_up_council(
    *, actor, agency, name: str, established_by: str = "", members: list[tuple]
) -> Council:
    """Set up the agency's council with its members [(user, role), …]. Audited.

    Exactly one chair, who holds the director role of the agency; every member is an active
    user of the agency, once. Each seat keeps the user's staff record (`user.person`), which
    tells the ballot which nominations concern the member or their unit. One council is in
    office per agency: change the members of the one in office instead of setting up another.
    """
    scope = scope_for(actor) if actor is not None else None
    if (
        scope is None
        or not actor.has_perm("council.set_up")
        or (not scope.superuser and scope.agency_id != agency.pk)
    ):
        raise BusinessRuleError(
            _("Only the commendation officer of the agency may do this."), code="forbidden"
        )
    name = nfc(name)
    if not name:
        raise BusinessRuleError(_("Enter the name of the council."), field="name")
    if selectors.active_council(agency.pk) is not None:
        raise BusinessRuleError(
            _("The agency already has a council in office: change its members instead."),
            code="exists",
        )
    seen: set[int] = set()
    chairs = 0
    for user, role in members:
        _check_user(agency.pk, user)
        _check_role(role)
        if user.pk in seen:
            raise BusinessRuleError(
                _("%(name)s is listed twice.") % {"name": user.get_full_name() or user},
                field="members",
            )
        seen.add(user.pk)
        if role == MemberRole.CHAIR:
            chairs += 1
            _check_chair(agency.pk, user)
    if chairs != 1:
        raise BusinessRuleError(
            _("The council has exactly one chair: the director of the agency."), field="chair"
        )
    council = Council.objects.create(
        agency=agency, name=name, established_by=nfc(established_by)[:200]
    )
    CouncilMember.objects.bulk_create(
        [
            CouncilMember(council=council, user=user, person_id=user.person_id, role=role)
            for user, role in members
        ]
    )
    audit(
        actor=actor,
        agency_id=agency.pk,
        obj=council,
        action=AuditAction.CREATE,
        changes={
            "name": council.name,
            "established_by": council.established_by,
            "members": [_label(user, role) for user, role in members],
        },
    )
    return council


def _lock(council: Council) -> Council:
    return Council.objects.select_for_update().get(pk=council.pk)


@transaction.atomic
def add_member(*, actor, council: Council, user, role: str) -> CouncilMember:
    """Give `user` a seat with `role`, or change the role of their seat. Audited.

    A user who left the council gets their old seat back (one seat per user and council).
    Naming a new chair (a director) replaces the current one, whose seat is closed: the
    council always has exactly one chair. Refused while a ballot of the council is open.
    """
    council = _lock(council)
    require_manager(actor, council)
    if not council.active:
        raise BusinessRuleError(_("This council is no longer in office."), code="inactive")
    _check_no_open_ballot(council)
    _check_user(council.agency_id, user)
    _check_role(role)
    if role == MemberRole.CHAIR:
        _check_chair(council.agency_id, user)
    seat = CouncilMember.objects.filter(council=council, user=user).first()
    if seat is not None and seat.active and seat.role == role:
        raise BusinessRuleError(
            _("%(name)s is already a member with this role.")
            % {"name": user.get_full_name() or user.get_username()},
            field="user",
        )
    if seat is not None and seat.role == MemberRole.CHAIR and seat.active:
        raise BusinessRuleError(
            _("The chair stays chair until a new chair is named."), field="role"
        )
    if role == MemberRole.CHAIR:
        for old in CouncilMember.objects.filter(
            council=council, role=MemberRole.CHAIR, active=True
        ):
            old.active = False
            old.save(update_fields=["active"])
            audit(
                actor=actor,
                agency_id=council.agency_id,
                obj=old,
                changes={"active": [True, False]},
                note=_("Replaced as chair"),
            )
    before = {"role": seat.role, "active": seat.active} if seat is not None else None
    if seat is None:
        seat = CouncilMember.objects.create(
            council=council, user=user, person_id=user.person_id, role=role
        )
        audit(
            actor=actor,
            agency_id=council.agency_id,
            obj=seat,
            action=AuditAction.CREATE,
            changes={"council": str(council), "member": _label(user, role)},
        )
        return seat
    seat.role, seat.active, seat.person_id = role, True, user.person_id
    seat.save(update_fields=["role", "active", "person"])
    audit(
        actor=actor,
        agency_id=council.agency_id,
        obj=seat,
        changes={
            "role": [str(MemberRole(before["role"]).label), str(MemberRole(role).label)],
            "active": [before["active"], True],
        },
    )
    return seat


@transaction.atomic
def remove_member(*, actor, member: CouncilMember) -> CouncilMember:
    """Close a member's seat (kept for the history of past ballots). Audited.

    The chair is not removed: name the new chair instead (`add_member` with CHAIR).
    """
    council = _lock(member.council)
    require_manager(actor, council)
    member = CouncilMember.objects.select_related("user").get(pk=member.pk)
    if not member.active:
        raise BusinessRuleError(_("This member has already left the council."), code="inactive")
    if member.role == MemberRole.CHAIR:
        raise BusinessRuleError(
            _("The council cannot be left without its chair: name the new chair first."),
            code="chair",
        )
    _check_no_open_ballot(council)
    member.active = False
    member.save(update_fields=["active"])
    audit(
        actor=actor,
        agency_id=council.agency_id,
        obj=member,
        changes={"active": [True, False]},
        note=_("Left the council"),
    )
    return member
