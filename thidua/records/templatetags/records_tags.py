from django import template

register = template.Library()


@register.inclusion_tag("records/person_records.html", takes_context=True)
def person_records(context, person):
    """The person's yearly records (ratings, titles, initiatives, disciplines)."""
    return {"person": person, "request": context.get("request")}


@register.inclusion_tag("records/unit_records.html", takes_context=True)
def unit_records(context, unit):
    return {"unit": unit, "request": context.get("request")}
