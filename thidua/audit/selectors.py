import datetime
from dataclasses import dataclass
from functools import lru_cache

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
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


@lru_cache(maxsize=1024)
def _label(language: str, object_type: str, field: str) -> str:
    """The field's name as the user knows it (`language` is part of the cache key only)."""
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
    return _change_rows(entry.object_type, entry.action, entry.changes)


def _change_rows(object_type: str, action: str, changes: dict) -> list[ChangeRow]:
    language = get_language()
    rows = []
    for field, value in changes.items():
        label = _label(language, object_type, field)
        if action == AuditAction.UPDATE and isinstance(value, list) and len(value) == 2:
            rows.append(ChangeRow(label, value[0], value[1], single=False))
        else:
            rows.append(ChangeRow(label, None, value, single=True))
    return rows


def with_change_rows(entries) -> list[AuditEntry]:
    entries = list(entries)
    for entry in entries:
        entry.change_rows = change_rows(entry)
    return entries


@dataclass
class ObjectChange:
    """One entry of an object's recent changes, as the person page shows it."""

    at: datetime.datetime
    actor_name: str
    note: str
    change_rows: list[ChangeRow]


def recent_changes(user, *, object_type: str, object_id: str, limit: int) -> list[ObjectChange]:
    """The latest `limit` entries about one object, newest first, with their change rows.

    The entries of `audit_entries_visible_to(user, object_type=…, object_id=…)[:limit]`, read
    with one plain query: an officer's every visit to a person page reads them, and building the
    ORM query cost more than the read.
    """
    scope = scope_for(user)
    table = AuditEntry._meta.db_table
    where, params = "object_type = %s AND object_id = %s", [object_type, object_id]
    # The same agency condition as audit_entries_visible_to.
    if not scope.superuser:
        if scope.agency_id is None:
            where += " AND agency_id IS NULL"
        else:
            where += " AND agency_id = %s"
            params.append(scope.agency_id)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT at, actor_name, action, changes, note FROM {table} WHERE {where}"
            " ORDER BY at DESC, id DESC LIMIT %s",
            [*params, limit],
        )
        rows = cursor.fetchall()
    changes_field = AuditEntry._meta.get_field("changes")
    result = []
    for at, actor_name, action, changes, note in rows:
        if timezone.is_naive(at):  # SQLite's, as the ORM's converter does
            at = timezone.make_aware(at, connection.timezone)
        changes = changes_field.from_db_value(changes, None, connection)
        result.append(
            ObjectChange(at, actor_name, note, _change_rows(object_type, action, changes))
        )
    return result
