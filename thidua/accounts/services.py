"""Users and roles. Every change is written to the audit log."""

from django.db import transaction
from django.utils.translation import gettext as _

from thidua.accounts.models import Role, RoleAssignment, User
from thidua.audit.models import AuditAction
from thidua.audit.services import diff, record
from thidua.core.errors import BusinessRuleError
from thidua.core.text import nfc


def _user_facts(user: User) -> dict[str, object]:
    return {
        "username": user.username,
        "full_name": user.get_full_name(),
        "is_active": user.is_active,
        "person": str(user.person) if user.person_id else None,
        "roles": sorted(str(a) for a in user.roles.select_related("unit")),
    }


def _check_roles(agency_id: int, roles: list[tuple[str, object]]) -> None:
    for role, unit in roles:
        if role not in Role.values:
            raise BusinessRuleError(_("Unknown role %(role)s.") % {"role": role}, field="roles")
        if role == Role.UNIT_HEAD and unit is None:
            raise BusinessRuleError(_("A unit head must be given a unit."), field="roles")
        if unit is not None and unit.agency_id != agency_id:
            raise BusinessRuleError(_("The unit belongs to another agency."), field="roles")


@transaction.atomic
def create_user(
    *,
    actor,
    agency,
    username: str,
    password: str,
    roles: list[tuple[str, object]],
    person=None,
    first_name: str = "",
    last_name: str = "",
) -> User:
    username = nfc(username).lower()
    if not username:
        raise BusinessRuleError(_("The user name is empty."), field="username")
    if User.objects.filter(username=username).exists():
        raise BusinessRuleError(
            _("The user name %(name)s is already taken.") % {"name": username}, field="username"
        )
    _check_roles(agency.pk, roles)
    if person is not None and person.agency_id != agency.pk:
        raise BusinessRuleError(_("The person belongs to another agency."), field="person")
    user = User(
        username=username,
        agency=agency,
        person=person,
        first_name=nfc(first_name),
        last_name=nfc(last_name),
    )
    user.set_password(password)
    user.save()
    for role, unit in roles:
        RoleAssignment.objects.create(user=user, role=role, unit=unit)
    record(
        actor=actor,
        agency_id=agency.pk,
        action=AuditAction.CREATE,
        obj=user,
        changes=_user_facts(user),
    )
    return user


@transaction.atomic
def update_user(
    *,
    actor,
    user: User,
    roles: list[tuple[str, object]] | None = None,
    is_active: bool | None = None,
    password: str | None = None,
) -> User:
    """Change a user's roles, active flag or password (the password itself is never logged)."""
    before = _user_facts(user)
    if roles is not None:
        _check_roles(user.agency_id, roles)
        user.roles.all().delete()
        for role, unit in roles:
            RoleAssignment.objects.create(user=user, role=role, unit=unit)
    if is_active is not None:
        user.is_active = is_active
    if password:
        user.set_password(password)
    user.save()
    changes = diff(before, _user_facts(user))
    if password:
        changes["password"] = ["***", "***"]
    if changes:
        record(
            actor=actor,
            agency_id=user.agency_id,
            action=AuditAction.UPDATE,
            obj=user,
            changes=changes,
        )
    return user
