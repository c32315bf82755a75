from django import template

from thidua.records import selectors

register = template.Library()


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None)


@register.inclusion_tag("records/person_records.html", takes_context=True)
def person_records(context, person):
    """The person's yearly records (ratings, titles, initiatives, disciplines) and edit links.

    One query per kind of record, whatever the number of years.
    """
    user = _user(context)
    if user is None or not user.is_authenticated:
        return {"person": person, "history": [], "cases": []}
    return {
        "person": person,
        "history": selectors.person_history(user, person),
        "cases": selectors.open_cases(user, person),
        "can_rate": user.has_perm("records.rate", person),
        "can_award": user.has_perm("records.record_award", person),
        "can_change_award": user.has_perm("records.change_award", person),
        "can_initiative": user.has_perm("records.add_initiative", person),
        "can_discipline": user.has_perm("records.add_discipline", person),
        "can_achievement": user.has_perm("records.add_achievement", person),
    }


@register.inclusion_tag("records/unit_records.html", takes_context=True)
def unit_records(context, unit):
    """The unit's own yearly records, edit links, and the link to rate its staff."""
    user = _user(context)
    if user is None or not user.is_authenticated:
        return {"unit": unit, "history": []}
    return {
        "unit": unit,
        "history": selectors.unit_history(user, unit),
        "can_rate": user.has_perm("records.rate", unit),
        "can_rate_staff": user.has_perm("records.rate_unit_staff", unit),
        "can_award": user.has_perm("records.record_award", unit),
        "can_change_award": user.has_perm("records.change_award", unit),
        "can_achievement": user.has_perm("records.add_achievement", unit),
    }
