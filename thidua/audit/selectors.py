from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from thidua.accounts.selectors import scope_for
from thidua.audit.models import AuditAction, AuditEntry

# object_type (model_name) → model, to show field names as the user knows them.
MODELS = {
    "person": "org.Person",
    "unit": "org.Unit",
    "agency": "org.Agency",
    "user": "accounts.User",
    "importbatch": "imports.ImportBatch",
}
EXTRA_LABELS = {"roles": "Roles", "password": "Password", "person": "Person"}


def audit_entries_visible_to(user, *, object_type: str = "", object_id: str = "") -> QuerySet:
    scope = scope_for(user)
    qs = AuditEntry.objects.all()
    if not scope.superuser:
        qs = qs.filter(agency_id=scope.agency_id)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    return qs.order_by("-at", "-id")


@dataclass
class ChangeRow:
    label: str
    before: object
    after: object
    single: bool


def _label(object_type: str, field: str) -> str:
    model_path = MODELS.get(object_type)
    if model_path:
        try:
            model = apps.get_model(model_path)
            return str(model._meta.get_field(field).verbose_name)
        except (LookupError, FieldDoesNotExist):
            pass
    return _(EXTRA_LABELS.get(field, field))


def change_rows(entry: AuditEntry) -> list[ChangeRow]:
    """The entry's changes as labelled rows: before → after for updates, a value otherwise."""
    rows = []
    for field, value in entry.changes.items():
        label = _label(entry.object_type, field)
        if entry.action == AuditAction.UPDATE and isinstance(value, list) and len(value) == 2:
            rows.append(ChangeRow(label, value[0], value[1], single=False))
        else:
            rows.append(ChangeRow(label, None, value, single=True))
    return rows


def with_change_rows(entries) -> list[AuditEntry]:
    entries = list(entries)
    for entry in entries:
        entry.change_rows = change_rows(entry)
    return entries
