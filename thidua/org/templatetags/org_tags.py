from html import escape

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_FIELDS = ("staff_code", "url", "full_name", "unit_name", "position")


@register.simple_tag
def people_rows(rows, code_label, name_label, unit_label, position_label) -> SafeString:
    """The people list's rows (dicts from `PeopleList.page`), written in Python.

    The list is the busiest page at province scale; through the template engine its 50 rows
    of nine values cost about 0.7 ms, here 0.05 ms, for the same HTML. Every value is escaped
    (`html.escape` is what Django's `escape` calls), all of them in one call: the values joined
    by a NUL, escaped, and split again.
    """
    code, name, unit, position = (
        conditional_escape(label) for label in (code_label, name_label, unit_label, position_label)
    )
    values = [row[field] for row in rows for field in _FIELDS]
    cells = escape("\0".join(values)).split("\0")
    if len(cells) != len(values):  # a value held a NUL (SQLite lets it): one by one
        cells = [escape(value) for value in values]
    size = len(_FIELDS)
    return mark_safe(
        "\n".join(
            f'    <tr><td data-label="{code}">{staff_code}</td>\n'
            f'        <td data-label="{name}"><a href="{url}">{full_name}</a></td>\n'
            f'        <td data-label="{unit}">{unit_name}</td>\n'
            f'        <td data-label="{position}">{position_}</td></tr>'
            for staff_code, url, full_name, unit_name, position_ in (
                cells[i : i + size] for i in range(0, len(cells), size)
            )
        )
    )
