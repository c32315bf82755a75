"""Importing a file of units or staff: check everything, then write all of it or nothing.

The file is read, every cell parsed and the rows checked together; any problem refuses the whole
file and nothing is written. Otherwise the rows are applied through the org services (which write
their own audit rows) in one transaction, and one IMPORT audit row records the counts. Rows that
match the database exactly are left alone, so importing the same file twice changes nothing.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.audit.models import AuditAction
from thidua.audit.services import record
from thidua.core.errors import BusinessRuleError
from thidua.imports.models import ImportBatch, ImportStatus
from thidua.imports.parsing import bind_rows
from thidua.imports.reading import read_table
from thidua.imports.results import CREATE, UNCHANGED, UPDATE, ImportResult, Problem
from thidua.imports.specs import ImportSpec, Plan, get_spec
from thidua.org.models import Agency

__all__ = ["ImportResult", "Problem", "confirm_batch", "run_import", "stage_upload"]


class _RowFailed(Exception):
    """Raised inside the apply transaction to roll it back, carrying the row's problem."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


def _check(
    *, spec: ImportSpec, agency: Agency, filename: str, data: bytes, today: datetime.date
) -> tuple[ImportResult, Plan | None]:
    table = read_table(filename=filename, data=data)
    bound = bind_rows(spec.columns, table)
    result = ImportResult(kind=spec.kind, filename=filename, ignored_columns=bound.ignored_columns)
    problems = list(bound.problems)
    plan = None
    if bound.complete:
        plan = spec.plan(agency=agency, rows=bound.rows, today=today)
        problems += plan.problems
        result.preview = sorted((item.preview() for item in plan.rows), key=lambda p: p["row"])
        actions = [item.action for item in plan.rows]
        result.created = actions.count(CREATE)
        result.updated = actions.count(UPDATE)
        result.unchanged = actions.count(UNCHANGED)
    position = {column.label: index for index, column in enumerate(spec.columns)}
    result.problems = sorted(problems, key=lambda p: (p.row, position.get(p.column, 0)))
    return result, plan


def _apply(
    *, actor, agency: Agency, spec: ImportSpec, plan: Plan, result: ImportResult, today
) -> None:
    for item in plan.rows:
        if item.action == UNCHANGED:
            continue
        try:
            spec.apply(actor=actor, agency=agency, item=item, today=today)
        except BusinessRuleError as exc:
            column = spec.column_for_field(exc.field)
            raise _RowFailed(Problem(item.row, column.label, exc.message, "rejected")) from exc
    if result.created or result.updated:
        record(
            actor=actor,
            agency_id=agency.pk,
            action=AuditAction.IMPORT,
            object_type="import",
            object_id=spec.kind,
            object_repr=result.filename,
            changes={
                "kind": spec.kind,
                "filename": result.filename,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            },
        )


def run_import(
    *,
    actor,
    agency: Agency,
    kind: str,
    filename: str,
    data: bytes,
    dry_run: bool = False,
) -> ImportResult:
    """Import `data` (an .xlsx or .csv upload named `filename`) as `kind` into `agency`.

    Side effects (not with `dry_run`): in one transaction, creates and updates units or people
    through the org services, which write their audit rows, and records one IMPORT audit row
    with the counts when anything changed. All or nothing: with any problem nothing is written
    and the problems come back in row order; an org service refusing a row during the writes
    rolls everything back and comes back as a problem on that row.

    Raises BusinessRuleError when the file itself cannot be read (empty, wrong format, damaged,
    no header row) or `kind` is unknown.
    """
    spec = get_spec(kind)
    today = timezone.localdate()
    if dry_run:
        result, _plan = _check(spec=spec, agency=agency, filename=filename, data=data, today=today)
        result.dry_run = True
        return result
    try:
        with transaction.atomic():
            # Checked inside the transaction so that the plan still holds when it is applied.
            result, plan = _check(
                spec=spec, agency=agency, filename=filename, data=data, today=today
            )
            if result.problems or plan is None:
                return result
            _apply(actor=actor, agency=agency, spec=spec, plan=plan, result=result, today=today)
    except _RowFailed as failed:
        result.problems = [failed.problem]
    return result


@transaction.atomic
def stage_upload(*, actor, agency: Agency, kind: str, filename: str, data: bytes) -> ImportBatch:
    """Check an upload without importing it and keep it for confirmation.

    Side effect: stores an ImportBatch with the file and the dry-run result, PREVIEWED when the
    file can be imported as it is, REJECTED when it has problems. A file that cannot be read at
    all raises BusinessRuleError and is not stored.
    """
    result = run_import(
        actor=actor, agency=agency, kind=kind, filename=filename, data=data, dry_run=True
    )
    return ImportBatch.objects.create(
        agency=agency,
        kind=kind,
        filename=filename[:255],
        content=data,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
        status=ImportStatus.PREVIEWED if result.ok else ImportStatus.REJECTED,
        result=result.as_dict(),
    )


@transaction.atomic
def confirm_batch(*, actor, batch: ImportBatch) -> ImportResult:
    """Import a staged file for real, checking it again against today's data.

    Side effects: everything `run_import` does, and the batch becomes APPLIED (or REJECTED when
    the data changed since the preview and the file no longer passes) with the new result.
    Refuses (BusinessRuleError) a batch that was already imported or was refused.
    """
    batch = ImportBatch.objects.select_for_update().select_related("agency").get(pk=batch.pk)
    if batch.status == ImportStatus.APPLIED:
        raise BusinessRuleError(_("This file has already been imported."), code="already_applied")
    if batch.status == ImportStatus.REJECTED:
        raise BusinessRuleError(
            _("This file was refused; correct it and upload it again."), code="rejected"
        )
    result = run_import(
        actor=actor,
        agency=batch.agency,
        kind=batch.kind,
        filename=batch.filename,
        data=bytes(batch.content),
    )
    batch.status = ImportStatus.APPLIED if result.applied else ImportStatus.REJECTED
    batch.result = result.as_dict()
    batch.save(update_fields=["status", "result"])
    return result
