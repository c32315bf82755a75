"""Initiatives and research topics of people; achievements confirmed by the officer."""

from django.db import transaction
from django.utils.translation import gettext as _

from thidua.audit.services import record_create, snapshot
from thidua.core.errors import BusinessRuleError
from thidua.core.text import nfc
from thidua.org.models import Person
from thidua.records.enums import InitiativeKind, InitiativeScope, SubjectKind
from thidua.records.models import Achievement, Initiative
from thidua.records.services.common import (
    ACHIEVEMENT_AUDIT_FIELDS,
    INITIATIVE_AUDIT_FIELDS,
    Subject,
    audit_update,
    check_choice,
    check_year,
    subject_fields,
    subject_kind,
    subject_lookup,
)

# --- initiatives ------------------------------------------------------------------------------


def check_initiative(
    *, person: Person, year: int, name: str, scope: str, kind: str, exclude: int | None = None
) -> None:
    """Refuse (BusinessRuleError) an initiative that cannot be recorded; writes nothing."""
    if subject_kind(person) != SubjectKind.PERSON:
        raise BusinessRuleError(_("Initiatives are recorded for people."), field="person")
    check_year(year)
    if not nfc(name):
        raise BusinessRuleError(
            _("The name of the initiative is required."), field="name", code="required"
        )
    check_choice(scope, InitiativeScope, field="scope", message=_("Choose the scope."))
    check_choice(kind, InitiativeKind, field="kind", message=_("Choose initiative or topic."))
    duplicate = Initiative.objects.filter(person=person, year=year, name=nfc(name))
    if exclude is not None:
        duplicate = duplicate.exclude(pk=exclude)
    if duplicate.exists():
        raise BusinessRuleError(
            _("%(person)s already has the initiative “%(name)s” in %(year)s.")
            % {"person": person, "name": nfc(name), "year": year},
            field="name",
            code="duplicate",
        )


@transaction.atomic
def add_initiative(
    *, actor, person: Person, year: int, name: str, scope: str, kind: str = InitiativeKind.SANG_KIEN
) -> Initiative:
    """Record an initiative recognised, or a research topic accepted, for a person in `year`.

    Side effects: saves it and writes a CREATE audit row.
    """
    check_initiative(person=person, year=year, name=name, scope=scope, kind=kind)
    initiative = Initiative.objects.create(
        agency_id=person.agency_id, person=person, year=year, name=nfc(name), scope=scope, kind=kind
    )
    record_create(actor=actor, obj=initiative, fields=INITIATIVE_AUDIT_FIELDS)
    return initiative


@transaction.atomic
def update_initiative(
    *, actor, initiative: Initiative, scope: str | None = None, kind: str | None = None
) -> Initiative:
    """Change the scope or kind of a recorded initiative. Side effect: an UPDATE audit row."""
    initiative = (
        Initiative.objects.select_for_update(of=("self",))
        .select_related("person")
        .get(pk=initiative.pk)
    )
    scope = initiative.scope if scope is None else scope
    kind = initiative.kind if kind is None else kind
    check_initiative(
        person=initiative.person,
        year=initiative.year,
        name=initiative.name,
        scope=scope,
        kind=kind,
        exclude=initiative.pk,
    )
    before = snapshot(initiative, INITIATIVE_AUDIT_FIELDS)
    initiative.scope, initiative.kind = scope, kind
    initiative.save(update_fields=["scope", "kind"])
    audit_update(actor=actor, obj=initiative, before=before, fields=INITIATIVE_AUDIT_FIELDS)
    return initiative


# --- achievements -----------------------------------------------------------


@transaction.atomic
def add_achievement(
    *, actor, subject: Subject, year: int, kind: str, description: str
) -> Achievement:
    """Record an achievement the officer confirmed (Điều 74, 75 Luật TĐKT 2022).

    Side effects: saves it and writes a CREATE audit row.
    """
    subject_kind(subject)
    check_year(year)
    check_choice(kind, Achievement.Kind, field="kind", message=_("Choose the kind of achievement."))
    description = nfc(description)
    if not description:
        raise BusinessRuleError(
            _("Describe the achievement."), field="description", code="required"
        )
    lookup = subject_lookup(subject)
    if Achievement.objects.filter(year=year, kind=kind, description=description, **lookup).exists():
        raise BusinessRuleError(
            _("This achievement is already recorded for %(year)s.") % {"year": year},
            field="description",
            code="duplicate",
        )
    achievement = Achievement.objects.create(
        agency_id=subject.agency_id,
        year=year,
        kind=kind,
        description=description[:500],
        **subject_fields(subject),
    )
    record_create(actor=actor, obj=achievement, fields=ACHIEVEMENT_AUDIT_FIELDS)
    return achievement
