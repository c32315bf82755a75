"""What a user may see: the scope computed once from their role assignments."""

from dataclasses import dataclass, field, replace

from django.db.models import Q, QuerySet

from thidua.accounts.models import AGENCY_EDITOR_ROLES, AGENCY_WIDE_ROLES, Role, User
from thidua.org.models import Person, Unit


@dataclass(frozen=True)
class Scope:
    """A user's reach inside their agency.

    `unit_paths` are the tree paths of the units the user heads; each covers its sub-units.
    """

    agency_id: int | None
    roles: frozenset[str] = frozenset()
    unit_paths: tuple[str, ...] = ()
    # Every unit in those subtrees: people are then filtered on their indexed `unit_id`.
    unit_ids: tuple[int, ...] = ()
    # The user's own record, when it is not already in `unit_ids`.
    own_person_id: int | None = None
    person_id: int | None = None
    superuser: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def agency_wide(self) -> bool:
        return self.superuser or bool(self.roles & AGENCY_WIDE_ROLES)

    @property
    def agency_editor(self) -> bool:
        return self.superuser or bool(self.roles & AGENCY_EDITOR_ROLES)

    def has(self, role: str) -> bool:
        return role in self.roles

    def covers_path(self, path: str) -> bool:
        return any(path.startswith(p) for p in self.unit_paths)

    def unit_filter(self, prefix: str = "") -> Q:
        """A Q over units (or over `prefix`+unit) limited to the user's subtrees."""
        q = Q(pk__in=[])
        for p in self.unit_paths:
            q |= Q(**{f"{prefix}path__startswith": p})
        return q


def scope_for(user) -> Scope:
    """The user's scope, cached on the user object for the request."""
    cached = getattr(user, "_thidua_scope", None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False):
        scope = Scope(agency_id=None)
    else:
        assignments = list(user.roles.select_related("unit"))
        scope = Scope(
            agency_id=user.agency_id,
            roles=frozenset(a.role for a in assignments),
            unit_paths=tuple(
                a.unit.path for a in assignments if a.role == Role.UNIT_HEAD and a.unit
            ),
            person_id=user.person_id,
            superuser=user.is_superuser and user.agency_id is None,
        )
        scope = replace(scope, own_person_id=scope.person_id)
        if scope.unit_paths:
            unit_ids = tuple(
                Unit.objects.filter(scope.unit_filter()).order_by("pk").values_list("pk", flat=True)
            )
            own_unit = (
                Person.objects.filter(pk=scope.person_id).values_list("unit_id", flat=True).first()
                if scope.person_id
                else None
            )
            scope = replace(
                scope,
                unit_ids=unit_ids,
                own_person_id=None if own_unit in unit_ids else scope.person_id,
            )
    user._thidua_scope = scope
    return scope


def units_visible_to(user) -> QuerySet[Unit]:
    scope = scope_for(user)
    qs = Unit.objects.all()
    if scope.superuser:
        return qs
    if scope.agency_id is None:
        return qs.none()
    qs = qs.filter(agency_id=scope.agency_id)
    if scope.agency_wide:
        return qs
    if scope.unit_paths:
        return qs.filter(scope.unit_filter())
    if scope.person_id:
        # Staff see the unit they belong to, read-only.
        return qs.filter(current_people__id=scope.person_id)
    return qs.none()


def people_visible_to(user) -> QuerySet[Person]:
    scope = scope_for(user)
    qs = Person.objects.all()
    if scope.superuser:
        return qs
    if scope.agency_id is None:
        return qs.none()
    qs = qs.filter(agency_id=scope.agency_id)
    if scope.agency_wide:
        return qs
    q = Q(pk__in=[])
    if scope.unit_ids:
        q |= Q(unit_id__in=scope.unit_ids)
    if scope.own_person_id:
        q |= Q(pk=scope.own_person_id)
    return qs.filter(q)


@dataclass(frozen=True)
class HomeSummary:
    agency_name: str
    role_labels: list[str]
    unit_count: int
    people_count: int
    headed_units: list[Unit]


def home_summary(user) -> HomeSummary:
    """What the home page shows: the user's roles and the size of what they can see."""
    scope = scope_for(user)
    headed = list(
        Unit.objects.filter(role_assignments__user=user, role_assignments__role=Role.UNIT_HEAD)
    )
    return HomeSummary(
        agency_name=user.agency.name if user.agency_id else "",
        role_labels=[Role(r).label for r in sorted(scope.roles)],
        unit_count=units_visible_to(user).filter(dissolved_on__isnull=True).count(),
        people_count=people_visible_to(user).filter(left_on__isnull=True).count(),
        headed_units=headed,
    )


def users_visible_to(user) -> QuerySet[User]:
    scope = scope_for(user)
    if scope.superuser:
        return User.objects.all()
    if scope.agency_id is None:
        return User.objects.none()
    return User.objects.filter(agency_id=scope.agency_id)
