from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connection

from thidua.accounts.models import RoleAssignment
from thidua.accounts.selectors import PRELOADED_ASSIGNMENTS, PRELOADED_OWN_UNIT
from thidua.org.models import Person, Unit

# What other apps read of the signed-in user on every page, read with the user instead of by
# a query of their own: attribute name → SQL of one value over the user's row `usr`. Registered
# from an app's `ready()` through `read_with_user`.
_EXTRAS: dict[str, str] = {}


def read_with_user(attribute: str, sql: str) -> None:
    """Have `sql` (one value, over the user's row `usr`) read with the signed-in user of every
    request and set as `attribute` on it. Each spares every page a round trip to the database."""
    _EXTRAS[attribute] = sql
    _user_with_roles_sql.cache_clear()


@cache
def _user_with_roles_sql() -> str:
    """The user's row once per role assignment, with the role, its unit's path, the unit of the
    user's own record and the values other apps registered (`read_with_user`)."""
    User = get_user_model()
    quote = connection.ops.quote_name
    columns = ", ".join(f"usr.{quote(f.column)}" for f in User._meta.concrete_fields)
    extras = "".join(f", ({sql}) AS {attribute}" for attribute, sql in _EXTRAS.items())
    return (
        f"SELECT {columns}, a.role AS thidua_role, u.path AS thidua_unit_path,"
        f" (SELECT unit_id FROM {quote(Person._meta.db_table)} WHERE id = usr.person_id)"
        f" AS thidua_own_unit{extras}"
        f" FROM {quote(User._meta.db_table)} usr"
        f" LEFT JOIN {quote(RoleAssignment._meta.db_table)} a ON a.user_id = usr.id"
        f" LEFT JOIN {quote(Unit._meta.db_table)} u ON u.id = a.unit_id"
        f" WHERE usr.{quote(User._meta.pk.column)} = %s"
    )


class LoginBackend(ModelBackend):
    """Checks user name and password only. Permissions are django-rules predicates on roles
    (accounts/rules.py); Django's per-user permission tables are unused, so asking them would
    cost two queries on every page that shows a menu."""

    def get_user(self, user_id):
        """The signed-in user of every request, with their role assignments, in one raw query.

        The same row and checks as `ModelBackend.get_user`; the assignments and the unit of the
        user's own record go with the user for `accounts.selectors.scope_for`. Building the ORM query took 0.16 ms of every page, the
        raw query 0.07 ms, and on PostgreSQL each round trip saved is ≈ 0.1 ms (bench/README.md).
        """
        User = get_user_model()
        rows = list(User._default_manager.raw(_user_with_roles_sql(), [user_id]))
        if not rows:
            return None
        user = rows[0]
        assignments = [(r.thidua_role, r.thidua_unit_path) for r in rows if r.thidua_role]
        setattr(user, PRELOADED_ASSIGNMENTS, assignments)
        setattr(user, PRELOADED_OWN_UNIT, user.thidua_own_unit)
        return user if self.user_can_authenticate(user) else None

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        return set()

    def has_perm(self, user_obj, perm, obj=None):
        return False
