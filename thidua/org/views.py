"""Pages of the organisation. Each view: scope → permission → form → one service → render."""

from html import escape

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods

from thidua.accounts.selectors import people_visible_to, scope_for, units_visible_to
from thidua.audit.selectors import ObjectChange, recent_changes
from thidua.audit.templatetags.audit_tags import change_items
from thidua.core.errors import BusinessRuleError
from thidua.core.forms import add_rule_error
from thidua.core.i18n import per_language
from thidua.core.shortcuts import found_or_404, get_scoped_or_404, require
from thidua.core.text import dmy
from thidua.org import selectors, services
from thidua.org.forms import (
    PeopleSearchForm,
    PersonForm,
    UnitChangeForm,
    UnitCreateForm,
    UnitDissolveForm,
    UnitMergeForm,
)
from thidua.org.models import Agency


def _user_agency(request) -> Agency:
    scope = scope_for(request.user)
    return get_scoped_or_404(Agency.objects.all(), pk=scope.agency_id)


@login_required
def unit_tree(request):
    scope = scope_for(request.user)
    if not (scope.agency_wide or scope.unit_paths):
        # Staff have no tree to browse: their own record is their page.
        return redirect("home")
    nodes = selectors.unit_tree(request.user)
    return render(request, "org/unit_tree.html", {"nodes": nodes})


@login_required
def unit_detail(request, pk: int):
    unit = get_scoped_or_404(units_visible_to(request.user).select_related("parent"), pk=pk)
    people = selectors.search_people(request.user, unit=unit, include_sub_units=False)
    states, events = selectors.unit_history(unit)
    # Only the sub-units the user may open: staff see their own unit, not its sub-units.
    children = (
        units_visible_to(request.user)
        .filter(parent=unit, dissolved_on__isnull=True)
        .order_by("sort_order", "name")
    )
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "people": people,
            "children": children,
            "states": states,
            "events": events,
            "can_change": request.user.has_perm("org.change_unit", unit),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_create(request):
    require(request.user, "org.restructure_units")
    agency = _user_agency(request)
    units = selectors.unit_choices(request.user, agency_id=agency.pk)
    form = UnitCreateForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.create_unit(actor=request.user, agency=agency, **form.cleaned_data)
        except BusinessRuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("The unit was created."))
            return redirect("org:unit", unit.pk)
    return render(request, "org/form.html", {"form": form, "title": _("New unit")})


def _restructure_target(request, pk: int):
    unit = get_scoped_or_404(units_visible_to(request.user), pk=pk)
    require(request.user, "org.change_unit", unit)
    units = selectors.unit_choices(request.user, agency_id=unit.agency_id).exclude(
        path__startswith=unit.path
    )
    return unit, units


@login_required
@require_http_methods(["GET", "POST"])
def unit_change(request, pk: int):
    unit, units = _restructure_target(request, pk)
    initial = {"name": unit.name, "kind": unit.kind, "parent": unit.parent_id}
    form = UnitChangeForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_unit(actor=request.user, unit=unit, **form.cleaned_data)
        except BusinessRuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(
                request, _("The change was saved; the unit's history keeps the old state.")
            )
            return redirect("org:unit", unit.pk)
    title = _("Rename or move %(unit)s") % {"unit": unit.name}
    return render(request, "org/form.html", {"form": form, "title": title, "back": unit})


@login_required
@require_http_methods(["GET", "POST"])
def unit_merge(request, pk: int):
    unit, units = _restructure_target(request, pk)
    form = UnitMergeForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.merge_units(
                actor=request.user,
                sources=[unit],
                target=data["target"],
                date=data["date"],
                note=data["note"],
            )
        except BusinessRuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("The units were merged."))
            return redirect("org:unit", data["target"].pk)
    title = _("Merge %(unit)s into another unit") % {"unit": unit.name}
    return render(request, "org/form.html", {"form": form, "title": title, "back": unit})


@login_required
@require_http_methods(["GET", "POST"])
def unit_dissolve(request, pk: int):
    unit, _units = _restructure_target(request, pk)
    form = UnitDissolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.dissolve_unit(actor=request.user, unit=unit, **form.cleaned_data)
        except BusinessRuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("The unit was dissolved."))
            return redirect("org:unit", unit.pk)
    title = _("Dissolve %(unit)s") % {"unit": unit.name}
    return render(request, "org/form.html", {"form": form, "title": title, "back": unit})


@login_required
def people(request):
    scope = scope_for(request.user)
    if not (scope.agency_wide or scope.unit_paths):
        if scope.person_id:
            return redirect("org:person", scope.person_id)
        return redirect("home")
    listing = selectors.PeopleList(request.user)
    form = PeopleSearchForm(request.GET or None, units=listing.units())
    query, unit = "", None
    if form.is_valid():
        query, unit = form.cleaned_data["q"], form.cleaned_data["unit"]
    page = listing.page(
        query=query, unit=unit, number=request.GET.get("page"), per_page=settings.PAGE_SIZE
    )
    params = request.GET.copy()
    params.pop("page", None)
    context = {"form": form, "page": page, "query": query, "params": params.urlencode()}
    if request.headers.get("HX-Request"):
        return render(request, "org/people.html#results", context)
    return render(request, "org/people.html", context)


# The person page's labels, translated once per language and process: a {% translate %} costs
# ≈ 10 µs a label and request, and the page has some twenty.
_PERSON_LABELS = {
    "staff_code": gettext_noop("Staff code"),
    "unit": gettext_noop("Unit"),
    "position": gettext_noop("Position"),
    "gender": gettext_noop("Gender"),
    "birth_date": gettext_noop("Birth date"),
    "employment_type": gettext_noop("Employment type"),
    "recruited_on": gettext_noop("Recruited on"),
    "left_on": gettext_noop("Left on"),
    "edit": gettext_noop("Edit"),
    "print": gettext_noop("Print"),
    "units_worked_in": gettext_noop("Units worked in"),
    "from": gettext_noop("From"),
    "to": gettext_noop("To"),
    "unit_then": gettext_noop("Unit (name at the time)"),
    "record_changes": gettext_noop("Changes to this record"),
    "when": gettext_noop("When"),
    "who": gettext_noop("Who"),
    "changes": gettext_noop("Changes"),
}


@per_language
def _person_labels() -> dict[str, SafeString]:
    return {key: mark_safe(escape(_(msgid))) for key, msgid in _PERSON_LABELS.items()}


def _history_rows(history: list[selectors.MembershipRow], t: dict[str, str]) -> SafeString:
    """The "units worked in" rows, written in Python as `people_rows` (org_tags) writes the list."""
    if not history:
        return mark_safe('<tr><td colspan="4">—</td></tr>')
    return mark_safe(
        "".join(
            f'\n  <tr><td data-label="{t["from"]}">{dmy(row.membership.start)}</td>'
            f'\n      <td data-label="{t["to"]}">'
            f"{dmy(row.membership.end) if row.membership.end else '…'}</td>"
            f'\n      <td data-label="{t["unit_then"]}">{escape(row.unit_name_then)}</td>'
            f'\n      <td data-label="{t["position"]}">{escape(row.membership.position)}</td></tr>'
            for row in history
        )
    )


def _change_rows(changes: list[ObjectChange], t: dict[str, str]) -> SafeString:
    """The "changes to this record" rows, each change as the audit log writes it."""
    rows = []
    for entry in changes:
        items = change_items(entry.change_rows)
        if entry.note:
            items += f"<li>{escape(entry.note)}</li>"
        at = timezone.localtime(entry.at)
        rows.append(
            f'\n  <tr><td data-label="{t["when"]}">{dmy(at)} {at:%H:%M}</td>'
            f'<td data-label="{t["who"]}">{escape(entry.actor_name)}</td>'
            f'\n      <td data-label="{t["changes"]}"><ul class="changes">{items}</ul></td></tr>'
        )
    return mark_safe("".join(rows))


@login_required
def person_detail(request, pk: int):
    """The person's page, seen by officers, their unit heads and the person themself.

    The page every user opens most: three plain queries (the person with their assignments,
    their records, and for those who may edit them the recent changes), and the repeated rows
    written in Python.
    """
    page = found_or_404(selectors.person_page(request.user, pk))
    person = page.person
    t = _person_labels()
    can_change = request.user.has_perm("org.change_person", person)
    changes = []
    if can_change:
        # Those who may edit a record see who changed it before them.
        changes = recent_changes(request.user, object_type="person", object_id=str(pk), limit=20)
    return render(
        request,
        "org/person_detail.html",
        {
            "person": person,
            "t": t,
            "history_rows": _history_rows(page.history, t),
            "can_change": can_change,
            "change_rows": _change_rows(changes, t),
        },
    )


def _person_initial(person) -> dict:
    return {
        "staff_code": person.staff_code,
        "full_name": person.full_name,
        "gender": person.gender,
        "birth_date": person.birth_date,
        "employment_type": person.employment_type,
        "unit": person.unit_id,
        "position": person.position,
        "recruited_on": person.recruited_on,
        "left_on": person.left_on,
    }


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int):
    person = get_scoped_or_404(people_visible_to(request.user).select_related("unit"), pk=pk)
    require(request.user, "org.change_person", person)
    units = selectors.unit_choices(request.user, agency_id=person.agency_id)
    form = PersonForm(request.POST or None, units=units, initial=_person_initial(person))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit = data.pop("unit")
        effective_on = data.pop("effective_on") or timezone.localdate()
        try:
            services.update_person(
                actor=request.user, person=person, unit=unit, date=effective_on, **data
            )
        except BusinessRuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("org:person", person.pk)
    title = _("Edit %(name)s") % {"name": person.full_name}
    return render(request, "org/form.html", {"form": form, "title": title, "back": person})


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request):
    require(request.user, "org.add_person")
    agency = _user_agency(request)
    units = selectors.unit_choices(request.user, agency_id=agency.pk)
    form = PersonForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit = data.pop("unit")
        start = data.pop("effective_on")
        try:
            person = services.create_person(
                actor=request.user, agency=agency, unit=unit, start=start, **data
            )
        except BusinessRuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("The person was added."))
            return redirect("org:person", person.pk)
    return render(request, "org/form.html", {"form": form, "title": _("New person")})
