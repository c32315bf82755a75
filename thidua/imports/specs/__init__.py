"""The registry of import kinds. To add a kind (ratings, awards, …) write its `ImportSpec`
subclass in a module of this package and list an instance in `SPECS`."""

from django.utils.translation import gettext as _

from thidua.core.errors import BusinessRuleError
from thidua.imports.specs.awards import AwardsSpec
from thidua.imports.specs.base import ImportSpec, Plan, PlannedRow
from thidua.imports.specs.disciplines import DisciplinesSpec
from thidua.imports.specs.initiatives import InitiativesSpec
from thidua.imports.specs.ratings import RatingsSpec
from thidua.imports.specs.staff import StaffSpec
from thidua.imports.specs.units import UnitsSpec

SPECS: dict[str, ImportSpec] = {
    spec.kind: spec
    for spec in (
        UnitsSpec(),
        StaffSpec(),
        RatingsSpec(),
        AwardsSpec(),
        InitiativesSpec(),
        DisciplinesSpec(),
    )
}


def kinds() -> list[str]:
    return list(SPECS)


def get_spec(kind: str) -> ImportSpec:
    """The spec of `kind`; a BusinessRuleError names the kinds that exist."""
    try:
        return SPECS[kind]
    except KeyError:
        raise BusinessRuleError(
            _("Unknown import kind “%(kind)s”; choose one of: %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(SPECS)},
            field="kind",
            code="unknown_kind",
        ) from None


__all__ = ["SPECS", "ImportSpec", "Plan", "PlannedRow", "get_spec", "kinds"]
