"""Forms of the council pages. They read and clean input; the services check the rules."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thidua.core.forms import VnDateField
from thidua.council.models import MemberRole, VoteChoice, VotingMethod
from thidua.council.services.common import REASON_MAX

VOTE_CHOICES = [
    (VoteChoice.YES.value, _("Agree")),
    (VoteChoice.NO.value, _("Disagree")),
    (VoteChoice.ABSTAIN.value, _("Abstain")),
]


def member_label(member) -> str:
    """The member's name: their staff record's, else the login's full name, else the login."""
    if member.person_id:
        return str(member.person)
    return member.user.get_full_name() or member.user.get_username()


def _user_label(user) -> str:
    name = user.get_full_name() or (str(user.person) if user.person_id else "")
    return f"{name} ({user.get_username()})" if name else user.get_username()


class SetupForm(forms.Form):
    """The council's name, the decision that set it up, its chair (a director) and members."""

    name = forms.CharField(
        label=_("Name of the council"),
        max_length=300,
        initial="Hội đồng Thi đua - Khen thưởng",
    )
    established_by = forms.CharField(
        label=_("Set up by decision"),
        max_length=200,
        required=False,
        help_text=_("Number and date of the decision, for example 15/QĐ-STNMT ngày 10/01/2024."),
    )
    chair = forms.TypedChoiceField(label=_("Chair (the director)"), coerce=int)
    vice_chair = forms.TypedChoiceField(label=_("Vice chair"), coerce=int, required=False)
    secretary = forms.TypedChoiceField(
        label=_("Standing member, secretary"), coerce=int, required=False
    )
    members = forms.TypedMultipleChoiceField(
        label=_("Members"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, users: list, directors: set[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.users = {u.pk: u for u in users}
        everyone = [(u.pk, _user_label(u)) for u in users]
        self.fields["chair"].choices = [("", "—")] + [
            (pk, label) for pk, label in everyone if pk in directors
        ]
        self.fields["vice_chair"].choices = [("", "—"), *everyone]
        self.fields["secretary"].choices = [("", "—"), *everyone]
        self.fields["members"].choices = everyone

    def seats(self) -> list[tuple]:
        """[(user, role)] in the order chair, vice chair, secretary, members; each user once."""
        data = self.cleaned_data
        seats, seen = [], set()
        named = [
            (data.get("chair"), MemberRole.CHAIR),
            (data.get("vice_chair"), MemberRole.VICE_CHAIR),
            (data.get("secretary"), MemberRole.SECRETARY),
        ]
        named += [(pk, MemberRole.MEMBER) for pk in data.get("members", [])]
        for pk, role in named:
            if pk in (None, "") or pk in seen:
                continue
            seen.add(pk)
            seats.append((self.users[pk], role))
        return seats


class AddMemberForm(forms.Form):
    user = forms.TypedChoiceField(label=_("User"), coerce=int)
    role = forms.ChoiceField(label=_("Role in the council"), choices=MemberRole.choices)

    def __init__(self, *args, users: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.users = {u.pk: u for u in users}
        self.fields["user"].choices = [("", "—")] + [(u.pk, _user_label(u)) for u in users]
        self.fields["role"].initial = MemberRole.MEMBER

    def chosen_user(self):
        return self.users[self.cleaned_data["user"]]


class MeetingForm(forms.Form):
    round = forms.TypedChoiceField(label=_("Award round"), coerce=int)
    date = VnDateField(label=_("Date of the meeting"))
    time = forms.TimeField(
        label=_("Time"),
        input_formats=["%H:%M", "%Hh%M", "%H.%M"],
        initial=datetime.time(8, 0),
        widget=forms.TimeInput(format="%H:%M", attrs={"placeholder": "08:00"}),
        error_messages={"invalid": _("Enter the time as hh:mm, for example 14:30.")},
    )
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    method = forms.ChoiceField(
        label=_("How the council votes"),
        choices=VotingMethod.choices,
        initial=VotingMethod.ONLINE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.rounds = {r.pk: r for r in rounds}
        self.fields["round"].choices = [("", "—")] + [(r.pk, str(r)) for r in rounds]

    def held_at(self) -> datetime.datetime:
        data = self.cleaned_data
        return timezone.make_aware(datetime.datetime.combine(data["date"], data["time"]))


class AttendanceForm(forms.Form):
    present = forms.TypedMultipleChoiceField(
        label=_("Members present"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, members: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(m.pk, f"{m} — {m.get_role_display()}") for m in members]


class AgendaForm(forms.Form):
    """The checked nominations to put on the agenda, or all of them (`everything`)."""

    nominations = forms.TypedMultipleChoiceField(
        label=_("Nominations"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    everything = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, candidates: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.fields["nominations"].choices = [(n.pk, str(n)) for n in candidates]

    def clean(self):
        data = super().clean()
        if not data.get("everything") and not data.get("nominations"):
            raise forms.ValidationError(_("Tick at least one nomination."))
        return data

    def chosen(self) -> list[int]:
        if self.cleaned_data.get("everything"):
            return [n.pk for n in self.candidates]
        return self.cleaned_data["nominations"]


class VoteForm(forms.Form):
    """A ballot: for each item an optional choice (c<id>) and a reason (r<id>).

    Items left blank are not voted (yet). Abstaining needs a reason.
    """

    def __init__(self, *args, items: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"c{item.pk}"] = forms.ChoiceField(
                label=str(item.nomination),
                choices=VOTE_CHOICES,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"r{item.pk}"] = forms.CharField(
                label=_("Reason"), max_length=REASON_MAX, required=False
            )

    def rows(self):
        """(item, choice field, reason field) for the template."""
        return [(item, self[f"c{item.pk}"], self[f"r{item.pk}"]) for item in self.items]

    def clean(self):
        data = super().clean()
        chosen = 0
        for item in self.items:
            choice = data.get(f"c{item.pk}")
            if not choice:
                continue
            chosen += 1
            if choice == VoteChoice.ABSTAIN and not (data.get(f"r{item.pk}") or "").strip():
                self.add_error(f"r{item.pk}", _("Write why you abstain."))
        if not chosen and not self.errors:
            raise forms.ValidationError(
                _("Choose Agree, Disagree or Abstain for at least one item.")
            )
        return data

    def choices(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {
            item.pk: (data[f"c{item.pk}"], data.get(f"r{item.pk}", ""))
            for item in self.items
            if data.get(f"c{item.pk}")
        }


class TallyForm(forms.Form):
    """Counted paper ballots: yes (y<id>), no (n<id>), abstain (a<id>) per item."""

    def __init__(self, *args, items: list, recused: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        self.recused = recused
        for item in items:
            for prefix, label in (("y", _("Agree")), ("n", _("Disagree")), ("a", _("Abstain"))):
                self.fields[f"{prefix}{item.pk}"] = forms.IntegerField(
                    label=label,
                    min_value=0,
                    initial=0,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "count"}),
                )

    def rows(self):
        return [
            (
                item,
                self[f"y{item.pk}"],
                self[f"n{item.pk}"],
                self[f"a{item.pk}"],
                self.recused.get(item.pk, 0),
            )
            for item in self.items
        ]

    def tallies(self) -> dict[int, tuple[int, int, int]]:
        data = self.cleaned_data
        return {
            item.pk: (data[f"y{item.pk}"], data[f"n{item.pk}"], data[f"a{item.pk}"])
            for item in self.items
        }
