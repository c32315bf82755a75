"""Titles and forms received: recorded, revoked or corrected, never deleted."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from thidua.audit.services import record_create, snapshot
from thidua.core.errors import BusinessRuleError
from thidua.core.text import nfc
from thidua.records.enums import SubjectKind, TitleCode, title_allows
from thidua.records.models import Award, AwardStatus
from thidua.records.services.common import (
    AWARD_AUDIT_FIELDS,
    AWARD_CORRECTABLE,
    Subject,
    audit_update,
    check_choice,
    check_date,
    check_year,
    subject_fields,
    subject_kind,
    subject_lookup,
)


def check_award(
    *,
    subject: Subject,
    year: int,
    title: str,
    decision_number: str,
    decision_date: datetime.date | None,
    authority: str,
    replacing: Award | None = None,
) -> None:
    """Refuse (BusinessRuleError) an award that cannot be recorded; writes nothing.

    The title must suit the subject (LĐTT is for a person, TTLĐTT for a unit…); the decision
    is numbered and dated, not before the year it rewards nor in the future; the subject holds
    no other award in force with the same title for the same year (Điều 5.2.c Luật TĐKT 2022:
    one achievement is not rewarded twice). `replacing` is the award a correction replaces.
    """
    kind = subject_kind(subject)
    check_year(year)
    check_choice(title, TitleCode, field="title", message=_("Choose a title or form."))
    if not title_allows(title, kind):
        message = (
            _("%(title)s is given to units, not to a person.")
            if kind == SubjectKind.PERSON
            else _("%(title)s is given to people, not to a unit.")
        )
        raise BusinessRuleError(
            message % {"title": TitleCode(title).label}, field="title", code="wrong_subject"
        )
    if not nfc(decision_number):
        raise BusinessRuleError(
            _("The decision number is required."), field="decision_number", code="required"
        )
    if not nfc(authority):
        raise BusinessRuleError(
            _("Say who decided the award, for example Giám đốc Sở."),
            field="authority",
            code="required",
        )
    check_date(decision_date, field="decision_date")
    if decision_date.year < year:
        raise BusinessRuleError(
            _("The decision of %(date)s is dated before the year %(year)s that it rewards.")
            % {"date": f"{decision_date:%d/%m/%Y}", "year": year},
            field="decision_date",
        )
    lookup = subject_lookup(subject)
    duplicate = Award.objects.filter(year=year, title=title, status=AwardStatus.ACTIVE, **lookup)
    if replacing is not None:
        duplicate = duplicate.exclude(pk=replacing.pk)
    found = duplicate.first()
    if found is not None:
        raise duplicate_award(subject, year, title, found)


def duplicate_award(subject, year: int, title: str, found: Award | None) -> BusinessRuleError:
    """The refusal of a second award in force for the same subject, title and year
    (Điều 5.2.c Luật TĐKT 2022); `found` is the award already held, if known."""
    return BusinessRuleError(
        _(
            "%(name)s already holds %(title)s for %(year)s (decision %(number)s); correct "
            "or revoke that record instead of recording it again."
        )
        % {
            "name": subject,
            "title": TitleCode(title).label,
            "year": year,
            "number": (found.decision_number if found else "") or "—",
        },
        field="title",
        code="duplicate_award",
    )


@transaction.atomic
def record_award(
    *,
    actor,
    subject: Subject,
    year: int,
    title: str,
    decision_number: str,
    decision_date: datetime.date,
    authority: str,
) -> Award:
    """Record a title or form received, decided by this agency or by a higher authority.

    Rules: see `check_award`. Side effects: saves the award (in force) and writes a CREATE
    audit row.
    """
    check_award(
        subject=subject,
        year=year,
        title=title,
        decision_number=decision_number,
        decision_date=decision_date,
        authority=authority,
    )
    award = Award.objects.create(
        agency_id=subject.agency_id,
        year=year,
        title=title,
        decision_number=nfc(decision_number),
        decision_date=decision_date,
        authority=nfc(authority),
        **subject_fields(subject),
    )
    record_create(actor=actor, obj=award, fields=AWARD_AUDIT_FIELDS)
    return award


def _active_award_for_update(award: Award) -> Award:
    award = (
        Award.objects.select_for_update(of=("self",))
        .select_related("person", "unit")
        .get(pk=award.pk)
    )
    if award.status != AwardStatus.ACTIVE:
        raise BusinessRuleError(
            _(
                "This award is no longer in force (%(status)s): only an award in force can be "
                "revoked or corrected."
            )
            % {"status": award.get_status_display()},
            field="status",
            code="not_active",
        )
    return award


def _check_reason(reason: str) -> str:
    reason = nfc(reason)
    if not reason:
        raise BusinessRuleError(
            _("Give the reason (for example the decision that revokes or corrects it)."),
            field="reason",
            code="required",
        )
    return reason[:500]


@transaction.atomic
def revoke_award(*, actor, award: Award, reason: str) -> Award:
    """Revoke an award in force (thu hồi): it stays in the history as REVOKED with the reason.

    Side effects: saves the new status and writes an UPDATE audit row with before → after.
    """
    reason = _check_reason(reason)
    award = _active_award_for_update(award)
    before = snapshot(award, AWARD_AUDIT_FIELDS)
    award.status = AwardStatus.REVOKED
    award.status_reason = reason
    award.save(update_fields=["status", "status_reason"])
    audit_update(actor=actor, obj=award, before=before, fields=AWARD_AUDIT_FIELDS, note=reason)
    return award


@transaction.atomic
def correct_award(*, actor, award: Award, reason: str, **new_values) -> Award:
    """Correct an award in force: the old record becomes CORRECTED and points to a new one.

    `new_values` may change year, title, decision_number, decision_date and authority; what is
    not given is copied. The new record must pass `check_award`. Side effects: saves both, writes
    an UPDATE audit row for the old record and a CREATE row for the new one, both with the reason.
    """
    unknown = set(new_values) - set(AWARD_CORRECTABLE)
    if unknown:
        raise TypeError(f"unknown award fields: {sorted(unknown)}")
    reason = _check_reason(reason)
    award = _active_award_for_update(award)
    values = {name: getattr(award, name) for name in AWARD_CORRECTABLE}
    for name, value in new_values.items():
        values[name] = nfc(value) if isinstance(value, str) else value
    if all(values[name] == getattr(award, name) for name in AWARD_CORRECTABLE):
        raise BusinessRuleError(
            _("The correction changes nothing: change at least one value."), code="no_change"
        )
    check_award(subject=award.subject, replacing=award, **values)
    before = snapshot(award, AWARD_AUDIT_FIELDS)
    # The old record leaves force first: only one award per subject, year and title is in force.
    award.status = AwardStatus.CORRECTED
    award.status_reason = reason
    award.save(update_fields=["status", "status_reason"])
    new = Award.objects.create(
        agency_id=award.agency_id, person=award.person, unit=award.unit, **values
    )
    award.replaced_by = new
    award.save(update_fields=["replaced_by"])
    audit_update(actor=actor, obj=award, before=before, fields=AWARD_AUDIT_FIELDS, note=reason)
    record_create(actor=actor, obj=new, fields=AWARD_AUDIT_FIELDS, note=reason)
    return new
