"""Form pieces shared by every app: Vietnamese dates typed as dd/mm/yyyy."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    def __init__(self, attrs=None):
        base = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y")


class VnDateField(forms.DateField):
    widget = DateInput
    default_error_messages = {
        "invalid": _("Enter a real date as dd/mm/yyyy, for example 16/11/2022."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"])
        super().__init__(**kwargs)


def add_rule_error(form: forms.Form, exc) -> None:
    """Show a service's BusinessRuleError next to the field it names, or above the form."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)
