"""The permission matrix's vocabulary, shared by every app's rows (see accounts/tests).

Each app that adds pages lists its rows in `<app>/tests/matrix.py` as `ROWS`, in the same shape
as `TABLE` of `thidua/accounts/tests/test_permissions.py`, which runs them all.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from thidua.audit.models import AuditEntry

PERSONAS = ("anon", "admin", "officer", "director", "council", "head", "staff", "norole", "other")
GET, POST, PATCH = "GET", "POST", "PATCH"


def audit_count(w) -> int:
    return AuditEntry.objects.count()


@dataclass(frozen=True)
class Target:
    """A URL of the table. `obj` names the World attribute (or builder) whose key fills the URL."""

    name: str
    obj: str | Callable[..., object] | None = None
    key: str = "pk"
    args: tuple = ()
    data: Callable[..., dict] | None = None
    effect: Callable[..., object] = audit_count
    label: str = ""
    query: str = ""

    def resolve(self, w) -> tuple[str, object]:
        obj = None
        if callable(self.obj):
            obj = self.obj(w)
        elif self.obj:
            obj = w.users[self.obj[5:]] if self.obj.startswith("user:") else getattr(w, self.obj)
        args = [getattr(obj, self.key)] if obj is not None else list(self.args)
        return reverse(self.name, args=args) + self.query, obj

    def __str__(self) -> str:
        return self.label or (
            f"{self.name}[{self.obj}]" if isinstance(self.obj, str) else self.name
        )
