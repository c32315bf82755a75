"""Forms of the rounds pages. They parse and check shapes; the services apply the rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thidua.core.forms import VnDateField
from thidua.org.forms import UnitChoiceField
from thidua.org.models import Unit
from thidua.records.enums import TitleCode
from thidua.rounds.models import NominationState, RoundKind


class RoundForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of round"), choices=RoundKind.choices)
    year = forms.IntegerField(
        label=_("Year assessed"),
        min_value=2000,
        max_value=2100,
        initial=lambda: timezone.localdate().year,
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=300,
        help_text=_("For example: Xét khen thưởng năm 2025"),
    )
    titles = forms.MultipleChoiceField(
        label=_("Titles and forms considered"),
        choices=TitleCode.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    review_date = VnDateField(
        label=_("Review date"),
        required=False,
        help_text=_("Leave empty for 31/12 of the year. It decides which rules apply."),
    )
    nominations_due = VnDateField(label=_("Units nominate by"), required=False)
    checks_due = VnDateField(label=_("The office checks by"), required=False)
    council_due = VnDateField(label=_("The council meets by"), required=False)
    decision_due = VnDateField(label=_("The director decides by"), required=False)


class NominationFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or code"), required=False, max_length=100)
    state = forms.ChoiceField(
        label=_("Step"),
        required=False,
        choices=[("", _("All steps")), *NominationState.choices],
    )
    title = forms.ChoiceField(label=_("Title or form"), required=False, choices=())
    unit = UnitChoiceField(
        label=_("Nominating unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("All units"),
    )

    def __init__(self, data, *, units, titles):
        super().__init__(data)
        self.fields["unit"].queryset = units
        self.fields["title"].choices = [("", _("All titles and forms")), *titles]


class CandidateFilterForm(forms.Form):
    unit = UnitChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All units")
    )
    title = forms.ChoiceField(label=_("Title or form"), required=False, choices=())
    q = forms.CharField(label=_("Search a person or unit"), required=False, max_length=100)

    def __init__(self, data, *, units, titles):
        super().__init__(data)
        self.fields["unit"].queryset = units
        self.fields["title"].choices = [("", _("All titles and forms")), *titles]


class NominateOneForm(forms.Form):
    subject = forms.RegexField(
        label=_("Person or unit"),
        regex=r"^[pu]\d{1,12}$",
        error_messages={
            "required": _("Search, then choose the person or unit to nominate."),
            "invalid": _("Search, then choose the person or unit to nominate."),
        },
    )
    title = forms.ChoiceField(label=_("Title or form"), choices=())
    achievement_report = forms.CharField(
        label=_("Achievement report"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("You can also write or upload it later, before submitting."),
    )

    def __init__(self, *args, titles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].choices = titles


class DossierForm(forms.Form):
    achievement_report = forms.CharField(
        label=_("Achievement report"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "class": "wide"}),
        help_text=_("Type the report here, or upload the signed file below (or both)."),
    )
    report_file = forms.FileField(
        label=_("Report file (PDF, Word…)"),
        required=False,
        help_text=_("Choose a file only to replace the one already uploaded."),
    )


class EvidenceForm(forms.Form):
    name = forms.CharField(
        label=_("What the file proves"),
        max_length=300,
        required=False,
        help_text=_("For example: Quyết định công nhận sáng kiến số 12/QĐ-STNMT"),
    )
    file = forms.FileField(label=_("File"))


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("What the unit must amend"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    amend_by = VnDateField(label=_("Amend by"))


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the nomination is withdrawn"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PostingForm(forms.Form):
    start = VnDateField(
        label=_("Posted from"), required=False, help_text=_("Leave empty for today.")
    )


class CommentForm(forms.Form):
    received_on = VnDateField(label=_("Received on"), initial=timezone.localdate)
    author = forms.CharField(label=_("From"), max_length=300, required=False)
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}))
