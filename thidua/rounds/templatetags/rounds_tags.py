"""Template tags of the rounds pages."""

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def nomination_rows(nominations, url_prefix: str):
    """The rows of the officer's list, written in Python.

    The list is the busiest page of a round (thousands of dossiers, many officers at once): the
    template engine spends ~0.08 ms a row on its ~25 nodes, this ~0.01 ms. Every value is
    escaped by format_html. Columns: subject, nominating unit, title, step, conditions, change.
    """
    labels = {
        "subject": _("Person or unit"),
        "unit": _("Nominating unit"),
        "title": _("Title or form"),
        "state": _("Step"),
        "eligible": _("Conditions"),
        "updated": _("Last change"),
    }
    manual, met, not_met = _("check by hand"), _("met"), _("not met")
    warnings_label = _("warnings")

    def cells(n):
        if n.person_id:
            subject = format_html(
                '<a href="{}{}/">{}</a> <span class="muted">{}</span>',
                url_prefix, n.pk, n.person.full_name, n.person.staff_code,
            )  # fmt: skip
        else:
            subject = format_html('<a href="{}{}/">{}</a>', url_prefix, n.pk, n.unit.name)
        if n.eligible is None:
            verdict = format_html('<span class="warn">{}</span>', manual)
        elif n.eligible:
            verdict = format_html('<span class="ok">✓ {}</span>', met)
        else:
            verdict = format_html('<span class="bad">✗ {}</span>', not_met)
        if n.warnings:
            verdict = format_html(
                '{} <span class="warn" title="{}">⚠ {}</span>',
                verdict, warnings_label, len(n.warnings),
            )  # fmt: skip
        updated = timezone.localtime(n.updated_at).strftime("%d/%m/%Y") if n.updated_at else ""
        return (
            n.state,
            labels["subject"], subject,
            labels["unit"], n.nominating_unit.name,
            labels["title"], n.title_label,
            labels["state"], n.state_label,
            labels["eligible"], verdict,
            labels["updated"], updated,
        )  # fmt: skip

    return format_html_join(
        "\n",
        '<tr data-state="{}"><td data-label="{}">{}</td><td data-label="{}">{}</td>'
        '<td data-label="{}">{}</td><td data-label="{}"><span class="state">{}</span></td>'
        '<td data-label="{}">{}</td><td data-label="{}">{}</td></tr>',
        (cells(n) for n in nominations),
    )
