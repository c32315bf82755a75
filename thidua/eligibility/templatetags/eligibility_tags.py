from django import template
from django.urls import reverse

register = template.Library()


def _placeholder(context, subject, name: str) -> dict:
    """A placeholder the page fills from the section's own URL once it has shown: the rest of
    the page does not wait for the evaluation."""
    request = context.get("request")
    query = request.GET.urlencode() if request is not None else ""
    url = reverse(name, args=[subject.pk]) + (f"?{query}" if query else "")
    return {"url": url}


@register.inclusion_tag("eligibility/subject_placeholder.html", takes_context=True)
def person_eligibility(context, person):
    """The person's eligibility in the year (?year=, default this year), condition by condition."""
    return _placeholder(context, person, "eligibility:person_section")


@register.inclusion_tag("eligibility/subject_placeholder.html", takes_context=True)
def unit_eligibility(context, unit):
    return _placeholder(context, unit, "eligibility:unit_section")
