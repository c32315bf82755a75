from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thidua.eligibility.catalogue import SETTINGS, TITLES
from thidua.org.forms import UnitChoiceField
from thidua.org.models import Unit
from thidua.records.enums import TitleCode


def _title_choices():
    seen, choices = set(), [("", _("All titles and forms"))]
    for t in TITLES:
        if t.evaluated and t.code not in seen:
            seen.add(t.code)
            choices.append((t.code, t.name))
    return choices


class EligibilityFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    unit = UnitChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All units")
    )
    title = forms.ChoiceField(label=_("Title or form"), required=False, choices=_title_choices)
    only_eligible = forms.BooleanField(label=_("Only those who qualify"), required=False)

    def __init__(self, data, *, units):
        data = data.copy()
        data.setdefault("year", str(timezone.localdate().year))
        data.setdefault("title", "LDTT")
        super().__init__(data)
        self.fields["unit"].queryset = units


class SettingsForm(forms.Form):
    """One field per catalogue setting, labelled with its legal basis."""

    def __init__(self, *args, values: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for definition in SETTINGS:
            help_text = _("Legal basis: %(basis)s. Default: %(default)s.") % {
                "basis": definition.basis,
                "default": definition.default,
            }
            common = {
                "label": definition.label,
                "help_text": help_text,
                "initial": values[definition.key],
            }
            if definition.kind == "bool":
                field = forms.BooleanField(required=False, **common)
            elif definition.kind == "titles":
                common["initial"] = [c for c in str(common["initial"]).split(",") if c]
                field = forms.MultipleChoiceField(
                    choices=TitleCode.choices,
                    widget=forms.CheckboxSelectMultiple,
                    required=False,
                    **common,
                )
            elif definition.kind == "choice":
                field = forms.ChoiceField(choices=definition.choices, **common)
            else:
                field = forms.IntegerField(
                    min_value=definition.minimum, max_value=definition.maximum, **common
                )
            self.fields[definition.key] = field
