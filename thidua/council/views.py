"""Pages of the council. Each view: scope → permission → form → one service → redirect.

Meetings outside the user's reach answer 404 (`meetings_visible_to`), actions the user may not
take answer 403 (`council.*` permissions in rules.py). A vote posted by someone who may not vote
is refused and written to the audit log (DENIED) before the 403/404 answer.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from thidua.accounts.selectors import scope_for
from thidua.core.errors import BusinessRuleError
from thidua.core.forms import add_rule_error
from thidua.core.shortcuts import get_scoped_or_404, require
from thidua.council import selectors, services
from thidua.council.forms import (
    AddMemberForm,
    AgendaForm,
    AttendanceForm,
    MeetingForm,
    SetupForm,
    TallyForm,
    VoteForm,
    member_label,
)
from thidua.council.models import AgendaItem, Attendance, CouncilMember, MeetingStatus

FORM_TEMPLATE = "council/form.html"


def _meeting(request, pk: int):
    return get_scoped_or_404(selectors.meetings_visible_to(request.user), pk=pk)


def _managed_meeting(request, pk: int):
    meeting = _meeting(request, pk)
    require(request.user, "council.manage", meeting)
    return meeting


def _council_in_office(request):
    return selectors.active_council(scope_for(request.user).agency_id)


def _managed_council(request):
    """The council in office, for those who manage it: 403 for others, 404 when there is none
    (the home page offers to set one up instead)."""
    require(request.user, "council.set_up")
    council = _council_in_office(request)
    if council is None:
        raise Http404
    require(request.user, "council.manage", council)
    return council


def _to_meeting(meeting):
    return redirect("council:meeting", meeting.pk)


# --- the council and its members --------------------------------------------------------------


@login_required
def home(request):
    """The council in office and its members; the meetings the user may open."""
    require(request.user, "council.view")
    council = _council_in_office(request)
    meetings = selectors.meetings_visible_to(request.user).order_by("-held_at", "-pk")
    return render(
        request,
        "council/home.html",
        {
            "council": council,
            "members": selectors.members_of(council) if council else [],
            "meetings": meetings[:100],
            "can_manage": council is not None and request.user.has_perm("council.manage", council),
            "can_set_up": council is None and request.user.has_perm("council.set_up"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    """Set up the agency's council: its name, the decision, the director as chair, members."""
    require(request.user, "council.set_up")
    agency = request.user.agency
    if agency is None:
        raise Http404
    if _council_in_office(request) is not None:
        return redirect("council:members")
    form = SetupForm(
        request.POST or None,
        users=selectors.agency_users(agency.pk),
        directors=selectors.director_ids(agency.pk),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_up_council(
                actor=request.user,
                agency=agency,
                name=data["name"],
                established_by=data["established_by"],
                members=form.seats(),
            )
        except BusinessRuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("The council was set up."))
            return redirect("council:home")
    intro = _(
        "The director chairs the council. Members are users of the agency; their staff record "
        "tells which nominations concern them or their unit, on which they do not vote."
    )
    return render(
        request, FORM_TEMPLATE, {"form": form, "title": _("Set up the council"), "intro": intro}
    )


@login_required
@require_http_methods(["GET", "POST"])
def members(request):
    """The members of the council in office; the officer adds a member or changes a role."""
    council = _managed_council(request)
    form = AddMemberForm(request.POST or None, users=selectors.agency_users(council.agency_id))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_member(
                actor=request.user,
                council=council,
                user=form.chosen_user(),
                role=form.cleaned_data["role"],
            )
        except BusinessRuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("The council's members were changed."))
            return redirect("council:members")
    return render(
        request,
        "council/members.html",
        {"council": council, "members": selectors.members_of(council), "form": form},
    )


@login_required
@require_POST
def member_remove(request, pk: int):
    seats = CouncilMember.objects.filter(
        council__in=selectors.councils_visible_to(request.user)
    ).select_related("council", "person", "user")
    member = get_scoped_or_404(seats, pk=pk)
    require(request.user, "council.manage", member.council)
    try:
        services.remove_member(actor=request.user, member=member)
    except BusinessRuleError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s left the council.") % {"name": member})
    return redirect("council:members")


# --- meetings ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    council = _managed_council(request)
    rounds = list(selectors.rounds_for_meetings(council.agency_id))
    form = MeetingForm(request.POST or None, rounds=rounds)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.schedule_meeting(
                actor=request.user,
                council=council,
                round=form.rounds.get(form.cleaned_data["round"]),
                held_at=form.held_at(),
                place=form.cleaned_data["place"],
                method=form.cleaned_data["method"],
            )
        except BusinessRuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("The meeting was scheduled. Now choose its agenda."))
            return redirect("council:agenda", meeting.pk)
    return render(request, FORM_TEMPLATE, {"form": form, "title": _("Schedule a council meeting")})


@login_required
def meeting(request, pk: int):
    """The meeting: its steps, attendance, agenda, ballot and — once closed — the results."""
    meeting = _meeting(request, pk)
    user = request.user
    can_manage = user.has_perm("council.manage", meeting)
    context = {
        "meeting": meeting,
        "can_manage": can_manage,
        "can_vote": user.has_perm("council.vote", meeting),
        "counts": sorted(selectors.agenda_counts(meeting).items()),
    }
    attendance = selectors.attendance_of(meeting)
    context["present"] = sum(1 for here in attendance.values() if here)
    context["recorded"] = len(attendance)
    if meeting.status == MeetingStatus.CLOSED:
        context["results"] = selectors.meeting_results(meeting)
    else:
        context["items"] = selectors.agenda(meeting)
    if meeting.status == MeetingStatus.VOTING:
        context["progress"] = selectors.vote_progress(meeting)
        if can_manage:
            context["absent"] = Attendance.objects.filter(
                meeting=meeting, present=False, member__active=True
            ).select_related("member__person", "member__user")
    return render(request, "council/meeting.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def agenda(request, pk: int):
    """Choose the checked nominations of the round for the agenda (or take one off)."""
    meeting = _managed_meeting(request, pk)
    candidates = list(selectors.checked_nominations(meeting))
    form = AgendaForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            items = services.set_agenda(
                actor=request.user, meeting=meeting, nominations=form.chosen()
            )
        except BusinessRuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(
                request, _("%(n)s nominations were put on the agenda.") % {"n": len(items)}
            )
            return redirect("council:agenda", meeting.pk)
    return render(
        request,
        "council/agenda.html",
        {
            "meeting": meeting,
            "form": form,
            "candidates": candidates,
            "items": selectors.agenda(meeting),
        },
    )


@login_required
@require_POST
def agenda_remove(request, pk: int):
    items = AgendaItem.objects.filter(
        meeting__in=selectors.meetings_visible_to(request.user)
    ).select_related("meeting__council", "nomination")
    item = get_scoped_or_404(items, pk=pk)
    require(request.user, "council.manage", item.meeting)
    try:
        nomination = services.remove_from_agenda(actor=request.user, item=item)
    except BusinessRuleError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("%(nomination)s was taken off the agenda.") % {"nomination": nomination}
        )
    return redirect("council:agenda", item.meeting_id)


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request, pk: int):
    meeting = _managed_meeting(request, pk)
    members = selectors.members_of(meeting.council)
    present = [pk for pk, here in selectors.attendance_of(meeting).items() if here]
    form = AttendanceForm(request.POST or None, members=members, initial={"present": present})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_attendance(
                actor=request.user,
                meeting=meeting,
                present_member_ids=form.cleaned_data["present"],
            )
        except BusinessRuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("The attendance was recorded."))
            return _to_meeting(meeting)
    return render(
        request,
        "council/attendance.html",
        {
            "meeting": meeting,
            "form": form,
            "members_total": len(members),
            "quorum": selectors.quorum_of(meeting),
        },
    )


@login_required
@require_POST
def open_ballot(request, pk: int):
    meeting = _managed_meeting(request, pk)
    try:
        services.open_ballot(actor=request.user, meeting=meeting)
    except BusinessRuleError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The ballot is open. The members were notified."))
    return _to_meeting(meeting)


@login_required
@require_POST
def close_ballot(request, pk: int):
    meeting = _managed_meeting(request, pk)
    if not request.POST.get("confirm"):
        # Closing cannot be undone: the officer ticks a box saying every vote is in.
        messages.error(
            request, _("Tick the box to confirm that every vote is in, then close the ballot.")
        )
        return _to_meeting(meeting)
    try:
        services.close_ballot(actor=request.user, meeting=meeting)
    except BusinessRuleError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The ballot is closed and the results are computed."))
    return _to_meeting(meeting)


# --- votes ------------------------------------------------------------------------------------


def _meeting_for_vote(request, pk: int):
    """The meeting, or 404; a vote posted to a meeting out of reach is logged as refused."""
    try:
        return _meeting(request, pk)
    except Http404:
        if request.method == "POST":
            services.record_refused_vote(
                actor=request.user,
                meeting_id=pk,
                reason=_("the meeting is out of the user's reach"),
            )
        raise


@login_required
@require_http_methods(["GET", "POST"])
def ballot(request, pk: int):
    """The member's own secret ballot: nobody else's choices are read or shown."""
    meeting = _meeting_for_vote(request, pk)
    if not request.user.has_perm("council.vote", meeting):
        if request.method == "POST":
            services.record_refused_vote(
                actor=request.user, meeting_id=meeting.pk, reason=_("not a member of the council")
            )
        raise PermissionDenied
    mine = selectors.my_ballot(request.user, meeting)
    votable = [row for row in mine.rows if not row.recused]
    initial = {}
    for row in votable:
        initial[f"c{row.item.pk}"], initial[f"r{row.item.pk}"] = row.choice, row.reason
    form = VoteForm(request.POST or None, items=[r.item for r in votable], initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.cast_votes(actor=request.user, meeting=meeting, choices=form.choices())
        except BusinessRuleError as exc:
            if exc.code in services.DENIED_CODES:
                raise PermissionDenied from None  # logged by the service
            add_rule_error(form, exc)
        else:
            messages.success(
                request,
                _("Your ballot was recorded. You may change it until the ballot is closed."),
            )
            return redirect("council:ballot", meeting.pk)
    return render(
        request,
        "council/ballot.html",
        {
            "meeting": meeting,
            "mine": mine,
            "form": form,
            "recused": [row for row in mine.rows if row.recused],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def written_votes(request, pk: int):
    """The officer enters the written vote of one absent member (pk: their attendance row)."""
    rows = Attendance.objects.filter(
        meeting__in=selectors.meetings_visible_to(request.user)
    ).select_related("meeting__council", "meeting__round", "member__person", "member__user")
    row = get_scoped_or_404(rows, pk=pk)
    meeting, member = row.meeting, row.member
    require(request.user, "council.manage", meeting)
    recused = selectors.recused_items(meeting, member)
    items = [i for i in selectors.agenda(meeting) if i.threshold_percent and i.pk not in recused]
    initial = {}
    for item_id, (choice, reason) in selectors.written_ballot(meeting, member).items():
        initial[f"c{item_id}"], initial[f"r{item_id}"] = choice, reason
    form = VoteForm(request.POST or None, items=items, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.enter_written_votes(
                actor=request.user, meeting=meeting, member=member, choices=form.choices()
            )
        except BusinessRuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(
                request, _("The written vote of %(name)s was entered.") % {"name": member}
            )
            return _to_meeting(meeting)
    return render(
        request,
        "council/written_votes.html",
        {
            "meeting": meeting,
            "member": member,
            "member_name": member_label(member),
            "row": row,
            "form": form,
            "recused": recused,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def paper_tally(request, pk: int):
    """The officer enters the counted paper ballots of every item, in one form."""
    meeting = _managed_meeting(request, pk)
    items = [i for i in selectors.agenda(meeting) if i.threshold_percent]
    initial = {}
    for item in items:
        initial.update(
            {f"y{item.pk}": item.yes, f"n{item.pk}": item.no, f"a{item.pk}": item.abstain}
        )
    recused = selectors.recused_counts(meeting)
    form = TallyForm(request.POST or None, items=items, recused=recused, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.enter_paper_tally(actor=request.user, meeting=meeting, tallies=form.tallies())
        except BusinessRuleError as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("The tally was entered."))
            return _to_meeting(meeting)
    return render(
        request,
        "council/paper_tally.html",
        {"meeting": meeting, "form": form},
    )
