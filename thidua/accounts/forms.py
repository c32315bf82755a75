from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.accounts.models import Role
from thidua.org.forms import UnitChoiceField
from thidua.org.models import Person, Unit


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.full_name} ({obj.staff_code})"


class UserRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    unit = UnitChoiceField(
        label=_("Unit (for a unit head)"), queryset=Unit.objects.none(), required=False
    )
    is_active = forms.BooleanField(label=_("May log in"), required=False, initial=True)
    password = forms.CharField(
        label=_("New password"),
        widget=forms.PasswordInput(render_value=False),
        required=False,
        min_length=8,
        help_text=_("At least 8 characters. Leave empty to keep the current password."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def roles(self) -> list[tuple[str, Unit | None]]:
        role = self.cleaned_data["role"]
        unit = self.cleaned_data["unit"] if role == Role.UNIT_HEAD else None
        roles = [(role, unit)]
        if role != Role.STAFF:
            roles.append((Role.STAFF, None))
        return roles


class UserCreateForm(UserRoleForm):
    username = forms.CharField(label=_("User name"), max_length=150)
    person = PersonChoiceField(label=_("Person"), queryset=Person.objects.none(), required=False)
    field_order = ["username", "person", "role", "unit", "password", "is_active"]

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["password"].required = True
        self.fields["password"].help_text = _("At least 8 characters.")
