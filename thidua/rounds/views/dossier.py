"""One nomination's dossier: its page, its edit page, the workflow's actions and its files.

The actions are POST-only. A step the rules refuse shows the dossier page again with the
service's message (status 200, nothing changed); a step done redirects to the dossier page.
"""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from thidua.core.errors import BusinessRuleError
from thidua.core.forms import add_rule_error
from thidua.core.shortcuts import get_scoped_or_404, require
from thidua.eligibility.catalogue import title_def
from thidua.eligibility.selectors import agency_settings
from thidua.rounds import selectors, services
from thidua.rounds.forms import (
    AnswerForm,
    CommentForm,
    DossierForm,
    EvidenceForm,
    ReturnForm,
    WithdrawForm,
)
from thidua.rounds.models import EDITABLE, TRANSITIONS, Evidence, NominationState, PostingComment
from thidua.rounds.services.dossier import HEAD_MAY_WITHDRAW

S = NominationState


def _nomination(request, pk: int):
    return get_scoped_or_404(
        selectors.nominations_visible_to(request.user).select_related(
            "round", "agency", "person__unit", "unit", "nominating_unit", "created_by"
        ),
        pk=pk,
    )


def next_action(user, nomination, *, vote_share: int) -> dict:
    """The one step the viewer may take now (or what the dossier waits for)."""
    state = nomination.state
    can_edit = user.has_perm("rounds.change_dossier", nomination)
    can_check = user.has_perm("rounds.check_dossier", nomination)
    if state in EDITABLE and can_edit:
        has_report = bool(nomination.achievement_report or nomination.report_file)
        return {"kind": "submit" if has_report else "write"}
    if state == S.SUBMITTED and can_check:
        return {"kind": "check"}
    if state == S.CHECKED and can_check:
        return {"kind": "council" if vote_share else "pass"}
    waiting = {
        S.DRAFT: _("The nominating unit is preparing the dossier."),
        S.RETURNED: _("The nominating unit is amending the dossier."),
        S.SUBMITTED: _("The office is checking the dossier."),
        S.CHECKED: _("Checked: waiting for the council or to pass without a vote."),
        S.BEFORE_COUNCIL: _("Before the council: waiting for the vote."),
        S.PASSED: _("Passed: waiting for the decision."),
        S.FORWARDED: _("Forwarded: waiting for the higher authority's decision."),
    }
    return {"kind": "wait", "message": waiting.get(state, _("Nothing more is to be done."))}


def _may_withdraw(user, nomination) -> bool:
    if S.WITHDRAWN not in TRANSITIONS.get(nomination.state, frozenset()):
        return False
    if user.has_perm("rounds.check_dossier", nomination):
        return True
    return nomination.state in HEAD_MAY_WITHDRAW and user.has_perm(
        "rounds.change_dossier", nomination
    )


CHANGE_LABELS = {
    "achievement_report": gettext_lazy("Achievement report"),
    "report_file": gettext_lazy("Report file"),
    "evidence": gettext_lazy("Evidence files"),
}


def _change_row(field: str, pair) -> dict:
    before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
    row = {"field": field, "label": CHANGE_LABELS.get(field, field), "text": ""}
    if field == "evidence":
        added = [x for x in after or [] if x not in (before or [])]
        removed = [x for x in before or [] if x not in (after or [])]
        parts = []
        if added:
            parts.append(_("added %(names)s") % {"names": ", ".join(added)})
        if removed:
            parts.append(_("removed %(names)s") % {"names": ", ".join(removed)})
        row["text"] = "; ".join(parts)
    elif field == "achievement_report":
        row["text"] = _("rewritten")
        row["before"], row["after"] = before or "", after or ""
    else:
        row["text"] = f"{before or '—'} → {after or '—'}"
    return row


def history_rows(steps) -> list[dict]:
    """The steps of the history with what changed in a resubmitted dossier, ready to show."""
    rows = []
    for step in steps:
        changes = [_change_row(f, pair) for f, pair in (step.changes or {}).items()]
        resubmitted = step.from_state == S.RETURNED and step.to_state == S.SUBMITTED
        rows.append({"step": step, "changes": changes, "resubmitted": resubmitted})
    return rows


def _page(request, nomination, *, status: int = 200, error: str = "", **forms):
    """The dossier page, with the forms of its actions (bound ones when a step was refused)."""
    user = request.user
    settings = agency_settings(nomination.agency_id)
    steps = selectors.history(nomination)
    vote_share = selectors.vote_share_for(nomination, settings=settings)
    try:
        definition = title_def(nomination.title, nomination.subject_kind)
    except StopIteration:
        definition = None
    can_post = user.has_perm("rounds.manage_posting", nomination)
    comments = list(nomination.posting_comments.select_related("answered_by"))
    context = {
        "nomination": nomination,
        "round": nomination.round,
        "subject": nomination.subject,
        "definition": definition,
        "indicator": selectors.step_indicator(nomination, steps),
        "steps": steps,
        "history_rows": history_rows(steps),
        "evidence": list(nomination.evidence.all()),
        "action": next_action(user, nomination, vote_share=vote_share),
        "vote_share": vote_share,
        "can_edit": nomination.state in EDITABLE
        and user.has_perm("rounds.change_dossier", nomination),
        "can_withdraw": _may_withdraw(user, nomination),
        "needs_posting": selectors.needs_posting(nomination, settings),
        "comments": comments,
        "can_post": can_post,
        "blockers": selectors.decision_blockers_many([nomination], timezone.localdate()).get(
            nomination.pk, []
        ),
        "return_form": forms.get("return_form") or ReturnForm(),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
        "comment_form": forms.get("comment_form") or (CommentForm() if can_post else None),
        "answer_form": forms.get("answer_form"),
        "answer_for": forms.get("answer_for"),
        "error": error,
    }
    return render(request, "rounds/nomination.html", context, status=status)


@login_required
def nomination_detail(request, pk: int):
    return _page(request, _nomination(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def nomination_edit(request, pk: int):
    """The dossier's contents: the achievement report (typed or a file) and the evidence files."""
    nomination = _nomination(request, pk)
    require(request.user, "rounds.change_dossier", nomination)
    form = DossierForm(
        request.POST or None,
        request.FILES or None,
        initial={"achievement_report": nomination.achievement_report},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_dossier(
                actor=request.user,
                nomination=nomination,
                achievement_report=form.cleaned_data["achievement_report"],
                report_file=form.cleaned_data.get("report_file"),
            )
        except BusinessRuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("The dossier was saved."))
            return redirect("rounds:nomination", nomination.pk)
    return _edit_page(request, nomination, form=form)


def _edit_page(request, nomination, *, form=None, evidence_form=None, status: int = 200):
    return render(
        request,
        "rounds/nomination_edit.html",
        {
            "nomination": nomination,
            "form": form
            or DossierForm(initial={"achievement_report": nomination.achievement_report}),
            "evidence_form": evidence_form or EvidenceForm(),
            "evidence": list(nomination.evidence.all()),
            "editable": nomination.state in EDITABLE,
            "report_file_name": selectors.file_name(nomination.report_file),
        },
        status=status,
    )


def _act(request, pk: int, perm: str, step, done: str, form_class=None, form_name: str = ""):
    """Run one workflow step from a POST: scope → permission → form → service → redirect."""
    nomination = _nomination(request, pk)
    require(request.user, perm, nomination)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        return _page(request, nomination, **{form_name: form})
    try:
        step(nomination, form.cleaned_data if form is not None else {})
    except BusinessRuleError as exc:
        if form is not None:
            add_rule_error(form, exc)
            return _page(request, nomination, **{form_name: form})
        return _page(request, nomination, error=exc.message)
    messages.success(request, done)
    return redirect("rounds:nomination", nomination.pk)


@login_required
@require_POST
def submit(request, pk: int):
    return _act(
        request,
        pk,
        "rounds.change_dossier",
        lambda n, _data: services.submit(actor=request.user, nomination=n),
        _("The dossier was sent to the office."),
    )


@login_required
@require_POST
def return_for_amendment(request, pk: int):
    return _act(
        request,
        pk,
        "rounds.check_dossier",
        lambda n, data: services.return_for_amendment(
            actor=request.user, nomination=n, reason=data["reason"], amend_by=data["amend_by"]
        ),
        _("The dossier was returned to the unit for amendment; the unit is notified."),
        ReturnForm,
        "return_form",
    )


@login_required
@require_POST
def check(request, pk: int):
    return _act(
        request,
        pk,
        "rounds.check_dossier",
        lambda n, _data: services.mark_checked(actor=request.user, nomination=n),
        _("The dossier is marked as checked."),
    )


@login_required
@require_POST
def withdraw(request, pk: int):
    return _act(
        request,
        pk,
        "rounds.change_dossier",
        lambda n, data: services.withdraw(actor=request.user, nomination=n, reason=data["reason"]),
        _("The nomination was withdrawn."),
        WithdrawForm,
        "withdraw_form",
    )


@login_required
@require_POST
def evidence_add(request, pk: int):
    nomination = _nomination(request, pk)
    require(request.user, "rounds.change_dossier", nomination)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_evidence(
                actor=request.user,
                nomination=nomination,
                name=form.cleaned_data["name"],
                file=form.cleaned_data["file"],
            )
        except BusinessRuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("The file was added to the dossier."))
            return redirect("rounds:nomination_edit", nomination.pk)
    return _edit_page(request, nomination, evidence_form=form)


def _evidence(request, pk: int) -> Evidence:
    visible = selectors.nominations_visible_to(request.user)
    return get_scoped_or_404(
        Evidence.objects.select_related("nomination__nominating_unit").filter(
            nomination__in=visible
        ),
        pk=pk,
    )


@login_required
@require_POST
def evidence_remove(request, pk: int):
    evidence = _evidence(request, pk)
    nomination = evidence.nomination
    require(request.user, "rounds.change_dossier", nomination)
    try:
        services.remove_evidence(actor=request.user, evidence=evidence)
    except BusinessRuleError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The file was removed from the dossier."))
    return redirect("rounds:nomination_edit", nomination.pk)


def _download(file):
    """The file as an attachment. Read whole (dossier files are at most the upload limit), so
    that the response is an ordinary one that middleware and tests can read."""
    if not file or not file.storage.exists(file.name):
        raise Http404
    name = selectors.file_name(file)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    with file.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@login_required
def evidence_file(request, pk: int):
    """An evidence file, for whoever may read the dossier; never served from a public URL."""
    return _download(_evidence(request, pk).file)


@login_required
def report_file(request, pk: int):
    return _download(_nomination(request, pk).report_file)


@login_required
@require_POST
def comment_add(request, pk: int):
    return _act(
        request,
        pk,
        "rounds.manage_posting",
        lambda n, data: services.record_comment(actor=request.user, nomination=n, **data),
        _("The comment was recorded. Answer it before the decision."),
        CommentForm,
        "comment_form",
    )


@login_required
@require_POST
def comment_answer(request, pk: int):
    visible = selectors.nominations_visible_to(request.user)
    comment = get_scoped_or_404(
        PostingComment.objects.select_related("nomination").filter(nomination__in=visible), pk=pk
    )
    nomination = _nomination(request, comment.nomination_id)
    require(request.user, "rounds.manage_posting", nomination)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_comment(
                actor=request.user, comment=comment, answer=form.cleaned_data["answer"]
            )
        except BusinessRuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("The answer was recorded."))
            return redirect("rounds:nomination", nomination.pk)
    return _page(request, nomination, answer_form=form, answer_for=comment.pk)
