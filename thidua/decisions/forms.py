"""Forms of the decision and submission pages. They read and clean input; services check rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thidua.core.forms import VnDateField
from thidua.decisions import selectors


class SignerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        name = obj.get_full_name() or obj.get_username()
        if obj.person_id and obj.person.position:
            return f"{name} — {obj.person.position}"
        return name


def _signer_field(agency_id: int) -> SignerChoiceField:
    directors = selectors.directors_of(agency_id)
    return SignerChoiceField(
        label=_("Signed by"),
        queryset=directors,
        empty_label=None,
        initial=directors.first(),
        error_messages={"invalid_choice": _("Choose the signer among the agency's directors.")},
    )


class DraftForm(forms.Form):
    summary = forms.CharField(
        label=_("Subject of the decision (trích yếu)"),
        max_length=500,
        required=False,
        help_text=_("Leave empty for the usual wording."),
    )


class IssueForm(forms.Form):
    """Who signed and when. The signer defaults to the agency's director."""

    signed_on = VnDateField(label=_("Signed on"), initial=timezone.localdate)

    def __init__(self, *args, agency_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signer"] = _signer_field(agency_id)
        self.order_fields(["signer", "signed_on"])


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example the document that asks for it."),
    )


class CorrectForm(IssueForm):
    """A correcting decision: why, who signs and when, and which lines it drops."""

    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    summary = forms.CharField(
        label=_("Subject of the new decision (trích yếu)"), max_length=500, required=False
    )
    remove_lines = forms.TypedMultipleChoiceField(
        label=_("Lines the new decision drops"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Their awards are revoked; the other awards move to the new decision."),
    )

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remove_lines"].choices = [
            (line.pk, f"{line.get_title_display()}: {line.person or line.unit}") for line in lines
        ]
        self.order_fields(["reason", "signer", "signed_on", "summary", "remove_lines"])


class RemoveLinesForm(forms.Form):
    lines = forms.TypedMultipleChoiceField(coerce=int, widget=forms.MultipleHiddenInput)

    def __init__(self, *args, line_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lines"].choices = [(pk, pk) for pk in line_ids]
        self.fields["lines"].error_messages["required"] = _("Choose at least one line.")


class SubmissionForm(forms.Form):
    authority = forms.CharField(
        label=_("Sent to"),
        max_length=300,
        initial="Chủ tịch UBND tỉnh",
        help_text=_("For example Chủ tịch UBND tỉnh, or Bộ trưởng."),
    )
    summary = forms.CharField(
        label=_("Subject of the submission (trích yếu)"),
        max_length=500,
        required=False,
        help_text=_("Leave empty for the usual wording."),
    )


class SendForm(forms.Form):
    sent_on = VnDateField(label=_("Sent on"), initial=timezone.localdate)

    def __init__(self, *args, agency_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signer"] = _signer_field(agency_id)
        self.order_fields(["signer", "sent_on"])


class OutsideDecisionForm(forms.Form):
    """The higher authority's decision: its number, date, who decided, and a box per nomination
    ticked when awarded (unticked: refused)."""

    number = forms.CharField(
        label=_("Their decision number"), max_length=64, help_text=_("For example 123/QĐ-UBND")
    )
    date = VnDateField(label=_("Their decision date"))
    authority = forms.CharField(label=_("Decided by"), max_length=200)

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"n{line.nomination_id}"] = forms.BooleanField(
                label=str(line.nomination), required=False
            )

    def results(self) -> dict[int, bool]:
        return {
            line.nomination_id: bool(self.cleaned_data.get(f"n{line.nomination_id}"))
            for line in self.lines
        }

    def main_fields(self):
        return [self[name] for name in ("number", "date", "authority")]

    def nomination_fields(self):
        return [self[f"n{line.nomination_id}"] for line in self.lines]
