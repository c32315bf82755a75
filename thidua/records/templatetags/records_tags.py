"""The records sections of the person and unit pages, written in Python.

The person page is the page every officer, unit head and member of staff opens. Through the
template engine each translated label of its records table cost ≈ 10 µs, each date 15 µs, each
`{% url %}` 12 µs, a dozen of them per year of records. Here the labels are translated once per
language and process, the URLs cut once per process, and every value is escaped (`html.escape`
is what Django's `escape` calls), for the same HTML.
"""

from functools import cache
from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from thidua.core.i18n import per_language
from thidua.core.text import dmy
from thidua.records import selectors
from thidua.records.enums import (
    DisciplineKind,
    InitiativeKind,
    InitiativeScope,
    RatingLevel,
    TitleCode,
)
from thidua.records.models import Achievement, AwardStatus, PendingCase

register = template.Library()

# A primary key no real row has, to cut a URL around it once per process.
_MARK = 987654321


@cache
def _url(name: str) -> tuple[str, str]:
    """The URL of `name` for one object as (head, tail): `f"{head}{pk}{tail}"`."""
    head, tail = reverse(name, args=[_MARK]).split(str(_MARK))
    return head, tail


def _url_of(name: str, pk: int) -> str:
    head, tail = _url(name)
    return f"{head}{pk}{tail}"


# The names shown for the records' codes, by the field that holds them.
_CHOICES = {
    "level": RatingLevel,
    "title": TitleCode,
    "status": AwardStatus,
    "initiative_kind": InitiativeKind,
    "scope": InitiativeScope,
    "discipline": DisciplineKind,
    "achievement": Achievement.Kind,
    "case": PendingCase.Kind,
}


class _Texts:
    """The sections' labels (`label`) and the codes' names (`name[field][code]`), translated
    and escaped."""

    def __init__(self) -> None:
        labels = {
            "person_title": gettext("Ratings, titles and awards by year"),
            "unit_title": gettext("Ratings, titles and awards of the unit by year"),
            "rate": gettext("Enter a rating"),
            "rate_unit": gettext("Enter the unit's rating"),
            "rate_staff": gettext("Rate the staff of this unit"),
            "award": gettext("Record a title or award…"),
            "initiative": gettext("Record an initiative"),
            "discipline": gettext("Record a discipline"),
            "achievement": gettext("Record an achievement"),
            "under_review": gettext(
                "Under review — no award may be proposed while a case is open (Article 4, "
                "Decree 152/2025/NĐ-CP):"
            ),
            "year": gettext("Year"),
            "rating": gettext("Rating"),
            "awards": gettext("Titles and awards"),
            "initiatives": gettext("Initiatives"),
            "disciplines": gettext("Disciplines"),
            "achievements": gettext("Confirmed achievements"),
            "nothing": gettext("Nothing recorded yet."),
            "change": gettext("change"),
            "enter": gettext("enter"),
            "correct": gettext("correct"),
            "revoke": gettext("revoke"),
            "maternity_leave": gettext("maternity leave"),
            "not_self_reliant": gettext("not self-reliant and united"),
            "by_director": gettext("rated by the director"),
        }
        self.label = {key: escape(text) for key, text in labels.items()}
        self.decision = escape(gettext("decision %(number)s of %(date)s"))
        self.name = {
            field: {value: escape(str(label)) for value, label in choices.choices}
            for field, choices in _CHOICES.items()
        }

    def of(self, field: str, code: str) -> str:
        """The name of `code` (the code itself if unknown, as `get_FOO_display`)."""
        return self.name[field].get(code) or escape(code)


_texts = per_language(_Texts)


def _list(items: list[str]) -> str:
    return f'<ul class="changes">{"".join(items)}</ul>' if items else "—"


def _rating(t: _Texts, rating: selectors.YearRating | None, *, show_months: bool) -> str:
    if rating is None:
        return "—"
    html = t.of("level", rating.level)
    if show_months:
        n = rating.months_worked
        months = ngettext("%(n)s month worked", "%(n)s months worked", n) % {"n": n}
        html += f'<br><span class="muted">{escape(months)}'
        if rating.maternity_leave:
            html += f" · {t.label['maternity_leave']}"
        if not rating.self_reliant:
            html += f" · {t.label['not_self_reliant']}"
        html += "</span>"
    if rating.rated_by_director:
        html += f'<br><span class="muted">{t.label["by_director"]}</span>'
    if rating.note:
        html += f'<br><span class="muted">{escape(rating.note)}</span>'
    return html


def _awards(t: _Texts, awards: list[selectors.YearAward], *, can_change: bool) -> str:
    items = []
    for a in awards:
        decision = t.decision % {
            "number": escape(a.decision_number or "—"),
            "date": dmy(a.decision_date) if a.decision_date else "—",
        }
        muted = "" if a.status == AwardStatus.ACTIVE else ' class="muted"'
        html = (
            f'<li id="award-{a.pk}" data-status="{escape(a.status)}"{muted}>'
            f"{t.of('title', a.title)} — {decision}"
        )
        if a.authority:
            html += f", {escape(a.authority)}"
        html += f" ({t.of('status', a.status)}"
        if a.status_reason:
            html += f": {escape(a.status_reason)}"
        html += ")"
        if can_change and a.status == AwardStatus.ACTIVE:
            html += (
                f' <a href="{_url_of("records:award_correct", a.pk)}">{t.label["correct"]}</a>'
                f' · <a href="{_url_of("records:award_revoke", a.pk)}">{t.label["revoke"]}</a>'
            )
        items.append(f"{html}</li>")
    return _list(items)


def _described(items: list[tuple[str, str]]) -> str:
    """One `<li>` per (text, note): the text escaped here, the note already written as HTML."""
    return _list(
        [f'<li>{escape(text)} <span class="muted">({note})</span></li>' for text, note in items]
    )


def _initiatives(t: _Texts, initiatives: list[selectors.YearInitiative]) -> str:
    return _described(
        [
            (i.name, f"{t.of('initiative_kind', i.kind)}; {t.of('scope', i.scope)}")
            for i in initiatives
        ]
    )


def _disciplines(t: _Texts, disciplines: list[selectors.YearDiscipline]) -> str:
    items = []
    for d in disciplines:
        number = f", {escape(d.decision_number)}" if d.decision_number else ""
        months = ngettext("%(n)s month", "%(n)s months", d.months) % {"n": d.months}
        items.append(
            f'<li class="bad">{t.of("discipline", d.kind)} — {dmy(d.decided_on)}{number}'
            f' <span class="muted">({escape(months)})</span></li>'
        )
    return _list(items)


def _achievements(t: _Texts, achievements: list[selectors.YearAchievement]) -> str:
    return _described([(a.description, t.of("achievement", a.kind)) for a in achievements])


def _open_cases(t: _Texts, cases: list[selectors.OpenCase]) -> str:
    if not cases:
        return ""
    items = []
    for c in cases:
        since = gettext("since %(date)s") % {"date": dmy(c.opened_on)}
        note = f" ({escape(c.note)})" if c.note else ""
        items.append(f"<li>{t.of('case', c.kind)} — {escape(since)}{note}</li>")
    return (
        f'\n<div class="message error" id="open-cases"><p>{t.label["under_review"]}</p>\n'
        f"<ul>{''.join(items)}</ul></div>"
    )


def _section(
    t: _Texts,
    *,
    title: str,
    actions: list[tuple[str, str]],
    cases: str = "",
    columns: list[str],
    rows: list[list[str]],
) -> SafeString:
    """The section: its title, the action buttons (URL, label key), the open cases, and the
    table of `rows` (one per year: its cells' HTML, in the order of `columns`)."""
    buttons = "".join(
        f'\n  <a class="button secondary" href="{url}">{t.label[label]}</a>'
        for url, label in actions
    )
    if buttons:
        buttons = f'\n<div class="actions" id="records-actions">{buttons}\n</div>'
    labels = [t.label[column] for column in columns]
    head = "".join(f"<th>{label}</th>" for label in labels)
    body = "".join(
        f'\n  <tr id="records-{cells[0]}">'
        + "".join(
            f'\n    <td data-label="{label}">{cell}</td>'
            for label, cell in zip(labels, cells, strict=True)
        )
        + "\n  </tr>"
        for cells in rows
    )
    if not body:
        body = f'<tr><td colspan="{len(columns)}">{t.label["nothing"]}</td></tr>'
    return mark_safe(
        '<section id="records" aria-labelledby="records-title">\n'
        f'<h2 id="records-title">{t.label[title]}</h2>{buttons}{cases}\n'
        '<table class="responsive" id="records-table">\n'
        f"  <thead><tr>{head}</tr></thead>\n"
        f"  <tbody>{body}</tbody>\n"
        "</table>\n</section>"
    )


def _rating_cell(t: _Texts, row: selectors.YearRecords, url: str, **kw) -> str:
    """The year's rating, and the link to enter or change it (`url`: none if not allowed)."""
    html = _rating(t, row.rating, **kw)
    if url:
        html += (
            f' <a href="{url}?year={row.year}">{t.label["change" if row.rating else "enter"]}</a>'
        )
    return html


def _allowed(context, subject, perms: tuple[str, ...]) -> set[str]:
    """Which of the `records.` permissions the request's user holds on `subject`."""
    user = context["request"].user
    return {perm for perm in perms if user.has_perm(f"records.{perm}", subject)}


# The action buttons: (permission, URL name, label).
_PERSON_ACTIONS = (
    ("rate", "records:person_rating", "rate"),
    ("record_award", "records:person_award", "award"),
    ("add_initiative", "records:person_initiative", "initiative"),
    ("add_discipline", "records:person_discipline", "discipline"),
    ("add_achievement", "records:person_achievement", "achievement"),
)
_UNIT_ACTIONS = (
    ("rate_unit_staff", "records:unit_ratings", "rate_staff"),
    ("rate", "records:unit_rating", "rate_unit"),
    ("record_award", "records:unit_award", "award"),
    ("add_achievement", "records:unit_achievement", "achievement"),
)


def _offered(context, subject, actions, rating_url_name: str) -> tuple[list, str, bool]:
    """What the user may do with `subject`'s records: the action links (URL, label) they may
    follow, the rating cell's link ("" if they may not rate), whether they may correct awards."""
    allowed = _allowed(context, subject, ("change_award", *(a[0] for a in actions)))
    links = [(_url_of(name, subject.pk), label) for perm, name, label in actions if perm in allowed]
    rating_url = _url_of(rating_url_name, subject.pk) if "rate" in allowed else ""
    return links, rating_url, "change_award" in allowed


@register.simple_tag(takes_context=True)
def person_records(context, person) -> SafeString:
    """The person's yearly records (ratings, titles, initiatives, disciplines), open cases and
    edit links. One query, whatever the number of years."""
    t = _texts()
    records = selectors.person_records(context["request"].user, person)
    actions, rating_url, can_change = _offered(
        context, person, _PERSON_ACTIONS, "records:person_rating"
    )
    return _section(
        t,
        title="person_title",
        actions=actions,
        cases=_open_cases(t, records.open_cases),
        columns=["year", "rating", "awards", "initiatives", "disciplines", "achievements"],
        rows=[
            [
                str(row.year),
                _rating_cell(t, row, rating_url, show_months=True),
                _awards(t, row.awards, can_change=can_change),
                _initiatives(t, row.initiatives),
                _disciplines(t, row.disciplines),
                _achievements(t, row.achievements),
            ]
            for row in records.years
        ],
    )


@register.simple_tag(takes_context=True)
def unit_records(context, unit) -> SafeString:
    """The unit's own yearly records, edit links, and the link to rate its staff."""
    t = _texts()
    history = selectors.unit_history(context["request"].user, unit)
    actions, rating_url, can_change = _offered(context, unit, _UNIT_ACTIONS, "records:unit_rating")
    return _section(
        t,
        title="unit_title",
        actions=actions,
        columns=["year", "rating", "awards", "achievements"],
        rows=[
            [
                str(row.year),
                _rating_cell(t, row, rating_url, show_months=False),
                _awards(t, row.awards, can_change=can_change),
                _achievements(t, row.achievements),
            ]
            for row in history
        ],
    )
