"""The rounds: list, create and change, the round page, the officer's list, nominating."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from thidua.accounts.selectors import scope_for
from thidua.core.errors import BusinessRuleError
from thidua.core.forms import add_rule_error
from thidua.core.shortcuts import get_scoped_or_404, require
from thidua.org.models import Agency
from thidua.records.enums import TitleCode
from thidua.rounds import selectors, services
from thidua.rounds.forms import (
    CandidateFilterForm,
    NominateOneForm,
    NominationFilterForm,
    PostingForm,
    RoundForm,
)
from thidua.rounds.models import Round, RoundStatus

FORM_TEMPLATE = "rounds/round_form.html"
CANDIDATES_SHOWN = 300
DEADLINE_LABELS = {
    "nominations_due": gettext_lazy("Units nominate by"),
    "checks_due": gettext_lazy("The office checks by"),
    "council_due": gettext_lazy("The council meets by"),
    "decision_due": gettext_lazy("The director decides by"),
}


def _round(request, pk: int) -> Round:
    return get_scoped_or_404(
        selectors.rounds_visible_to(request.user).select_related("agency"), pk=pk
    )


@login_required
def round_list(request):
    require(request.user, "rounds.view_rounds")
    rounds = list(selectors.rounds_visible_to(request.user).order_by("-year", "-pk")[:200])
    return render(
        request,
        "rounds/round_list.html",
        {"rounds": rounds, "can_create": request.user.has_perm("rounds.manage_rounds")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request):
    require(request.user, "rounds.manage_rounds")
    agency = get_scoped_or_404(Agency.objects.all(), pk=scope_for(request.user).agency_id)
    # A year-end review considers these most often; the officer ticks the others.
    initial = {"kind": "ANNUAL", "titles": ["LDTT", "CSTDCS", "TTLDTT", "GK"]}
    form = RoundForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            round = services.create_round(actor=request.user, agency=agency, **form.cleaned_data)
        except BusinessRuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("The round was opened for nominations."))
            return redirect("rounds:detail", round.pk)
    return render(request, FORM_TEMPLATE, {"form": form, "title": _("New award round")})


@login_required
@require_http_methods(["GET", "POST"])
def round_edit(request, pk: int):
    round = _round(request, pk)
    require(request.user, "rounds.change_round", round)
    initial = {
        name: getattr(round, name)
        for name in ("kind", "year", "name", "titles", "review_date", *DEADLINE_LABELS)
    }
    form = RoundForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_round(actor=request.user, round=round, **form.cleaned_data)
        except BusinessRuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("The round was saved."))
            return redirect("rounds:detail", round.pk)
    title = _("Change %(round)s") % {"round": round}
    return render(request, FORM_TEMPLATE, {"form": form, "title": title, "round": round})


@login_required
@require_POST
def round_close(request, pk: int):
    round = _round(request, pk)
    require(request.user, "rounds.change_round", round)
    reopen = round.status == RoundStatus.CLOSED
    try:
        services.close_round(actor=request.user, round=round, reopen=reopen)
    except BusinessRuleError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The round is open for nominations again.") if reopen else _("The round is closed."),
        )
    return redirect("rounds:detail", round.pk)


def _deadlines(round: Round) -> list[dict]:
    today = timezone.localdate()
    return [
        {
            "key": key,
            "label": DEADLINE_LABELS[key],
            "date": date,
            "past": bool(date and date < today),
        }
        for key, date in round.deadlines()
    ]


@login_required
def round_detail(request, pk: int):
    round = _round(request, pk)
    user = request.user
    visible = selectors.nominations_visible_to(user).filter(round=round)
    counts = selectors.state_counts(visible)
    can_manage = user.has_perm("rounds.change_round", round)
    can_list = user.has_perm("rounds.view_nomination_list")
    own = []
    if not can_list:
        own = list(visible.select_related("person", "unit").order_by("pk")[:100])
    context = {
        "round": round,
        "titles": [TitleCode(c).label for c in round.titles if c in TitleCode.values],
        "deadlines": _deadlines(round),
        "table": selectors.counts_table(counts),
        "total": sum(counts.values()),
        "can_manage": can_manage,
        "can_list": can_list,
        "can_nominate": round.status == RoundStatus.OPEN
        and user.has_perm("rounds.nominate", round),
        "own": own,
        "posting_form": PostingForm() if can_manage else None,
        "meetings": list(round.meetings.select_related("council")) if can_manage else [],
    }
    return render(request, "rounds/round_detail.html", context)


@login_required
def nomination_list(request, pk: int):
    """The officer's list of a round's dossiers, filtered and paginated (a unit head sees theirs)."""
    round = _round(request, pk)
    require(request.user, "rounds.view_nomination_list")
    units = selectors.filter_units(request.user)
    form = NominationFilterForm(request.GET, units=units, titles=selectors.title_choices_for(round))
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    listing = selectors.nomination_list(
        request.user,
        round,
        state=data.get("state") or None,
        unit=data.get("unit"),
        title=data.get("title") or None,
        q=data.get("q") or None,
        page=request.GET.get("page") or 1,
    )
    params = request.GET.copy()
    params.pop("page", None)
    without_state = params.copy()
    without_state.pop("state", None)
    return render(
        request,
        "rounds/nominations.html",
        {
            "round": round,
            "form": form,
            "listing": listing,
            "page": listing.page,
            "params": params.urlencode(),
            "state_params": without_state.urlencode(),
            "current_state": data.get("state") or "",
            # The rows link to "<prefix><pk>/": one reverse() for the page instead of one a row.
            "url_prefix": reverse("rounds:nomination", args=[0])[:-2],
        },
    )


def _picked(round: Round, values) -> list[tuple[object, str]]:
    """ "p12:LDTT" values of the ticked boxes → (subject, title); unknown subjects are dropped
    (the page only offers subjects of the agency; the service checks the scope)."""
    items = []
    for value in values:
        subject_value, _sep, title = value.partition(":")
        subject = selectors.person_or_unit(round.agency_id, subject_value)
        if subject is not None and title:
            items.append((subject, title))
    return items


def _nominate_one(request, round: Round, form: NominateOneForm):
    """Nominate the subject chosen in "someone else"; None when the form or a rule refuses."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    subject = selectors.person_or_unit(round.agency_id, data["subject"])
    try:
        if subject is None:
            raise BusinessRuleError(
                _("Search, then choose the person or unit to nominate."), field="subject"
            )
        return services.nominate(
            actor=request.user,
            round=round,
            subject=subject,
            title=data["title"],
            achievement_report=data["achievement_report"],
        )
    except BusinessRuleError as exc:
        add_rule_error(form, exc)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def nominate(request, pk: int):
    """Nominate, on one of two tabs: the eligible candidates of the user's scope, ticked (or all
    those listed) in bulk; or anyone of the scope found by a search, whom the engine then
    explains on the new dossier page (or, refused, in the error)."""
    round = _round(request, pk)
    require(request.user, "rounds.nominate", round)
    titles = selectors.title_choices_for(round)
    filters = CandidateFilterForm(
        request.GET, units=selectors.filter_units(request.user), titles=titles
    )
    filters.is_valid()
    chosen_unit = filters.cleaned_data.get("unit")
    chosen_title = filters.cleaned_data.get("title") or None
    query = filters.cleaned_data.get("q") or ""
    action = request.POST.get("action", "")
    one = NominateOneForm(request.POST if action == "one" else None, titles=titles)
    tab = "other" if (query or action == "one" or request.GET.get("tab") == "other") else "eligible"
    is_open = round.status == RoundStatus.OPEN
    error = ""
    if request.method == "POST" and action == "one":
        nomination = _nominate_one(request, round, one)
        if nomination is not None:
            messages.success(request, _("The nomination was created as a draft."))
            return redirect("rounds:nomination", nomination.pk)
    elif request.method == "POST":
        if action == "all":
            values = [
                c["value"]
                for c in selectors.candidates(
                    request.user, round, unit=chosen_unit, title=chosen_title
                )
            ]
        else:
            values = request.POST.getlist("pick")
        try:
            created = services.nominate_many(
                actor=request.user, round=round, subjects_titles=_picked(round, values)
            )
        except BusinessRuleError as exc:
            error = exc.message
        else:
            messages.success(
                request, _("%(n)s nominations were created as drafts.") % {"n": len(created)}
            )
            if request.user.has_perm("rounds.view_nomination_list"):
                return redirect(reverse("rounds:nominations", args=[round.pk]) + "?state=DRAFT")
            return redirect("rounds:detail", round.pk)
    found = []
    if is_open and tab == "eligible":
        found = selectors.candidates(request.user, round, unit=chosen_unit, title=chosen_title)
    return render(
        request,
        "rounds/nominate.html",
        {
            "round": round,
            "tab": tab,
            "filters": filters,
            "candidates": found[:CANDIDATES_SHOWN],
            "candidates_count": len(found),
            "candidates_more": max(len(found) - CANDIDATES_SHOWN, 0),
            "ticked": set(request.POST.getlist("pick")),
            "one": one,
            "query": query,
            "matches": selectors.subjects_in_reach(request.user, round, query=query),
            "error": error,
            "is_open": is_open,
            "filter_params": filters.data.urlencode() if hasattr(filters.data, "urlencode") else "",
        },
    )


@login_required
@require_POST
def pass_without_vote(request, pk: int):
    round = _round(request, pk)
    require(request.user, "rounds.change_round", round)
    try:
        count = services.pass_without_vote(actor=request.user, round=round)
    except BusinessRuleError as exc:
        messages.error(request, exc.message)
    else:
        if count:
            messages.success(
                request, _("%(n)s checked nominations passed without a vote.") % {"n": count}
            )
        else:
            messages.info(request, _("No checked nomination is waiting to pass without a vote."))
    return redirect("rounds:detail", round.pk)


@login_required
@require_POST
def posting_start(request, pk: int):
    round = _round(request, pk)
    require(request.user, "rounds.manage_posting", round)
    form = PostingForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("rounds:detail", round.pk)
    try:
        count = services.start_posting(
            actor=request.user, round=round, start=form.cleaned_data.get("start")
        )
    except BusinessRuleError as exc:
        messages.error(request, exc.message)
    else:
        if count:
            messages.success(
                request, _("%(n)s nominations are now posted publicly.") % {"n": count}
            )
        else:
            messages.info(request, _("No checked or passed nomination is waiting to be posted."))
    return redirect("rounds:detail", round.pk)
