"""The agency's eligibility page, its .xlsx export, and the settings page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from thidua.accounts.selectors import people_visible_to, scope_for, units_visible_to
from thidua.core.errors import BusinessRuleError
from thidua.core.forms import add_rule_error
from thidua.core.shortcuts import get_scoped_or_404, require
from thidua.eligibility import services
from thidua.eligibility.catalogue import SETTINGS, TITLES
from thidua.eligibility.exporters import eligibility_xlsx
from thidua.eligibility.forms import EligibilityFilterForm, SettingsForm
from thidua.eligibility.selectors import (
    agency_listing,
    agency_settings,
    as_document,
    evaluate_agency,
    evaluate_subject,
    rating_summary,
    subject_names,
    subject_rows,
)
from thidua.org.models import Agency

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _listing(request):
    """Evaluate the user's agency and keep what the user's scope and the filters allow."""
    require(request.user, "eligibility.view_agency")
    scope = scope_for(request.user)
    agency = get_scoped_or_404(Agency.objects.all(), pk=scope.agency_id)
    units = units_visible_to(request.user).filter(dissolved_on__isnull=True).order_by("path")
    form = EligibilityFilterForm(request.GET, units=units)
    form.is_valid()
    data = form.cleaned_data
    year = data.get("year") or int(form.data["year"])
    evaluation = evaluate_agency(agency=agency, year=year)
    person_ids = unit_ids = None
    if not scope.agency_wide or data.get("unit"):
        people = people_visible_to(request.user)
        unit_qs = units
        if data.get("unit"):
            people = people.filter(unit__path__startswith=data["unit"].path)
            unit_qs = unit_qs.filter(path__startswith=data["unit"].path)
        person_ids = set(people.values_list("pk", flat=True))
        unit_ids = set(unit_qs.values_list("pk", flat=True))
    rows, counts = agency_listing(
        evaluation,
        person_ids=person_ids,
        unit_ids=unit_ids,
        title=data.get("title") or "",
        only_eligible=bool(data.get("only_eligible")),
    )
    return agency, form, year, evaluation, rows, counts, person_ids, unit_ids


@login_required
def agency_page(request):
    agency, form, year, evaluation, rows, counts, person_ids, unit_ids = _listing(request)
    names = subject_names(agency)
    for row in rows:
        row["name"] = names.get((row["kind"], row["code"]), "")
    summary = [
        {"title": t, "count": counts.get((t.subject, t.code), 0)} for t in TITLES if t.evaluated
    ]
    params = request.GET.urlencode()
    return render(
        request,
        "eligibility/agency.html",
        {
            "form": form,
            "year": year,
            "regime": evaluation.regime,
            "rows": rows[:2000],
            "truncated": len(rows) > 2000,
            "summary": summary,
            "quotas": [q for q in evaluation.quotas if q["scope"] == "AGENCY"],
            "ratings": rating_summary(
                agency=agency, year=year, person_ids=person_ids, unit_ids=unit_ids
            ),
            "params": params,
        },
    )


@login_required
def agency_export(request):
    agency, _form, _year, evaluation, rows, *_rest = _listing(request)
    document = as_document(evaluation, agency)
    keep = {(r["kind"], r["code"], r["title"]) for r in rows}
    document["results"] = [
        r for r in document["results"] if (r["kind"], r["subject"], r["title"]) in keep
    ]
    content = eligibility_xlsx(document, names=subject_names(agency))
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="xet-thi-dua-{evaluation.year}.xlsx"'
    return response


def _section(request, subject, kind: str):
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year
    evaluation = evaluate_subject(
        agency=subject.agency,
        year=year,
        person_id=subject.pk if kind == "person" else None,
        unit_id=subject.pk if kind == "unit" else None,
    )
    context = {
        "subject": subject,
        "kind": kind,
        "year": year,
        "regime": evaluation.regime,
        "rows": subject_rows(evaluation, kind=kind, subject_id=subject.pk),
    }
    # The person and unit pages fetch the section alone; opened directly it is a page of its own.
    if request.headers.get("HX-Request"):
        return render(request, "eligibility/subject_eligibility.html", context)
    return render(request, "eligibility/subject_page.html", context)


@login_required
def person_section(request, pk: int):
    """The eligibility section of a person's page (fetched by the page, or opened alone)."""
    person = get_scoped_or_404(people_visible_to(request.user).select_related("agency"), pk=pk)
    return _section(request, person, "person")


@login_required
def unit_section(request, pk: int):
    unit = get_scoped_or_404(units_visible_to(request.user).select_related("agency"), pk=pk)
    return _section(request, unit, "unit")


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request):
    require(request.user, "eligibility.change_settings")
    agency = get_scoped_or_404(Agency.objects.all(), pk=scope_for(request.user).agency_id)
    values = agency_settings(agency.pk)
    form = SettingsForm(request.POST or None, values=values)
    if request.method == "POST" and form.is_valid():
        try:
            for definition in SETTINGS:
                services.set_setting(
                    actor=request.user,
                    agency=agency,
                    key=definition.key,
                    value=form.cleaned_data[definition.key],
                )
        except BusinessRuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("The settings were saved."))
            return redirect("eligibility:settings")
    return render(request, "org/form.html", {"form": form, "title": _("Rules the agency sets")})
