from django import template
from django.utils import timezone

from thidua.eligibility.selectors import evaluate_subject, subject_rows

register = template.Library()


def _year(context) -> int:
    request = context.get("request")
    raw = request.GET.get("year", "") if request is not None else ""
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


def _section(context, subject, kind: str) -> dict:
    year = _year(context)
    evaluation = evaluate_subject(
        agency=subject.agency,
        year=year,
        person_id=subject.pk if kind == "person" else None,
        unit_id=subject.pk if kind == "unit" else None,
    )
    return {
        "subject": subject,
        "kind": kind,
        "year": year,
        "regime": evaluation.regime,
        "rows": subject_rows(evaluation, kind=kind, subject_id=subject.pk),
    }


@register.inclusion_tag("eligibility/subject_eligibility.html", takes_context=True)
def person_eligibility(context, person):
    """The person's eligibility in the year (?year=, default this year), condition by condition."""
    return _section(context, person, "person")


@register.inclusion_tag("eligibility/subject_eligibility.html", takes_context=True)
def unit_eligibility(context, unit):
    return _section(context, unit, "unit")
