"""Changing an agency's settings. Each change is checked against the catalogue and audited."""

from django.db import transaction
from django.utils.translation import gettext as _

from thidua.audit.models import AuditAction
from thidua.audit.services import record
from thidua.core.errors import BusinessRuleError
from thidua.eligibility.catalogue import PERSON_TITLES, SETTING_DEFS
from thidua.eligibility.models import AgencySetting
from thidua.eligibility.selectors import agency_settings
from thidua.org.models import Agency
from thidua.records.enums import TitleCode


def _clean(key: str, value: object) -> object:
    definition = SETTING_DEFS.get(key)
    if definition is None:
        raise BusinessRuleError(_("Unknown setting %(key)s.") % {"key": key}, field="key")
    if definition.kind == "bool":
        if not isinstance(value, bool):
            raise BusinessRuleError(_("Choose yes or no."), field=key)
        return value
    if definition.kind == "titles":
        codes = value.split(",") if isinstance(value, str) else list(value or [])
        codes = [c.strip() for c in codes if c and c.strip()]
        if any(c not in TitleCode.values for c in codes):
            raise BusinessRuleError(_("Choose titles and forms from the list."), field=key)
        return ",".join(c for c in TitleCode.values if c in codes)
    if definition.kind == "choice":
        if value not in [c for c, _label in definition.choices]:
            raise BusinessRuleError(_("Choose one of the options offered."), field=key)
        return value
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise BusinessRuleError(_("Enter a whole number."), field=key) from None
    if not definition.minimum <= number <= definition.maximum:
        raise BusinessRuleError(
            _("Enter a number from %(min)s to %(max)s.")
            % {"min": definition.minimum, "max": definition.maximum},
            field=key,
        )
    return number


@transaction.atomic
def set_setting(*, actor, agency: Agency, key: str, value: object) -> None:
    """Set one of the agency's settings (catalogue.SETTINGS) and audit the change."""
    value = _clean(key, value)
    before = agency_settings(agency.pk).get(key)
    if before == value:
        return
    AgencySetting.objects.update_or_create(agency=agency, key=key, defaults={"value": value})
    record(
        actor=actor,
        agency_id=agency.pk,
        action=AuditAction.UPDATE,
        object_type="setting",
        object_id=key,
        object_repr=str(SETTING_DEFS[key].label),
        changes={key: [before, value]},
    )


@transaction.atomic
def set_custom_quotas(*, actor, agency: Agency, quotas: list[dict]) -> None:
    """Replace the quotas the agency adds: each `{code, title, base_title, percent}` limits the
    subjects eligible for `title` to ⌊percent × those eligible for `base_title`⌋ (for example
    Giấy khen ≤ 30% of LĐTT). The engine reports them with the legal quotas."""
    cleaned = []
    codes = set()
    for quota in quotas:
        code = str(quota.get("code", "")).strip().upper()
        title, base = quota.get("title"), quota.get("base_title")
        if not code or code in codes:
            raise BusinessRuleError(_("Each quota needs a code of its own."), field="code")
        if title not in PERSON_TITLES or base not in PERSON_TITLES:
            raise BusinessRuleError(
                _("A quota counts individual titles: choose them from the catalogue."),
                field="title",
            )
        percent = _clean("rating_quota_percent", quota.get("percent"))
        codes.add(code)
        cleaned.append({"code": code, "title": title, "base_title": base, "percent": percent})
    before = agency_settings(agency.pk)["custom_quotas"]
    if before == cleaned:
        return
    AgencySetting.objects.update_or_create(
        agency=agency, key="custom_quotas", defaults={"value": cleaned}
    )
    record(
        actor=actor,
        agency_id=agency.pk,
        action=AuditAction.UPDATE,
        object_type="setting",
        object_id="custom_quotas",
        object_repr=str(_("Quotas the agency adds")),
        changes={"custom_quotas": [before, cleaned]},
    )
