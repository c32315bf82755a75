"""Writing the audit log. Services call `record` inside their own transaction."""

import datetime
from decimal import Decimal

from django.db import models

from thidua.audit.models import AuditAction, AuditEntry


def _plain(value: object) -> object:
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, object]:
    """The values of `fields` of `obj` as JSON-ready data (foreign keys by their text)."""
    data: dict[str, object] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.is_relation:
            data[name] = _plain(getattr(obj, name))
        elif getattr(field, "choices", None):
            data[name] = getattr(obj, f"get_{name}_display")()
        else:
            data[name] = _plain(getattr(obj, name))
    return data


def diff(before: dict[str, object], after: dict[str, object]) -> dict[str, list[object]]:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def record(
    *,
    actor,
    agency_id: int | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    changes: dict | None = None,
    note: str = "",
) -> AuditEntry:
    """Append one row to the audit log. `actor` may be None for system actions (demo seeding)."""
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:255]
    return AuditEntry.objects.create(
        agency_id=agency_id,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(actor.get_username() if getattr(actor, "pk", None) else "hệ thống"),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:255],
        changes=changes or {},
        note=note[:500],
    )


__all__ = ["AuditAction", "diff", "record", "snapshot"]


def record_create(
    *, actor, obj: models.Model, fields: list[str], note: str = "", agency_id: int | None = None
):
    """Record the creation of `obj` with the values of `fields`, in `agency_id` (default: the
    object's own agency)."""
    return record(
        actor=actor,
        agency_id=obj.agency_id if agency_id is None else agency_id,
        action=AuditAction.CREATE,
        obj=obj,
        changes=snapshot(obj, fields),
        note=note,
    )


def record_update(*, actor, obj: models.Model, before: dict, fields: list[str], note: str = ""):
    """Record what changed in `fields` of `obj` since the snapshot `before`; nothing if nothing did."""
    changes = diff(before, snapshot(obj, fields))
    if not changes and not note:
        return None
    return record(
        actor=actor,
        agency_id=getattr(obj, "agency_id", None),
        action=AuditAction.UPDATE,
        obj=obj,
        changes=changes,
        note=note,
    )


def record_many(*, actor, action: str, rows: list[tuple[models.Model, dict, str]]) -> None:
    """Append one audit row per (obj, changes, note) in one INSERT: for bulk workflow steps.

    Each row belongs to the agency of its object (`obj.agency_id`)."""
    signed_in = getattr(actor, "pk", None)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                agency_id=obj.agency_id,
                actor=actor if signed_in else None,
                actor_name=actor.get_username() if signed_in else "hệ thống",
                action=action,
                object_type=obj._meta.model_name,
                object_id=str(obj.pk),
                object_repr=str(obj)[:255],
                changes=changes,
                note=note[:500],
            )
            for obj, changes, note in rows
        ],
        batch_size=1000,
    )
