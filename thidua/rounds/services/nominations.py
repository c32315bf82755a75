"""Nominating subjects in a round: one at a time, or many eligible ones at once."""

from django.db import transaction
from django.utils.translation import gettext as _

from thidua.audit.services import record_create
from thidua.core.errors import BusinessRuleError
from thidua.eligibility.selectors import agency_settings
from thidua.records.enums import SubjectKind, TitleCode, title_allows
from thidua.rounds.models import (
    ENDED_BADLY,
    Nomination,
    NominationState,
    NominationStep,
    Round,
    RoundStatus,
    search_key,
)
from thidua.rounds.services.assessment import assess
from thidua.rounds.services.common import (
    NOMINATION_AUDIT_FIELDS,
    ensure,
    ensure_agency,
    kind_of,
    text,
)


def _check_item(actor, round: Round, subject, title: str) -> None:
    kind = kind_of(subject)
    if subject.agency_id != round.agency_id:
        raise BusinessRuleError(
            _("%(subject)s belongs to another agency.") % {"subject": subject},
            field="subject",
            code="forbidden",
        )
    ensure(
        actor,
        "rounds.nominate_subject",
        subject,
        _("%(subject)s is not in the units you head: you cannot nominate them.")
        % {"subject": subject},
        field="subject",
    )
    if title not in TitleCode.values or title not in round.titles:
        raise BusinessRuleError(
            _("Choose one of the titles and forms of this round."), field="title", code="title"
        )
    if not title_allows(title, kind):
        message = (
            _("%(title)s is given to units, not to a person.")
            if kind == SubjectKind.PERSON
            else _("%(title)s is given to people, not to a unit.")
        )
        raise BusinessRuleError(
            message % {"title": TitleCode(title).label}, field="title", code="wrong_subject"
        )
    if kind == SubjectKind.PERSON and subject.unit_id is None:
        raise BusinessRuleError(
            _("%(subject)s belongs to no unit: record their unit first.") % {"subject": subject},
            field="subject",
        )
    if kind == SubjectKind.UNIT and subject.dissolved_on is not None:
        raise BusinessRuleError(
            _("%(subject)s was dissolved.") % {"subject": subject}, field="subject"
        )


def _already(round: Round, items: list[tuple[object, str]]) -> set[tuple[str, int, str]]:
    """The (kind, id, title) of the items that already have a live nomination in the round."""
    person_ids = [s.pk for s, _t in items if kind_of(s) == SubjectKind.PERSON]
    unit_ids = [s.pk for s, _t in items if kind_of(s) == SubjectKind.UNIT]
    live = Nomination.objects.filter(round=round).exclude(state__in=ENDED_BADLY)
    found = set()
    for person_id, title in live.filter(person_id__in=person_ids).values_list("person_id", "title"):
        found.add((SubjectKind.PERSON, person_id, title))
    for unit_id, title in live.filter(unit_id__in=unit_ids).values_list("unit_id", "title"):
        found.add((SubjectKind.UNIT, unit_id, title))
    return found


def _nominate(*, actor, round: Round, items: list[tuple[object, str]], reports: list[str]):
    round = Round.objects.select_for_update(of=("self",)).select_related("agency").get(pk=round.pk)
    ensure(actor, "rounds.nominate", round, _("Only unit heads and the officer nominate."))
    ensure_agency(actor, round.agency_id)
    if round.status != RoundStatus.OPEN:
        raise BusinessRuleError(
            _("The round is closed: no more nominations."), field="round", code="closed"
        )
    if not items:
        raise BusinessRuleError(
            _("Tick at least one person or unit to nominate."), field="subjects", code="required"
        )
    seen = set()
    taken = _already(round, items)
    for subject, title in items:
        _check_item(actor, round, subject, title)
        key = (kind_of(subject), subject.pk, title)
        if key in seen or key in taken:
            raise BusinessRuleError(
                _("%(subject)s is already nominated for %(title)s in this round.")
                % {"subject": subject, "title": TitleCode(title).label},
                field="subject",
                code="duplicate",
            )
        seen.add(key)
    assessments = assess(round=round, items=items, settings=agency_settings(round.agency_id))
    created = []
    who = actor if getattr(actor, "pk", None) else None
    for (subject, title), report, result in zip(items, reports, assessments, strict=True):
        is_person = result.kind == SubjectKind.PERSON
        nomination = Nomination.objects.create(
            round=round,
            agency_id=round.agency_id,
            person=subject if is_person else None,
            unit=None if is_person else subject,
            nominating_unit_id=subject.unit_id if is_person else subject.pk,
            search_text=search_key(subject),
            sort_key=bytes(subject.sort_key) if is_person else b"",
            title=title,
            achievement_report=text(report),
            eligible=result.eligible,
            eligibility=result.conditions,
            warnings=result.warnings,
            created_by=who,
        )
        NominationStep.objects.create(
            nomination=nomination, from_state="", to_state=NominationState.DRAFT, actor=who
        )
        record_create(
            actor=actor,
            obj=nomination,
            fields=NOMINATION_AUDIT_FIELDS + ["eligible"],
            agency_id=round.agency_id,
            note="; ".join(w["message"] for w in result.warnings),
        )
        created.append(nomination)
    return created


@transaction.atomic
def nominate(
    *, actor, round: Round, subject, title: str, achievement_report: str = ""
) -> Nomination:
    """Nominate one person or unit for one of the round's titles; the dossier starts as a draft.

    A unit head nominates only people and units of the subtree they head; the officer and the
    administrator anyone of the agency. The nominating unit is the person's unit (or the unit
    itself). The engine's verdict is stored with the dossier; an ineligible subject or a broken
    quota is refused or warned as the agency sets (see `assessment`).
    """
    return _nominate(
        actor=actor, round=round, items=[(subject, title)], reports=[achievement_report]
    )[0]


@transaction.atomic
def nominate_many(*, actor, round: Round, subjects_titles) -> list[Nomination]:
    """Nominate several (subject, title) pairs at once, all or nothing: the first pair refused
    refuses the whole list, naming the subject."""
    items = [(subject, str(title)) for subject, title in subjects_titles]
    return _nominate(actor=actor, round=round, items=items, reports=[""] * len(items))
