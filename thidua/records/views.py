"""Pages that enter the yearly records. Each view: scope → permission → form → one service.

Objects outside the user's scope answer 404 (`get_scoped_or_404`), actions the user may not take
answer 403 (`require` with a django-rules permission). The records are shown on the person and
unit pages (template tags in `templatetags/records_tags.py`).
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from thidua.accounts.selectors import people_visible_to, scope_for, units_visible_to
from thidua.core.errors import BusinessRuleError
from thidua.core.forms import add_rule_error
from thidua.core.shortcuts import get_scoped_or_404, require
from thidua.records import selectors, services
from thidua.records.enums import RatingLevel, SubjectKind
from thidua.records.forms import (
    AchievementForm,
    AwardCorrectForm,
    AwardForm,
    AwardRevokeForm,
    DisciplineForm,
    InitiativeForm,
    RatingForm,
    RatingRowForm,
    YearChoiceForm,
)

FORM_TEMPLATE = "org/form.html"


def _subject(request, kind: str, pk: int):
    """The person or unit of the URL, within the user's scope (404 otherwise)."""
    if kind == SubjectKind.PERSON:
        return get_scoped_or_404(
            people_visible_to(request.user).select_related("unit", "agency"), pk=pk
        )
    return get_scoped_or_404(units_visible_to(request.user), pk=pk)


def _back(subject) -> str:
    return f"{subject.get_absolute_url()}#records"


def _year_param(data) -> int | None:
    try:
        return int(data.get("year", ""))
    except ValueError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def rating_edit(request, pk: int, kind: str):
    """Enter or change one year's rating; ?year=Y opens that year's rating when it exists."""
    subject = _subject(request, kind, pk)
    require(request.user, "records.rate", subject)
    director_field = scope_for(request.user).agency_editor
    year = _year_param(request.GET) or timezone.localdate().year
    existing = selectors.rating_of(subject, year)
    initial = {"year": year}
    if existing is not None:
        initial.update(
            level=existing.level,
            months_worked=existing.months_worked,
            maternity_leave=existing.maternity_leave,
            self_reliant=existing.self_reliant,
            rated_by_director=existing.rated_by_director,
            note=existing.note,
        )
    form = RatingForm(
        request.POST or None, initial=initial, kind=kind, director_field=director_field
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kept = selectors.rating_of(subject, data["year"])
        try:
            services.set_rating(
                actor=request.user,
                subject=subject,
                year=data["year"],
                level=data["level"],
                months_worked=data.get("months_worked", 12),
                maternity_leave=data.get("maternity_leave", False),
                self_reliant=data.get("self_reliant", True),
                # Only editors decide this; a unit head's entry keeps what was recorded.
                rated_by_director=data.get(
                    "rated_by_director", kept.rated_by_director if kept else False
                ),
                note=data["note"],
            )
        except BusinessRuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("The rating was saved."))
            return redirect(_back(subject))
    title = _("Rating of %(name)s") % {"name": subject}
    return render(request, FORM_TEMPLATE, {"form": form, "title": title, "back": subject})


@login_required
@require_http_methods(["GET", "POST"])
def award_create(request, pk: int, kind: str):
    subject = _subject(request, kind, pk)
    require(request.user, "records.record_award", subject)
    form = AwardForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_award(actor=request.user, subject=subject, **form.cleaned_data)
        except BusinessRuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("The award was recorded."))
            return redirect(_back(subject))
    title = _("Record a title or award of %(name)s") % {"name": subject}
    return render(request, FORM_TEMPLATE, {"form": form, "title": title, "back": subject})


def _scoped_award(request, pk: int):
    award = get_scoped_or_404(selectors.awards_visible_to(request.user), pk=pk)
    require(request.user, "records.change_award", award)
    return award


def _award_label(award) -> str:
    # str(award) ("Nguyễn Văn Á 2024: LDTT") names the record as the audit log does.
    return _("%(award)s — %(title)s, decision %(number)s") % {
        "award": award,
        "title": award.get_title_display(),
        "number": award.decision_number or "—",
    }


@login_required
@require_http_methods(["GET", "POST"])
def award_revoke(request, pk: int):
    award = _scoped_award(request, pk)
    form = AwardRevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_award(
                actor=request.user, award=award, reason=form.cleaned_data["reason"]
            )
        except BusinessRuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("The award was revoked; it stays in the history."))
            return redirect(_back(award.subject))
    title = _("Revoke: %(award)s") % {"award": _award_label(award)}
    return render(request, FORM_TEMPLATE, {"form": form, "title": title, "back": award.subject})


@login_required
@require_http_methods(["GET", "POST"])
def award_correct(request, pk: int):
    award = _scoped_award(request, pk)
    kind = services.subject_kind(award.subject)
    initial = {name: getattr(award, name) for name in services.AWARD_CORRECTABLE}
    form = AwardCorrectForm(request.POST or None, initial=initial, kind=kind)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            services.correct_award(actor=request.user, award=award, reason=reason, **data)
        except BusinessRuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(
                request, _("The correction was recorded; the old record stays in the history.")
            )
            return redirect(_back(award.subject))
    title = _("Correct: %(award)s") % {"award": _award_label(award)}
    return render(request, FORM_TEMPLATE, {"form": form, "title": title, "back": award.subject})


def _record_form(request, *, subject, form, save, done: str, title: str):
    """A form that adds one record to `subject` through `save(**cleaned_data)`, then goes back."""
    if request.method == "POST" and form.is_valid():
        try:
            save(**form.cleaned_data)
        except BusinessRuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, done)
            return redirect(_back(subject))
    return render(request, FORM_TEMPLATE, {"form": form, "title": title, "back": subject})


@login_required
@require_http_methods(["GET", "POST"])
def initiative_create(request, pk: int):
    person = _subject(request, SubjectKind.PERSON, pk)
    require(request.user, "records.add_initiative", person)
    return _record_form(
        request,
        subject=person,
        form=InitiativeForm(request.POST or None),
        save=partial(services.add_initiative, actor=request.user, person=person),
        done=_("The initiative was recorded."),
        title=_("Record an initiative of %(name)s") % {"name": person},
    )


@login_required
@require_http_methods(["GET", "POST"])
def discipline_create(request, pk: int):
    person = _subject(request, SubjectKind.PERSON, pk)
    require(request.user, "records.add_discipline", person)
    form = DisciplineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decided_on = form.cleaned_data["decided_on"]
        lowered = selectors.rating_of(person, decided_on.year)
        try:
            services.add_discipline(actor=request.user, person=person, **form.cleaned_data)
        except BusinessRuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("The disciplinary decision was recorded."))
            if lowered is not None and lowered.level != RatingLevel.KHTNV:
                messages.warning(
                    request,
                    _("The rating of %(year)s was lowered to KHTNV (%(basis)s).")
                    % {"year": decided_on.year, "basis": services.DECREE_90},
                )
            return redirect(_back(person))
    title = _("Record a disciplinary decision against %(name)s") % {"name": person}
    return render(request, FORM_TEMPLATE, {"form": form, "title": title, "back": person})


@login_required
@require_http_methods(["GET", "POST"])
def achievement_create(request, pk: int, kind: str):
    subject = _subject(request, kind, pk)
    require(request.user, "records.add_achievement", subject)
    return _record_form(
        request,
        subject=subject,
        form=AchievementForm(request.POST or None),
        save=partial(services.add_achievement, actor=request.user, subject=subject),
        done=_("The achievement was recorded."),
        title=_("Record a confirmed achievement of %(name)s") % {"name": subject},
    )


def _or_12(months: int | None) -> int:
    """An empty "months worked" cell means the whole year."""
    return 12 if months is None else months


def _row_initial(row: selectors.RatingRow) -> dict:
    if row.rating is None:
        return {}
    r = row.rating
    return {
        "level": r.level,
        "months_worked": r.months_worked,
        "maternity_leave": r.maternity_leave,
        "self_reliant": r.self_reliant,
        "note": r.note,
    }


@login_required
@require_http_methods(["GET", "POST"])
def unit_ratings(request, pk: int):
    """The ratings of a unit's staff for one year, one row per person; saved all or nothing."""
    unit = get_scoped_or_404(units_visible_to(request.user), pk=pk)
    require(request.user, "records.rate_unit_staff", unit)
    year_form = YearChoiceForm(request.POST if request.method == "POST" else request.GET)
    year = year_form.cleaned_data["year"] if year_form.is_valid() else timezone.localdate().year
    if not year_form.is_bound or not year_form.is_valid():
        year_form = YearChoiceForm(initial={"year": year})
    rows = selectors.people_to_rate(request.user, unit, year)
    data = request.POST if request.method == "POST" else None
    forms = [
        RatingRowForm(
            data,
            prefix=f"p{row.person.pk}",
            initial=_row_initial(row),
            person_name=row.person.full_name,
        )
        for row in rows
    ]
    refused = 0
    if request.method == "POST" and all([f.is_valid() for f in forms]):
        chosen = [(f, row) for f, row in zip(forms, rows, strict=True) if f.cleaned_data["level"]]
        entries = [
            services.RatingEntry(
                subject=row.person,
                level=f.cleaned_data["level"],
                months_worked=_or_12(f.cleaned_data["months_worked"]),
                maternity_leave=f.cleaned_data["maternity_leave"],
                self_reliant=f.cleaned_data["self_reliant"],
                rated_by_director=row.rating.rated_by_director if row.rating else False,
                note=f.cleaned_data["note"],
            )
            for f, row in chosen
        ]
        try:
            services.set_ratings(actor=request.user, year=year, entries=entries)
        except services.RatingRowsError as exc:
            for index, error in exc.errors.items():
                add_rule_error(chosen[index][0], error)
            refused = len(exc.errors)
        else:
            messages.success(
                request,
                _("The ratings of %(year)s were saved (%(count)s people).")
                % {"year": year, "count": len(entries)},
            )
            return redirect(f"{reverse('records:unit_ratings', args=[unit.pk])}?year={year}")
    elif request.method == "POST":
        refused = sum(1 for f in forms if f.errors)
    return render(
        request,
        "records/unit_ratings.html",
        {
            "unit": unit,
            "year": year,
            "year_form": year_form,
            "rows": list(zip(rows, forms, strict=True)),
            "refused": refused,
        },
    )
