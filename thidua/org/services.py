"""Changes to agencies, units and people. Each function is atomic and writes its audit rows.

Unit restructuring never rewrites the past: a rename or move closes the unit's current `UnitState`
and opens a new one; a merge, split or dissolution ends the old units and the memberships in them
on the day before the event and opens new memberships in the receiving units on the event's date.
"""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.audit.models import AuditAction
from thidua.audit.services import diff, record, record_update, snapshot
from thidua.core.errors import BusinessRuleError
from thidua.core.text import fold, nfc, person_sort_key, split_full_name
from thidua.org.models import (
    Agency,
    Membership,
    Person,
    Unit,
    UnitEvent,
    UnitEventKind,
    UnitState,
)

UNIT_AUDIT_FIELDS = ["code", "name", "kind", "parent", "dissolved_on"]
PERSON_AUDIT_FIELDS = [
    "staff_code",
    "full_name",
    "gender",
    "birth_date",
    "employment_type",
    "position",
    "recruited_on",
    "left_on",
    "unit",
]
PERSON_EDITABLE_FIELDS = {
    "staff_code",
    "family_name",
    "middle_name",
    "given_name",
    "gender",
    "birth_date",
    "employment_type",
    "position",
    "recruited_on",
    "left_on",
}


def _today() -> datetime.date:
    return timezone.localdate()


# --- agencies -------------------------------------------------------------------------------


@transaction.atomic
def ensure_agency(
    *, code: str, name: str, place: str = "", symbol: str = ""
) -> tuple[Agency, bool]:
    """Create the agency `code` unless it exists; an existing agency is left unchanged."""
    code = nfc(code).upper()
    if not code:
        raise BusinessRuleError(_("The agency code is empty."), field="code")
    agency, created = Agency.objects.get_or_create(
        code=code, defaults={"name": nfc(name), "place": nfc(place), "symbol": nfc(symbol)}
    )
    if created:
        record(actor=None, agency_id=agency.pk, action=AuditAction.CREATE, obj=agency)
    return agency, created


# --- units ----------------------------------------------------------------------------------


def _check_parent(agency: Agency, parent: Unit | None, unit: Unit | None = None) -> None:
    if parent is None:
        return
    if parent.agency_id != agency.pk:
        raise BusinessRuleError(_("The parent unit belongs to another agency."), field="parent")
    if not parent.is_active:
        raise BusinessRuleError(_("The parent unit has been dissolved."), field="parent")
    if unit is not None and unit.pk and parent.path.startswith(unit.path):
        raise BusinessRuleError(
            _("A unit cannot be placed under itself or one of its sub-units."), field="parent"
        )


def _path_for(unit: Unit) -> str:
    return f"{unit.parent.path if unit.parent_id else '/'}{unit.pk}/"


@transaction.atomic
def create_unit(
    *,
    actor,
    agency: Agency,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None = None,
    established_on: datetime.date | None = None,
    sort_order: int = 0,
) -> Unit:
    code = nfc(code).upper()
    name = nfc(name)
    if not code:
        raise BusinessRuleError(_("The unit code is empty."), field="code")
    if not name:
        raise BusinessRuleError(_("The unit name is empty."), field="name")
    if Unit.objects.filter(agency=agency, code=code).exists():
        raise BusinessRuleError(
            _("The unit code %(code)s is already used in this agency.") % {"code": code},
            field="code",
        )
    _check_parent(agency, parent)
    start = established_on or _today()
    unit = Unit.objects.create(
        agency=agency,
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        established_on=start,
        sort_order=sort_order,
    )
    unit.path = _path_for(unit)
    unit.save(update_fields=["path"])
    UnitState.objects.create(unit=unit, name=name, kind=kind, parent=parent, valid_from=start)
    event = UnitEvent.objects.create(agency=agency, kind=UnitEventKind.CREATE, date=start)
    event.targets.add(unit)
    record(
        actor=actor,
        agency_id=agency.pk,
        action=AuditAction.CREATE,
        obj=unit,
        changes=snapshot(unit, UNIT_AUDIT_FIELDS),
    )
    return unit


def _new_state(unit: Unit, date: datetime.date) -> None:
    """Close the unit's open state the day before `date` and open one with its current fields."""
    current = UnitState.objects.filter(unit=unit, valid_to__isnull=True).first()
    if current is not None:
        if date <= current.valid_from:
            # A correction on the day the state began replaces that state rather than splitting it.
            current.name, current.kind, current.parent = unit.name, unit.kind, unit.parent
            current.save(update_fields=["name", "kind", "parent"])
            return
        current.valid_to = date - datetime.timedelta(days=1)
        current.save(update_fields=["valid_to"])
    UnitState.objects.create(
        unit=unit, name=unit.name, kind=unit.kind, parent=unit.parent, valid_from=date
    )


def _reparent_paths(unit: Unit, old_path: str) -> None:
    new_path = _path_for(unit)
    if new_path == old_path:
        return
    Unit.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr(F("path"), len(old_path) + 1))
    )
    unit.path = new_path


@transaction.atomic
def change_unit(
    *,
    actor,
    unit: Unit,
    date: datetime.date,
    name: str | None = None,
    kind: str | None = None,
    parent: Unit | None | bool = False,
    code: str | None = None,
    sort_order: int | None = None,
) -> Unit:
    """Rename, re-kind or move a unit from `date` on; earlier dates keep the earlier state.

    `parent=False` means "leave the parent as it is"; `parent=None` makes it a top-level unit.
    """
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if not unit.is_active:
        raise BusinessRuleError(_("This unit has been dissolved and can no longer change."))
    before = snapshot(unit, UNIT_AUDIT_FIELDS)
    events = []
    if name is not None and nfc(name) != unit.name:
        if not nfc(name):
            raise BusinessRuleError(_("The unit name is empty."), field="name")
        unit.name = nfc(name)
        events.append(UnitEventKind.RENAME)
    if kind is not None and kind != unit.kind:
        unit.kind = kind
        events.append(UnitEventKind.RENAME)
    if parent is not False and (parent.pk if parent else None) != unit.parent_id:
        _check_parent(unit.agency, parent, unit)
        unit.parent = parent
        _reparent_paths(unit, unit.path)
        events.append(UnitEventKind.MOVE)
    if code is not None and nfc(code).upper() != unit.code:
        new_code = nfc(code).upper()
        if Unit.objects.filter(agency_id=unit.agency_id, code=new_code).exists():
            raise BusinessRuleError(
                _("The unit code %(code)s is already used in this agency.") % {"code": new_code},
                field="code",
            )
        unit.code = new_code
    if sort_order is not None:
        unit.sort_order = sort_order
    unit.save()
    if events:
        _new_state(unit, date)
        for kind_ in dict.fromkeys(events):
            event = UnitEvent.objects.create(agency_id=unit.agency_id, kind=kind_, date=date)
            event.targets.add(unit)
    changes = diff(before, snapshot(unit, UNIT_AUDIT_FIELDS))
    if changes:
        record(
            actor=actor,
            agency_id=unit.agency_id,
            action=AuditAction.UPDATE,
            obj=unit,
            changes=changes,
        )
    return unit


def _end_unit(*, actor, unit: Unit, date: datetime.date) -> None:
    before = snapshot(unit, UNIT_AUDIT_FIELDS)
    unit.dissolved_on = date
    unit.save(update_fields=["dissolved_on"])
    UnitState.objects.filter(unit=unit, valid_to__isnull=True).update(
        valid_to=date - datetime.timedelta(days=1)
    )
    record_update(
        actor=actor,
        obj=unit,
        before=before,
        fields=UNIT_AUDIT_FIELDS,
    )


def _move_members(
    *, actor, people: Iterable[Person], target: Unit, date: datetime.date, note: str
) -> None:
    for person in people:
        transfer_person(actor=actor, person=person, unit=target, date=date, note=note)


def _active_children(unit: Unit) -> list[Unit]:
    return list(unit.children.filter(dissolved_on__isnull=True))


@transaction.atomic
def merge_units(
    *, actor, sources: list[Unit], target: Unit, date: datetime.date, note: str = ""
) -> UnitEvent:
    """Merge `sources` into `target` on `date` (sáp nhập).

    The sources end the day before; their people move to the target with their positions; their
    active sub-units move under the target. Past memberships stay with the source units.
    """
    if not sources:
        raise BusinessRuleError(_("Choose at least one unit to merge."), field="sources")
    if any(s.pk == target.pk for s in sources):
        raise BusinessRuleError(_("A unit cannot be merged into itself."), field="target")
    if any(s.agency_id != target.agency_id for s in sources):
        raise BusinessRuleError(_("All units must belong to the same agency."), field="sources")
    if not target.is_active or any(not s.is_active for s in sources):
        raise BusinessRuleError(_("A dissolved unit cannot take part in a merger."))
    if any(target.path.startswith(s.path) for s in sources):
        raise BusinessRuleError(
            _("A unit cannot be merged into one of its own sub-units."), field="target"
        )
    event = UnitEvent.objects.create(
        agency_id=target.agency_id, kind=UnitEventKind.MERGE, date=date, note=nfc(note)
    )
    event.targets.add(target)
    for source in sources:
        event.sources.add(source)
        for child in _active_children(source):
            change_unit(actor=actor, unit=child, date=date, parent=target)
        _move_members(
            actor=actor,
            people=Person.objects.filter(unit=source),
            target=target,
            date=date,
            note=_("Merger of %(unit)s") % {"unit": source.name},
        )
        source.refresh_from_db()
        _end_unit(actor=actor, unit=source, date=date)
    return event


@transaction.atomic
def split_unit(
    *,
    actor,
    source: Unit,
    targets: list[Unit],
    assignments: dict[int, Unit],
    date: datetime.date,
    note: str = "",
) -> UnitEvent:
    """Split `source` into `targets` on `date` (chia tách).

    Every current member must be assigned to one of the targets; nobody is left without a unit.
    """
    if len(targets) < 2:
        raise BusinessRuleError(_("A split needs at least two receiving units."), field="targets")
    target_ids = {t.pk for t in targets}
    if source.pk in target_ids:
        raise BusinessRuleError(_("The unit being split cannot receive its own people."))
    members = list(Person.objects.filter(unit=source))
    missing = [p.full_name for p in members if p.pk not in assignments]
    if missing:
        raise BusinessRuleError(
            _("Choose a receiving unit for: %(names)s.") % {"names": ", ".join(missing)},
            field="assignments",
        )
    if any(u.pk not in target_ids for u in assignments.values()):
        raise BusinessRuleError(_("People may only go to one of the receiving units."))
    if _active_children(source):
        raise BusinessRuleError(
            _("Move or merge the sub-units of %(unit)s before splitting it.")
            % {"unit": source.name}
        )
    event = UnitEvent.objects.create(
        agency_id=source.agency_id, kind=UnitEventKind.SPLIT, date=date, note=nfc(note)
    )
    event.sources.add(source)
    event.targets.add(*targets)
    for person in members:
        transfer_person(
            actor=actor,
            person=person,
            unit=assignments[person.pk],
            date=date,
            note=_("Split of %(unit)s") % {"unit": source.name},
        )
    source.refresh_from_db()
    _end_unit(actor=actor, unit=source, date=date)
    return event


@transaction.atomic
def dissolve_unit(*, actor, unit: Unit, date: datetime.date, note: str = "") -> UnitEvent:
    """Dissolve an empty unit (giải thể). People and sub-units must be moved out first."""
    if not unit.is_active:
        raise BusinessRuleError(_("This unit has already been dissolved."))
    if Person.objects.filter(unit=unit).exists():
        raise BusinessRuleError(
            _("%(unit)s still has staff: transfer them or merge the unit instead.")
            % {"unit": unit.name}
        )
    if _active_children(unit):
        raise BusinessRuleError(
            _("%(unit)s still has sub-units: move or dissolve them first.") % {"unit": unit.name}
        )
    event = UnitEvent.objects.create(
        agency_id=unit.agency_id, kind=UnitEventKind.DISSOLVE, date=date, note=nfc(note)
    )
    event.sources.add(unit)
    _end_unit(actor=actor, unit=unit, date=date)
    return event


# --- people ---------------------------------------------------------------------------------


def _fill_names(person: Person) -> None:
    person.family_name = nfc(person.family_name)
    person.middle_name = nfc(person.middle_name)
    person.given_name = nfc(person.given_name)
    person.full_name = " ".join(
        p for p in (person.family_name, person.middle_name, person.given_name) if p
    )
    person.search_text = fold(f"{person.full_name} {person.staff_code}")
    person.sort_key = person_sort_key(
        given_name=person.given_name,
        family_name=person.family_name,
        middle_name=person.middle_name,
    )


def _validate_person(person: Person) -> None:
    if not person.staff_code:
        raise BusinessRuleError(_("The staff code is empty."), field="staff_code")
    if not person.given_name:
        raise BusinessRuleError(_("The full name is empty."), field="given_name")
    duplicate = Person.objects.filter(agency_id=person.agency_id, staff_code=person.staff_code)
    if person.pk:
        duplicate = duplicate.exclude(pk=person.pk)
    if duplicate.exists():
        raise BusinessRuleError(
            _("The staff code %(code)s is already used in this agency.")
            % {"code": person.staff_code},
            field="staff_code",
        )
    today = _today()
    if person.birth_date and person.birth_date > today:
        raise BusinessRuleError(_("The birth date is in the future."), field="birth_date")
    if person.birth_date and person.recruited_on and person.recruited_on < person.birth_date:
        raise BusinessRuleError(
            _("The recruitment date is before the birth date."), field="recruited_on"
        )
    if person.left_on and person.recruited_on and person.left_on < person.recruited_on:
        raise BusinessRuleError(
            _("The leaving date is before the recruitment date."), field="left_on"
        )


@transaction.atomic
def create_person(
    *,
    actor,
    agency: Agency,
    unit: Unit | None,
    start: datetime.date | None = None,
    full_name: str | None = None,
    **fields,
) -> Person:
    """Create a person and, when a unit is given, their first membership (from `start`)."""
    unknown = set(fields) - PERSON_EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    if full_name is not None:
        fields["family_name"], fields["middle_name"], fields["given_name"] = split_full_name(
            full_name
        )
    person = Person(agency=agency, **fields)
    person.staff_code = nfc(person.staff_code).upper()
    person.position = nfc(person.position)
    _fill_names(person)
    _validate_person(person)
    if unit is not None and (unit.agency_id != agency.pk or not unit.is_active):
        raise BusinessRuleError(_("Choose an active unit of this agency."), field="unit")
    person.unit = unit
    person.save()
    if unit is not None:
        Membership.objects.create(
            person=person,
            unit=unit,
            position=person.position,
            start=start or person.recruited_on or _today(),
        )
    record(
        actor=actor,
        agency_id=agency.pk,
        action=AuditAction.CREATE,
        obj=person,
        changes=snapshot(person, PERSON_AUDIT_FIELDS),
    )
    return person


@transaction.atomic
def transfer_person(
    *,
    actor,
    person: Person,
    unit: Unit,
    date: datetime.date,
    position: str | None = None,
    note: str = "",
) -> Person:
    """Move a person to `unit` from `date`: the open membership ends the day before."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if unit.agency_id != person.agency_id or not unit.is_active:
        raise BusinessRuleError(_("Choose an active unit of this agency."), field="unit")
    before = snapshot(person, PERSON_AUDIT_FIELDS)
    current = Membership.objects.filter(person=person, end__isnull=True).first()
    new_position = nfc(position) if position is not None else person.position
    if current is not None:
        if current.unit_id == unit.pk and current.position == new_position:
            return person
        if date <= current.start:
            raise BusinessRuleError(
                _("The transfer date must be after %(date)s, when the current assignment began.")
                % {"date": current.start.strftime("%d/%m/%Y")},
                field="date",
            )
        current.end = date - datetime.timedelta(days=1)
        current.save(update_fields=["end"])
    Membership.objects.create(person=person, unit=unit, position=new_position, start=date)
    person.unit = unit
    person.position = new_position
    person.save(update_fields=["unit", "position"])
    record_update(
        actor=actor,
        obj=person,
        before=before,
        fields=PERSON_AUDIT_FIELDS,
        note=note,
    )
    return person


@transaction.atomic
def update_person(
    *,
    actor,
    person: Person,
    unit: Unit | None | bool = False,
    date: datetime.date | None = None,
    full_name: str | None = None,
    **fields,
) -> Person:
    """Change a person's details; a change of unit or position is recorded as a transfer.

    `unit=False` leaves the unit as it is.
    """
    unknown = set(fields) - PERSON_EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = snapshot(person, PERSON_AUDIT_FIELDS)
    if full_name is not None:
        fields["family_name"], fields["middle_name"], fields["given_name"] = split_full_name(
            full_name
        )
    new_position = nfc(fields.pop("position", person.position))
    for name, value in fields.items():
        setattr(person, name, nfc(value) if isinstance(value, str) else value)
    person.staff_code = person.staff_code.upper()
    _fill_names(person)
    _validate_person(person)
    person.save()
    record_update(actor=actor, obj=person, before=before, fields=PERSON_AUDIT_FIELDS)
    target_unit = person.unit if unit is False else unit
    if target_unit is not None and (
        target_unit.pk != person.unit_id or new_position != person.position
    ):
        effective = date or _today()
        current = Membership.objects.filter(person=person, end__isnull=True).first()
        # A change dated the day the open assignment began, or before an assignment that has not
        # begun yet, corrects it in place (no new period). An earlier date for an assignment
        # already under way goes to transfer_person, which refuses it: the past is not rewritten.
        if current is not None and (
            current.start == effective or (effective < current.start and current.start >= _today())
        ):
            before_t = snapshot(person, PERSON_AUDIT_FIELDS)
            current.unit, current.position = target_unit, new_position
            current.save(update_fields=["unit", "position"])
            person.unit, person.position = target_unit, new_position
            person.save(update_fields=["unit", "position"])
            record_update(
                actor=actor,
                obj=person,
                before=before_t,
                fields=PERSON_AUDIT_FIELDS,
            )
        else:
            person = transfer_person(
                actor=actor, person=person, unit=target_unit, date=effective, position=new_position
            )
    elif target_unit is None and new_position != person.position:
        before_p = snapshot(person, PERSON_AUDIT_FIELDS)
        person.position = new_position
        person.save(update_fields=["position"])
        record_update(
            actor=actor,
            obj=person,
            before=before_p,
            fields=PERSON_AUDIT_FIELDS,
        )
    return person
