from django import template

register = template.Library()


@register.inclusion_tag("eligibility/subject_eligibility.html", takes_context=True)
def person_eligibility(context, person):
    """This year's eligibility of the person, condition by condition."""
    return {"subject": person, "kind": "person", "request": context.get("request")}


@register.inclusion_tag("eligibility/subject_eligibility.html", takes_context=True)
def unit_eligibility(context, unit):
    return {"subject": unit, "kind": "unit", "request": context.get("request")}
