from django import forms
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from thidua.core.forms import LongSelect, VnDateField
from thidua.org.models import EmploymentType, Gender, Unit, UnitKind
from thidua.org.selectors import UnitOption


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


class _CodeInput(forms.TextInput):
    """A text box written in Python, like `LongSelect`: the same HTML as Django's template for
    it, which costs 0.2 ms on every people list, a sixth of the list's own budget."""

    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        shown = "" if value is None else f' value="{escape(value)}"'
        attrs = "".join(
            f" {key}" if setting is True else f' {key}="{escape(setting)}"'
            for key, setting in self.build_attrs(self.attrs, attrs).items()
            if setting is not False
        )
        return mark_safe(f'<input type="{self.input_type}" name="{escape(name)}"{shown}{attrs}>')


class PeopleSearchForm(forms.Form):
    """The people list's search box and unit filter; `unit` cleans to a `Unit` or None."""

    # Beyond this many units a drop-down list is too long to read (and to send): type the code.
    MAX_LISTED_UNITS = 100

    q = forms.CharField(label=_("Search by name or staff code"), required=False, max_length=100)

    def __init__(self, *args, units: list[UnitOption], **kwargs):
        """`units`: the units the user may filter on, in tree order (`PeopleList.units()`).
        Checking a choice against them needs no query; only the chosen unit is read."""
        super().__init__(*args, **kwargs)
        self.units = units
        self.lists_units = len(units) <= self.MAX_LISTED_UNITS
        if self.lists_units:
            self.fields["unit"] = forms.TypedChoiceField(
                label=_("Unit"),
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", _("All units"))]
                + [(unit.pk, _indented(unit.name, unit.path)) for unit in units],
                widget=LongSelect,
            )
        else:
            self.fields["unit"] = forms.CharField(
                label=_("Unit code"), required=False, max_length=32, widget=_CodeInput
            )

    def clean_unit(self) -> Unit | None:
        value = self.cleaned_data["unit"]
        if self.lists_units:
            pk = value
        else:
            code = value.upper()
            if not code:
                return None
            pk = next((unit.pk for unit in self.units if unit.code == code), None)
            if pk is None:
                raise forms.ValidationError(_("No unit has the code %(code)s.") % {"code": code})
        return None if pk is None else Unit.objects.filter(pk=pk).first()
