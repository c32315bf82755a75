"""What a user may see: the scope computed once from their role assignments."""

from dataclasses import dataclass, field, replace

from django.db import connection
from django.db.models import Q, QuerySet

from thidua.accounts.models import (
    AGENCY_EDITOR_ROLES,
    AGENCY_WIDE_ROLES,
    Role,
    RoleAssignment,
    User,
)
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

    def sees_person(self, pk: int, agency_id: int, unit_id: int | None) -> bool:
        """Whether `people_visible_to` holds this person: the same rule, for a row already read
        (no query; a test holds the two together for every persona)."""
        if self.superuser:
            return True
        if self.agency_id is None or agency_id != self.agency_id:
            return False
        return self.agency_wide or unit_id in self.unit_ids or pk == self.own_person_id

    def people_key(self) -> tuple:
        """What decides which people `people_visible_to` returns: equal keys, equal people."""
        if self.superuser:
            return ("all",)
        if self.agency_wide:
            return ("agency", self.agency_id)
        return ("units", self.agency_id, self.unit_ids, self.own_person_id)

    def units_key(self) -> tuple:
        """What decides which units `units_visible_to` returns: equal keys, equal units."""
        if self.superuser:
            return ("all",)
        if self.agency_wide:
            return ("agency", self.agency_id)
        if self.unit_paths:
            return ("subtrees", self.agency_id, self.unit_ids)
        return ("own", self.agency_id, self.person_id)

    def unit_filter(self, prefix: str = "") -> Q:
        """A Q over units (or over `prefix`+unit) limited to the user's subtrees."""
        q = Q(pk__in=[])
        for p in self.unit_paths:
            q |= Q(**{f"{prefix}path__startswith": p})
        return q


# (role, unit path) of each of a user's role assignments, when they were read with the user
# (`accounts.backends.LoginBackend.get_user`, the signed-in user of every request): the scope
# then needs no query of its own.
PRELOADED_ASSIGNMENTS = "_thidua_assignments"
# The unit of the user's own record (None without one), read likewise.
PRELOADED_OWN_UNIT = "_thidua_own_unit"


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _compute_scope(user) -> Scope:
    """Read a user's scope from their role assignments, in one to three small queries.

    This runs on every request of a logged-in user, so it reads plain rows: the ORM would spend
    ten times longer building the queries than the database spends answering them.
    """
    units_table = Unit._meta.db_table
    assignments = getattr(user, PRELOADED_ASSIGNMENTS, None)
    if assignments is None:
        assignments = _rows(
            f"SELECT a.role, u.path FROM {RoleAssignment._meta.db_table} a"
            f" LEFT JOIN {units_table} u ON u.id = a.unit_id WHERE a.user_id = %s",
            [user.pk],
        )
    unit_paths = tuple(path for role, path in assignments if role == Role.UNIT_HEAD and path)
    scope = Scope(
        agency_id=user.agency_id,
        roles=frozenset(role for role, _path in assignments),
        unit_paths=unit_paths,
        person_id=user.person_id,
        own_person_id=user.person_id,
        superuser=user.is_superuser and user.agency_id is None,
    )
    if not unit_paths:
        return scope
    # Paths hold only digits and slashes: nothing in them needs escaping for LIKE.
    where = " OR ".join(["path LIKE %s"] * len(unit_paths))
    unit_ids = tuple(
        pk
        for (pk,) in _rows(
            f"SELECT id FROM {units_table} WHERE {where} ORDER BY id",
            [f"{path}%" for path in unit_paths],
        )
    )
    own_unit = None
    if hasattr(user, PRELOADED_OWN_UNIT):
        own_unit = getattr(user, PRELOADED_OWN_UNIT)
    elif scope.person_id:
        found = _rows(
            f"SELECT unit_id FROM {Person._meta.db_table} WHERE id = %s", [scope.person_id]
        )
        own_unit = found[0][0] if found else None
    return replace(
        scope,
        unit_ids=unit_ids,
        own_person_id=None if own_unit in unit_ids else scope.person_id,
    )


def scope_for(user) -> Scope:
    """The user's scope, cached on the user object for the request."""
    cached = getattr(user, "_thidua_scope", None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False):
        scope = Scope(agency_id=None)
    else:
        scope = _compute_scope(user)
    user._thidua_scope = scope
    return scope


def of_own_agency(user, qs: QuerySet, *, field: str = "agency_id") -> QuerySet:
    """`qs` limited to the user's agency: all of it for the installation's superuser, none of it
    for a login without an agency. The first step of every app's "visible to" selector."""
    scope = scope_for(user)
    if scope.superuser:
        return qs
    if scope.agency_id is None:
        return qs.none()
    return qs.filter(**{field: scope.agency_id})


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
    """The people `user` may open; `Scope.sees_person` is the same rule for one row."""
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
