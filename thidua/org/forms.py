from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thidua.core.forms import LongSelect, VnDateField
from thidua.org.models import EmploymentType, Gender, Unit, UnitKind


def _indented(name: str, path: str) -> str:
    return f"{'— ' * max(path.count('/') - 2, 0)}{name}"


class _UnitRows(forms.models.ModelChoiceIterator):
    """Choices from (id, name, path) rows: a province's 1,500 units without 1,500 model objects."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, name, path in self.queryset.values_list("pk", "name", "path"):
            yield (pk, _indented(name, path))


class UnitChoiceField(forms.ModelChoiceField):
    """A unit, indented by its depth in the tree (as `Unit.depth` counts it)."""

    iterator = _UnitRows
    widget = LongSelect

    def label_from_instance(self, obj: Unit) -> str:
        return f"{'— ' * obj.depth}{obj.name}"


class PersonForm(forms.Form):
    staff_code = forms.CharField(label=_("Staff code"), max_length=32)
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    birth_date = VnDateField(label=_("Birth date"), required=False)
    employment_type = forms.ChoiceField(label=_("Employment type"), choices=EmploymentType.choices)
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    position = forms.CharField(label=_("Position"), max_length=150, required=False)
    recruited_on = VnDateField(label=_("Recruited on"), required=False)
    left_on = VnDateField(label=_("Left on"), required=False)
    effective_on = VnDateField(
        label=_("Change of unit or position takes effect on"),
        required=False,
        help_text=_("Leave empty for today."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class UnitCreateForm(forms.Form):
    code = forms.CharField(label=_("Unit code"), max_length=32)
    name = forms.CharField(label=_("Unit name"), max_length=255)
    kind = forms.ChoiceField(label=_("Unit kind"), choices=UnitKind.choices)
    parent = UnitChoiceField(label=_("Parent unit"), queryset=Unit.objects.none(), required=False)
    established_on = VnDateField(label=_("Established on"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = units


class UnitChangeForm(forms.Form):
    name = forms.CharField(label=_("Unit name"), max_length=255)
    kind = forms.ChoiceField(label=_("Unit kind"), choices=UnitKind.choices)
    parent = UnitChoiceField(label=_("Parent unit"), queryset=Unit.objects.none(), required=False)
    date = VnDateField(
        label=_("Takes effect on"), initial=timezone.localdate, help_text=_("dd/mm/yyyy")
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = units


class UnitMergeForm(forms.Form):
    target = UnitChoiceField(label=_("Merge into"), queryset=Unit.objects.none())
    date = VnDateField(label=_("Takes effect on"), initial=timezone.localdate)
    note = forms.CharField(label=_("Decision or note"), max_length=500, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = units


class UnitDissolveForm(forms.Form):
    date = VnDateField(label=_("Takes effect on"), initial=timezone.localdate)
    note = forms.CharField(label=_("Decision or note"), max_length=500, required=False)


class UnitCodeField(forms.CharField):
    """A unit typed by its code: for scopes of many units, where a list would be too long."""

    def __init__(self, *, units, **kwargs):
        super().__init__(max_length=32, **kwargs)
        self.units = units

    def clean(self, value):
        code = super().clean(value).strip().upper()
        if not code:
            return None
        unit = self.units.filter(code=code).first()
        if unit is None:
            raise forms.ValidationError(_("No unit has the code %(code)s.") % {"code": code})
        return unit


class PeopleSearchForm(forms.Form):
    # Beyond this many units a drop-down list is too long to read (and to send): type the code.
    MAX_LISTED_UNITS = 100

    q = forms.CharField(label=_("Search by name or staff code"), required=False, max_length=100)

    def __init__(self, *args, units, unit_rows, **kwargs):
        """`unit_rows`: the (id, name, path) rows to offer (`selectors.unit_options`), or None
        when there are too many: the unit is then typed by its code."""
        super().__init__(*args, **kwargs)
        if unit_rows is None:
            self.fields["unit"] = UnitCodeField(units=units, label=_("Unit code"), required=False)
        else:
            field = UnitChoiceField(
                label=_("Unit"), queryset=units, required=False, empty_label=_("All units")
            )
            # The rows already read (and cached): no query to show the list, one to check a
            # submitted choice against `units`.
            field.choices = [("", field.empty_label)] + [
                (pk, _indented(name, path)) for pk, name, path in unit_rows
            ]
            self.fields["unit"] = field
