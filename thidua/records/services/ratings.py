"""Annual quality ratings (đánh giá, xếp loại chất lượng) of people and units."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from thidua.audit.services import record_create, snapshot
from thidua.core.errors import BusinessRuleError
from thidua.core.text import nfc
from thidua.org.models import Person
from thidua.records.enums import RATING_RANK, RatingLevel, SubjectKind
from thidua.records.models import Discipline, Rating
from thidua.records.services.common import (
    DECREE_90,
    RATING_AUDIT_FIELDS,
    Subject,
    audit_update,
    check_choice,
    check_subject_in_year,
    check_year,
    subject_fields,
    subject_kind,
    subject_lookup,
)


def disciplines_in_year(person: Person, year: int) -> list[Discipline]:
    return list(
        Discipline.objects.filter(person=person, decided_on__year=year).order_by("decided_on")
    )


def check_rating(
    *,
    subject: Subject,
    year: int,
    level: str,
    months_worked: int = 12,
    maternity_leave: bool = False,
    disciplines: Iterable[Discipline] | None = None,
) -> None:
    """Refuse (BusinessRuleError) a rating the law does not allow; writes nothing.

    For people, Điều 2 Nghị định 90/2020/NĐ-CP as amended by Nghị định 48/2023/NĐ-CP:
    - worked fewer than 6 months in the year → not rated, unless on maternity leave;
    - on leave 3 to under 6 months (worked more than 6 and at most 9 months) → at most HTNV;
      maternity leave is rated on the time actually worked, without that cap;
    - disciplined in the year (a decision dated in it) → KHTNV only.
    Units have no months worked nor maternity leave. `disciplines` are the person's decisions
    of the year when the caller already has them (imports); otherwise they are read here.
    """
    kind = subject_kind(subject)
    check_year(year)
    check_choice(level, RatingLevel, field="level", message=_("Choose a rating level."))
    if isinstance(months_worked, bool) or not isinstance(months_worked, int):
        raise BusinessRuleError(
            _("The months worked must be a whole number from 0 to 12."), field="months_worked"
        )
    if not 0 <= months_worked <= 12:
        raise BusinessRuleError(
            _("The months worked must be a whole number from 0 to 12."), field="months_worked"
        )
    check_subject_in_year(subject, year)
    if kind == SubjectKind.UNIT:
        if maternity_leave:
            raise BusinessRuleError(
                _("Maternity leave applies to people, not to units."), field="maternity_leave"
            )
        if months_worked != 12:
            raise BusinessRuleError(
                _("Months worked apply to people, not to units."), field="months_worked"
            )
        return
    if months_worked < 6 and not maternity_leave:
        raise BusinessRuleError(
            _(
                "%(name)s worked %(months)s months in %(year)s, fewer than 6, and was not on "
                "maternity leave: such a person is not rated that year (%(basis)s)."
            )
            % {"name": subject, "months": months_worked, "year": year, "basis": DECREE_90},
            field="months_worked",
            code="too_few_months",
        )
    if (
        not maternity_leave
        and 6 < months_worked <= 9
        and RATING_RANK[level] > RATING_RANK[RatingLevel.HTNV]
    ):
        raise BusinessRuleError(
            _(
                "%(name)s was on leave %(leave)s months in %(year)s (3 to under 6 months): the "
                "rating can be at most “Completed duties (HTNV)” (%(basis)s)."
            )
            % {"name": subject, "leave": 12 - months_worked, "year": year, "basis": DECREE_90},
            field="level",
            code="capped_by_leave",
        )
    if level != RatingLevel.KHTNV:
        if disciplines is None:
            found = disciplines_in_year(subject, year)
        else:
            found = sorted(
                (d for d in disciplines if d.decided_on.year == year), key=lambda d: d.decided_on
            )
        if found:
            first = found[0]
            raise BusinessRuleError(
                _(
                    "%(name)s was disciplined in %(year)s (%(measure)s, decision of %(date)s): "
                    "the rating can only be “Did not complete duties (KHTNV)” (%(basis)s)."
                )
                % {
                    "name": subject,
                    "year": year,
                    "measure": first.get_kind_display(),
                    "date": f"{first.decided_on:%d/%m/%Y}",
                    "basis": DECREE_90,
                },
                field="level",
                code="disciplined",
            )


@transaction.atomic
def set_rating(
    *,
    actor,
    subject: Subject,
    year: int,
    level: str,
    months_worked: int = 12,
    maternity_leave: bool = False,
    self_reliant: bool = True,
    rated_by_director: bool = False,
    note: str = "",
) -> Rating:
    """Create the year's rating of a person or a unit, or change the one recorded.

    The rules of `check_rating` apply (Nghị định 90/2020, amended by 48/2023). Side effects:
    saves the rating and writes a CREATE audit row, or an UPDATE row with before → after
    (none when nothing differs).
    """
    check_rating(
        subject=subject,
        year=year,
        level=level,
        months_worked=months_worked,
        maternity_leave=maternity_leave,
    )
    values = {
        "level": level,
        "months_worked": months_worked,
        "maternity_leave": bool(maternity_leave),
        "self_reliant": bool(self_reliant),
        "rated_by_director": bool(rated_by_director),
        "note": nfc(note)[:500],
    }
    rating = Rating.objects.select_for_update().filter(year=year, **subject_lookup(subject)).first()
    if rating is None:
        rating = Rating.objects.create(
            agency_id=subject.agency_id, year=year, **subject_fields(subject), **values
        )
        record_create(actor=actor, obj=rating, fields=RATING_AUDIT_FIELDS)
        return rating
    before = snapshot(rating, RATING_AUDIT_FIELDS)
    changed = [name for name, value in values.items() if getattr(rating, name) != value]
    if changed:
        for name in changed:
            setattr(rating, name, values[name])
        rating.save(update_fields=changed)
        audit_update(actor=actor, obj=rating, before=before, fields=RATING_AUDIT_FIELDS)
    return rating


@dataclass(frozen=True)
class RatingEntry:
    """One row of a bulk rating: what `set_rating` takes besides the actor and the year."""

    subject: Subject
    level: str
    months_worked: int = 12
    maternity_leave: bool = False
    self_reliant: bool = True
    rated_by_director: bool = False
    note: str = ""


class RatingRowsError(BusinessRuleError):
    """Some rows of a bulk rating were refused; `errors` maps each row's index to its error."""

    def __init__(self, errors: dict[int, BusinessRuleError]):
        super().__init__(
            _("%(count)s rows were refused; nothing was saved.") % {"count": len(errors)},
            code="rows_refused",
        )
        self.errors = errors


@transaction.atomic
def set_ratings(*, actor, year: int, entries: Sequence[RatingEntry]) -> list[Rating]:
    """Rate many subjects for `year` at once: all of them or none.

    Every entry goes through `set_rating` (its rules, its audit rows). If any entry is refused,
    everything is rolled back and RatingRowsError carries the error of every refused entry,
    so that each one can be shown on its row.
    """
    errors: dict[int, BusinessRuleError] = {}
    saved: list[Rating] = []
    for index, entry in enumerate(entries):
        try:
            saved.append(
                set_rating(
                    actor=actor,
                    subject=entry.subject,
                    year=year,
                    level=entry.level,
                    months_worked=entry.months_worked,
                    maternity_leave=entry.maternity_leave,
                    self_reliant=entry.self_reliant,
                    rated_by_director=entry.rated_by_director,
                    note=entry.note,
                )
            )
        except BusinessRuleError as exc:
            errors[index] = exc
    if errors:
        raise RatingRowsError(errors)
    return saved
