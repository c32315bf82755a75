"""The agency's register of numbered documents (sổ đăng ký văn bản).

Numbers run 1, 2, 3… per agency, kind and year, with no gap and no repeat: a number is taken
under a row lock inside the transaction that issues the document, so a concurrent issue waits
for it, and an issue that fails rolls its number back with everything else.
"""

from django.db import IntegrityError, transaction

from thidua.decisions.models import DocumentKind, Register

# "12/QĐ-STNMT", "5/TTr-STNMT": the kind's abbreviation, then the agency's symbol
# (Nghị định 30/2020/NĐ-CP, Phụ lục III).
PREFIXES = {DocumentKind.DECISION: "QĐ", DocumentKind.SUBMISSION: "TTr"}


def symbol_for(agency, kind: str) -> str:
    """ "QĐ-STNMT" for a decision of an agency whose symbol is STNMT."""
    prefix = PREFIXES[DocumentKind(kind)]
    return f"{prefix}-{agency.symbol}" if agency.symbol else prefix


def _locked_register(*, agency, kind: str, year: int) -> Register:
    """The register row under a row lock, created first when this is the year's first document.

    Two transactions may both find no row: each creates it inside a savepoint, the loser gets
    the unique constraint's IntegrityError (after the winner commits, on PostgreSQL) and then
    locks the winner's row.
    """
    for _attempt in range(3):
        found = (
            Register.objects.select_for_update().filter(agency=agency, kind=kind, year=year).first()
        )
        if found is not None:
            return found
        try:
            with transaction.atomic():
                Register.objects.create(agency=agency, kind=kind, year=year, last_number=0)
        except IntegrityError:
            continue
    raise RuntimeError(f"register {agency.pk}/{kind}/{year} could not be locked")


@transaction.atomic
def next_number(*, agency, kind: str, year: int) -> int:
    """Take the next number of the agency's register of `kind` for `year`.

    Call it inside the transaction that issues the document: the register row stays locked until
    that transaction ends, so numbers are consecutive and unique, and a failure after this call
    gives the number back (no gap in the register).
    """
    register = _locked_register(agency=agency, kind=kind, year=year)
    register.last_number += 1
    register.save(update_fields=["last_number"])
    return register.last_number
