"""The award records of a whole decision, written, revoked or corrected in bulk.

A year-end decision holds thousands of lines. `record_award` and its siblings take 3–6
queries and a savepoint per award (≈10 s for 5,000 lines on SQLite, ≈16 s on
PostgreSQL), so a decision writes its awards here in a fixed number of queries instead. The rules
are `awards.py`'s own: `check_award` runs on the first award of every (title, kind,
year) group (title suits the subject, number, date not before the year nor in the future,
authority), and the one-award-per-subject-title-year rule (Điều 5.2.c Luật TĐKT 2022) is checked
for all of them in one query. The audit rows have the same shape as the records service's.
"""

import datetime

from django.db import IntegrityError
from django.utils.translation import gettext as _

from thidua.audit.models import AuditAction
from thidua.audit.services import diff, record_many, snapshot
from thidua.core.errors import BusinessRuleError
from thidua.core.text import nfc
from thidua.records.models import Award, AwardStatus
from thidua.records.services.awards import check_award, duplicate_award
from thidua.records.services.common import AWARD_AUDIT_FIELDS, subject_kind

BATCH = 1000


def _chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _check_no_duplicates(entries: list[tuple[object, int, str]]) -> None:
    """No subject holds an award in force with the same title and year, in the database or
    twice in `entries`: the rule of `check_award`, in one query per 1,000 subjects."""
    subjects = {}
    for subject, year, title in entries:
        key = (subject_kind(subject), subject.pk, year, title)
        if key in subjects:
            raise duplicate_award(subject, year, title, None)
        subjects[key] = subject
    for kind in ("person", "unit"):
        keys = [k for k in subjects if k[0] == kind]
        for chunk in _chunks(keys):
            found = Award.objects.filter(
                status=AwardStatus.ACTIVE,
                year__in={k[2] for k in chunk},
                title__in={k[3] for k in chunk},
                **{f"{kind}_id__in": {k[1] for k in chunk}},
            ).only("person_id", "unit_id", "year", "title", "decision_number")
            for award in found:
                key = (kind, getattr(award, f"{kind}_id"), award.year, award.title)
                if key in subjects:
                    raise duplicate_award(subjects[key], award.year, award.title, award)


def record_awards(
    *,
    actor,
    entries: list[tuple[object, int, str]],
    decision_number: str,
    decision_date: datetime.date,
    authority: str,
) -> list[Award]:
    """Record one award per (subject, year, title) of `entries`, all by the same decision.

    Same rules and audit rows as `records.services.record_award` (see the module docstring);
    returns the awards in the order of `entries`. Call inside the caller's transaction.
    """
    if not entries:
        return []
    groups = {}
    for subject, year, title in entries:
        groups.setdefault((subject_kind(subject), year, title), subject)
    for (_kind, year, title), subject in groups.items():
        check_award(
            subject=subject,
            year=year,
            title=title,
            decision_number=decision_number,
            decision_date=decision_date,
            authority=authority,
        )
    _check_no_duplicates(entries)
    number, who = nfc(decision_number), nfc(authority)
    awards = []
    for subject, year, title in entries:
        person = subject if subject_kind(subject) == "person" else None
        awards.append(
            Award(
                agency_id=subject.agency_id,
                person=person,
                unit=None if person else subject,
                year=year,
                title=title,
                decision_number=number,
                decision_date=decision_date,
                authority=who,
            )
        )
    try:
        Award.objects.bulk_create(awards, batch_size=BATCH)
    except IntegrityError:
        # Another officer recorded one of these awards between the check and the insert.
        raise BusinessRuleError(
            _("One of these awards was recorded meanwhile by someone else: try again."),
            code="duplicate_award",
        ) from None
    record_many(
        actor=actor,
        action=AuditAction.CREATE,
        rows=[(a, snapshot(a, AWARD_AUDIT_FIELDS), "") for a in awards],
    )
    return awards


def _lock_active(awards) -> list[Award]:
    ids = sorted({a.pk for a in awards if a is not None})
    locked = []
    for chunk in _chunks(ids):
        locked += list(
            Award.objects.select_for_update(of=("self",))
            .select_related("person", "unit")
            .filter(pk__in=chunk)
            .order_by("pk")
        )
    return locked


def revoke_awards(*, actor, awards, reason: str) -> list[Award]:
    """Revoke the awards still in force among `awards` (thu hồi), as
    `records.services.revoke_award` does for one: status REVOKED with the reason, an UPDATE audit
    row with before → after each. Awards already revoked or corrected are left as they are."""
    reason = nfc(reason)[:500]
    active = [a for a in _lock_active(awards) if a.status == AwardStatus.ACTIVE]
    before = {a.pk: snapshot(a, AWARD_AUDIT_FIELDS) for a in active}
    for chunk in _chunks([a.pk for a in active]):
        Award.objects.filter(pk__in=chunk).update(status=AwardStatus.REVOKED, status_reason=reason)
    for a in active:
        a.status, a.status_reason = AwardStatus.REVOKED, reason
    record_many(
        actor=actor,
        action=AuditAction.UPDATE,
        rows=[(a, diff(before[a.pk], snapshot(a, AWARD_AUDIT_FIELDS)), reason) for a in active],
    )
    return active


def correct_awards(
    *, actor, awards, reason: str, decision_number: str, decision_date: datetime.date
) -> dict[int, Award]:
    """Move awards in force to a new decision number and date, as `records.services.correct_award`
    does for one: each old record becomes CORRECTED and points to a new record in force (the
    same subject, year, title and authority). Returns old id → new award. Refused if one of them
    is no longer in force."""
    reason = nfc(reason)[:500]
    olds = _lock_active(awards)
    stale = next((a for a in olds if a.status != AwardStatus.ACTIVE), None)
    if stale is not None:
        raise BusinessRuleError(
            _("%(subject)s: the award is no longer in force (%(status)s).")
            % {"subject": stale.subject, "status": stale.get_status_display()},
            code="not_active",
        )
    first_of = {}
    for a in olds:
        first_of.setdefault((a.year, a.title, a.unit_id is None), a)
    for a in first_of.values():
        check_award(
            subject=a.subject,
            year=a.year,
            title=a.title,
            decision_number=decision_number,
            decision_date=decision_date,
            authority=a.authority,
            replacing=a,
        )
    before = {a.pk: snapshot(a, AWARD_AUDIT_FIELDS) for a in olds}
    # The old records leave force first: only one award per subject, year and title is in force.
    for chunk in _chunks([a.pk for a in olds]):
        Award.objects.filter(pk__in=chunk).update(
            status=AwardStatus.CORRECTED, status_reason=reason
        )
    news = [
        Award(
            agency_id=a.agency_id,
            person=a.person,
            unit=a.unit,
            year=a.year,
            title=a.title,
            decision_number=nfc(decision_number),
            decision_date=decision_date,
            authority=a.authority,
        )
        for a in olds
    ]
    Award.objects.bulk_create(news, batch_size=BATCH)
    for old, new in zip(olds, news, strict=True):
        old.status, old.status_reason, old.replaced_by = AwardStatus.CORRECTED, reason, new
    Award.objects.bulk_update(olds, ["replaced_by"], batch_size=BATCH)
    record_many(
        actor=actor,
        action=AuditAction.UPDATE,
        rows=[(a, diff(before[a.pk], snapshot(a, AWARD_AUDIT_FIELDS)), reason) for a in olds],
    )
    record_many(
        actor=actor,
        action=AuditAction.CREATE,
        rows=[(n, snapshot(n, AWARD_AUDIT_FIELDS), reason) for n in news],
    )
    return {old.pk: new for old, new in zip(olds, news, strict=True)}
