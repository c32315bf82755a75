"""Forms of the record pages. They only read and clean input; the services check the rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thidua.core.forms import VnDateField
from thidua.records.enums import (
    DisciplineKind,
    InitiativeKind,
    InitiativeScope,
    RatingLevel,
    SubjectKind,
    TitleCode,
    title_allows,
)
from thidua.records.models import Achievement
from thidua.records.services import MAX_DISCIPLINE_MONTHS, MIN_YEAR


def _this_year() -> int:
    return timezone.localdate().year


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Year"))
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("initial", _this_year)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric"})


class RatingForm(forms.Form):
    """One rating. People have months worked, maternity leave and the Đ24.1.b flag; units not.

    Only agency editors say whether the rating is the director's decision.
    """

    year = YearField()
    level = forms.ChoiceField(label=_("Rating"), choices=RatingLevel.choices)
    months_worked = forms.IntegerField(
        label=_("Months worked in the year"),
        min_value=0,
        max_value=12,
        initial=12,
        help_text=_(
            "12 minus the months of leave. Fewer than 6 (except maternity leave): not rated; "
            "leave of 3 to under 6 months: at most HTNV."
        ),
    )
    maternity_leave = forms.BooleanField(label=_("Maternity leave in the year"), required=False)
    self_reliant = forms.BooleanField(
        label=_("Self-reliant and united (Article 24.1.b, Law on Emulation and Commendation)"),
        required=False,
        initial=True,
    )
    rated_by_director = forms.BooleanField(label=_("Rated by the director"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, kind: str, director_field: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if kind == SubjectKind.UNIT:
            for name in ("months_worked", "maternity_leave", "self_reliant"):
                del self.fields[name]
        if not director_field:
            del self.fields["rated_by_director"]


def title_choices(kind: str) -> list[tuple[str, str]]:
    return [(code, label) for code, label in TitleCode.choices if title_allows(code, kind)]


class AwardForm(forms.Form):
    year = YearField()
    title = forms.ChoiceField(label=_("Title or form"))
    decision_number = forms.CharField(
        label=_("Decision number"), max_length=64, help_text=_("For example: 53/QĐ-STNMT")
    )
    decision_date = VnDateField(label=_("Decision date"))
    authority = forms.CharField(
        label=_("Decided by"),
        max_length=200,
        help_text=_("For example: Giám đốc Sở, Chủ tịch UBND tỉnh"),
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].choices = title_choices(kind)


class AwardCorrectForm(AwardForm):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=500,
        help_text=_("For example the decision that corrects it."),
    )


class AwardRevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"),
        max_length=500,
        help_text=_("For example the decision that revokes it."),
    )


class InitiativeForm(forms.Form):
    year = YearField()
    name = forms.CharField(label=_("Name of the initiative or topic"), max_length=500)
    scope = forms.ChoiceField(label=_("Scope"), choices=InitiativeScope.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=InitiativeKind.choices)


class DisciplineForm(forms.Form):
    decided_on = VnDateField(label=_("Decision date"))
    kind = forms.ChoiceField(label=_("Measure"), choices=DisciplineKind.choices)
    months = forms.IntegerField(
        label=_("Period (months)"), min_value=0, max_value=MAX_DISCIPLINE_MONTHS, initial=12
    )
    decision_number = forms.CharField(label=_("Decision number"), max_length=64, required=False)


class AchievementForm(forms.Form):
    year = YearField()
    kind = forms.ChoiceField(label=_("Kind"), choices=Achievement.Kind.choices)
    description = forms.CharField(label=_("Description"), max_length=500)


class YearChoiceForm(forms.Form):
    """The year of the bulk rating page (a GET form)."""

    year = YearField()


class RatingRowForm(forms.Form):
    """One person's row on the bulk rating page. An empty rating leaves the person as they are."""

    level = forms.ChoiceField(
        label=_("Rating"), choices=[("", "—"), *RatingLevel.choices], required=False
    )
    months_worked = forms.IntegerField(
        label=_("Months worked"), min_value=0, max_value=12, initial=12, required=False
    )
    maternity_leave = forms.BooleanField(label=_("Maternity leave"), required=False)
    self_reliant = forms.BooleanField(
        label=_("Self-reliant and united"), required=False, initial=True
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, person_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        # The column headers label the cells visually; screen readers hear whose cell it is.
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = f"{field.label} — {person_name}"
