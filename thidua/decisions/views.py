"""Pages of decisions and submissions. Each view: scope → permission → form → one service.

Documents and rounds outside the user's agency answer 404 (`get_scoped_or_404` over a scoped
queryset); actions the user may not take answer 403 (`require` with a django-rules permission).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from thidua.core.errors import BusinessRuleError
from thidua.core.forms import add_rule_error
from thidua.core.shortcuts import get_scoped_or_404, require
from thidua.decisions import selectors, services
from thidua.decisions.forms import (
    CorrectForm,
    DraftForm,
    IssueForm,
    OutsideDecisionForm,
    ReasonForm,
    RemoveLinesForm,
    SendForm,
    SubmissionForm,
)
from thidua.decisions.models import Decision, DecisionStatus, Submission, SubmissionStatus

FORM_TEMPLATE = "decisions/form.html"


def _decision(request, pk: int) -> Decision:
    return get_scoped_or_404(
        selectors.decisions_visible_to(request.user).select_related("agency", "round", "replaces"),
        pk=pk,
    )


def _submission(request, pk: int) -> Submission:
    return get_scoped_or_404(
        selectors.submissions_visible_to(request.user).select_related("agency", "round"), pk=pk
    )


def _round(request, pk: int):
    return get_scoped_or_404(selectors.rounds_of_agency(request.user), pk=pk)


def _detail_url(decision: Decision) -> str:
    return reverse("decisions:detail", args=[decision.pk])


def _submission_url(submission: Submission) -> str:
    return reverse("decisions:submission", args=[submission.pk])


def _posted(request):
    """The form data of a POST (even an empty one, which `request.POST or None` would drop)."""
    return request.POST if request.method == "POST" else None


def _page(request, queryset):
    return Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def _signer_initial(request, document) -> dict:
    """The director who opens the form signs by default; otherwise the agency's director."""
    if selectors.directors_of(document.agency_id).filter(pk=request.user.pk).exists():
        return {"signer": request.user}
    return {}


def _form_page(request, form, *, document, back_url: str, title: str, intro: str, submit: str):
    """The shared page of one action on a decision or submission: its form, what it does, and
    the way back to the document."""
    context = {
        "form": form,
        "title": title,
        "back_label": f"{document} — {document.summary}",
        "intro": intro,
        "back_url": back_url,
        "submit": submit,
    }
    return render(request, FORM_TEMPLATE, context)


def _wrong_status(request, message: str, url: str):
    messages.error(request, message)
    return redirect(url)


# --- decisions --------------------------------------------------------------------------------


@login_required
def decision_list(request):
    """The agency's decisions, newest first, and the rounds waiting for one."""
    require(request.user, "decisions.view_decisions")
    can_draft = request.user.has_perm("decisions.prepare")
    context = {
        "page": _page(request, selectors.decision_list(request.user)),
        "waiting": selectors.rounds_waiting(request.user) if can_draft else [],
        "can_draft": can_draft,
    }
    return render(request, "decisions/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def draft(request, pk: int):
    """Put every passed nomination of a round that the director decides into one draft."""
    round_ = _round(request, pk)
    require(request.user, "decisions.draft_decision", round_)
    form = DraftForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.draft_decision(
                actor=request.user, round=round_, summary=form.cleaned_data["summary"]
            )
        except BusinessRuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("The draft decision was made. Check it, then issue it."))
            return redirect(_detail_url(decision))
    groups = selectors.group_lines(list(selectors.passed_to_decide(round_)))
    context = {"round": round_, "form": form, "groups": groups}
    return render(request, "decisions/draft.html", context)


@login_required
def detail(request, pk: int):
    """A decision: number, date, signer, its lists per title with their award records."""
    decision = _decision(request, pk)
    user = request.user
    context = {
        "page": selectors.decision_page(decision),
        "decision": decision,
        "can_issue": decision.status == DecisionStatus.DRAFT
        and user.has_perm("decisions.issue_decision", decision),
        "can_edit_draft": decision.status == DecisionStatus.DRAFT
        and user.has_perm("decisions.draft_decision", decision),
        "can_change": decision.status == DecisionStatus.ISSUED
        and user.has_perm("decisions.change_decision", decision),
    }
    return render(request, "decisions/detail.html", context)


@login_required
@require_POST
def remove_lines(request, pk: int):
    """Take the ticked lines out of a draft (a draft left empty is discarded)."""
    decision = _decision(request, pk)
    require(request.user, "decisions.draft_decision", decision)
    line_ids = decision.lines.values_list("pk", flat=True)
    form = RemoveLinesForm(request.POST, line_ids=list(line_ids))
    if not form.is_valid():
        return _wrong_status(request, _("Tick the lines to take out."), _detail_url(decision))
    try:
        left = services.remove_draft_lines(
            actor=request.user, decision=decision, lines=form.cleaned_data["lines"]
        )
    except BusinessRuleError as exc:
        return _wrong_status(request, exc.message, _detail_url(decision))
    if left is None:
        messages.success(request, _("The draft had no line left and was discarded."))
        return redirect("decisions:list")
    messages.success(request, _("The lines were taken out of the draft."))
    return redirect(_detail_url(decision))


@login_required
@require_http_methods(["GET", "POST"])
def issue(request, pk: int):
    """Enter who signed the decision and when; shows what still blocks it."""
    decision = _decision(request, pk)
    require(request.user, "decisions.issue_decision", decision)
    if decision.status != DecisionStatus.DRAFT:
        return _wrong_status(request, _("This decision was already issued."), _detail_url(decision))
    form = IssueForm(
        _posted(request), agency_id=decision.agency_id, initial=_signer_initial(request, decision)
    )
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.issue_decision(
                actor=request.user, **form.cleaned_data, decision=decision
            )
        except BusinessRuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(
                request,
                _("Decision %(number)s was issued and the awards were recorded.")
                % {"number": decision.reference},
            )
            return redirect(_detail_url(decision))
    lines = selectors.decision_lines(decision)
    blocked = selectors.blockers_of(
        [line.nomination for line in lines if line.nomination_id], timezone.localdate()
    )
    context = {
        "decision": decision,
        "form": form,
        "count": len(lines),
        "blocked": [
            (line, blocked[line.nomination_id]) for line in lines if line.nomination_id in blocked
        ],
        "title": _("Issue the decision"),
    }
    return render(request, "decisions/issue.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def revoke(request, pk: int):
    decision = _decision(request, pk)
    require(request.user, "decisions.change_decision", decision)
    if decision.status != DecisionStatus.ISSUED:
        return _wrong_status(
            request, _("Only an issued decision can be revoked."), _detail_url(decision)
        )
    form = ReasonForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_decision(
                actor=request.user, decision=decision, reason=form.cleaned_data["reason"]
            )
        except BusinessRuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(
                request, _("The decision was revoked; it and its awards stay in the history.")
            )
            return redirect(_detail_url(decision))
    return _form_page(
        request,
        form,
        document=decision,
        back_url=_detail_url(decision),
        title=_("Revoke decision %(decision)s") % {"decision": decision},
        intro=_("Its award records are revoked too. Nothing is deleted."),
        submit=_("Revoke the decision"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def correct(request, pk: int):
    """Issue a new decision replacing an issued one, optionally without some of its lines."""
    decision = _decision(request, pk)
    require(request.user, "decisions.change_decision", decision)
    if decision.status != DecisionStatus.ISSUED:
        return _wrong_status(
            request, _("Only an issued decision can be corrected."), _detail_url(decision)
        )
    lines = selectors.sort_subjects(list(decision.lines.select_related("person", "unit")))
    form = CorrectForm(
        _posted(request),
        agency_id=decision.agency_id,
        lines=lines,
        initial=_signer_initial(request, decision),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = services.correct_decision(
                actor=request.user,
                decision=decision,
                reason=data["reason"],
                signed_on=data["signed_on"],
                signer=data["signer"],
                remove_lines=data["remove_lines"],
                summary=data["summary"],
            )
        except BusinessRuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(
                request,
                _("Decision %(new)s replaces %(old)s; the old one stays in the history.")
                % {"new": new.reference, "old": decision.reference},
            )
            return redirect(_detail_url(new))
    return _form_page(
        request,
        form,
        document=decision,
        back_url=_detail_url(decision),
        title=_("Correct decision %(decision)s") % {"decision": decision},
        intro=_(
            "A new numbered decision replaces this one. The awards it keeps are corrected to the "
            "new number; the awards of the lines it drops are revoked."
        ),
        submit=_("Issue the correcting decision"),
    )


# --- submissions ------------------------------------------------------------------------------


@login_required
def submission_list(request):
    require(request.user, "decisions.view_decisions")
    can_forward = request.user.has_perm("decisions.prepare")
    context = {
        "page": _page(request, selectors.submission_list(request.user)),
        "waiting": selectors.rounds_waiting(request.user) if can_forward else [],
        "can_forward": can_forward,
    }
    return render(request, "decisions/submissions.html", context)


@login_required
def submission(request, pk: int):
    sub = _submission(request, pk)
    user = request.user
    context = {
        "submission": sub,
        "groups": selectors.submission_groups(sub),
        "can_send": sub.status == SubmissionStatus.DRAFT
        and user.has_perm("decisions.forward", sub),
        "can_record": sub.status == SubmissionStatus.SENT
        and user.has_perm("decisions.record_outside_decision", sub),
    }
    return render(request, "decisions/submission.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def submission_create(request, pk: int):
    """Gather the passed nominations a higher authority decides into a draft submission."""
    round_ = _round(request, pk)
    require(request.user, "decisions.forward", round_)
    form = SubmissionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            sub = services.create_submission(actor=request.user, round=round_, **form.cleaned_data)
        except BusinessRuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("The draft submission was made. Check it, then send it."))
            return redirect(_submission_url(sub))
    groups = selectors.group_lines(list(selectors.passed_to_forward(round_)))
    context = {"round": round_, "form": form, "groups": groups}
    return render(request, "decisions/submission_create.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def submission_send(request, pk: int):
    sub = _submission(request, pk)
    require(request.user, "decisions.forward", sub)
    if sub.status != SubmissionStatus.DRAFT:
        return _wrong_status(request, _("This submission was already sent."), _submission_url(sub))
    form = SendForm(
        _posted(request), agency_id=sub.agency_id, initial=_signer_initial(request, sub)
    )
    if request.method == "POST" and form.is_valid():
        try:
            sub = services.send_submission(actor=request.user, submission=sub, **form.cleaned_data)
        except BusinessRuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(
                request,
                _("Submission %(number)s was sent; its nominations are forwarded.")
                % {"number": sub},
            )
            return redirect(_submission_url(sub))
    return _form_page(
        request,
        form,
        document=sub,
        back_url=_submission_url(sub),
        title=_("Number and send the submission to %(authority)s") % {"authority": sub.authority},
        intro=_("The submission takes the next number of the agency's register when sent."),
        submit=_("Send"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def outside_decision(request, pk: int):
    """Record the higher authority's decision: tick each nomination it awards."""
    sub = _submission(request, pk)
    require(request.user, "decisions.record_outside_decision", sub)
    if sub.status != SubmissionStatus.SENT:
        return _wrong_status(
            request,
            _("Only a sent submission can receive the outside decision."),
            _submission_url(sub),
        )
    lines = [line for group in selectors.submission_groups(sub) for line in group.lines]
    form = OutsideDecisionForm(_posted(request), lines=lines, initial={"authority": sub.authority})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_outside_decision(
                actor=request.user,
                submission=sub,
                number=data["number"],
                date=data["date"],
                authority=data["authority"],
                results=form.results(),
            )
        except BusinessRuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("The outside decision was recorded."))
            return redirect(_submission_url(sub))
    context = {"submission": sub, "form": form}
    return render(request, "decisions/outside_decision.html", context)
