from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from thidua.core.i18n import per_language

register = template.Library()


def _placeholder(context, subject, name: str) -> dict:
    """A placeholder the page fills from the section's own URL once it has shown: the rest of
    the page does not wait for the evaluation."""
    request = context.get("request")
    query = request.GET.urlencode() if request is not None else ""
    url = reverse(name, args=[subject.pk]) + (f"?{query}" if query else "")
    return {"url": url}


# Written once per language and process around this mark, then filled with each person's URL:
# rendering the template on every person page cost 0.07 ms.
_URL_MARK = "url-of-the-section"


@per_language
def _person_placeholder() -> list[str]:
    """The section's placeholder, cut around the mark where the person's URL goes."""
    html = render_to_string("eligibility/subject_placeholder.html", {"url": _URL_MARK})
    return html.split(_URL_MARK)


@register.simple_tag(takes_context=True)
def person_eligibility(context, person) -> SafeString:
    """The person's eligibility in the year (?year=, default this year), condition by condition."""
    url = _placeholder(context, person, "eligibility:person_section")["url"]
    return mark_safe(escape(url).join(_person_placeholder()))


@register.inclusion_tag("eligibility/subject_placeholder.html", takes_context=True)
def unit_eligibility(context, unit):
    return _placeholder(context, unit, "eligibility:unit_section")
