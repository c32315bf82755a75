"""Import pages: upload → checked preview listing every problem → confirm → done."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from thidua.accounts.selectors import scope_for
from thidua.core.errors import BusinessRuleError
from thidua.core.shortcuts import get_scoped_or_404, require
from thidua.imports import services
from thidua.imports.forms import UploadForm
from thidua.imports.models import ImportBatch, ImportStatus
from thidua.imports.results import ImportResult
from thidua.imports.specs import SPECS
from thidua.imports.template_files import build_template
from thidua.org.models import Agency

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _batches(user):
    return ImportBatch.objects.filter(agency_id=scope_for(user).agency_id).select_related(
        "uploaded_by"
    )


@login_required
@require_http_methods(["GET", "POST"])
def start(request):
    require(request.user, "imports.run_import")
    agency = get_scoped_or_404(Agency.objects.all(), pk=scope_for(request.user).agency_id)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.stage_upload(
                actor=request.user,
                agency=agency,
                kind=form.cleaned_data["kind"],
                filename=upload.name,
                data=upload.read(),
            )
        except BusinessRuleError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("imports:batch", batch.pk)
    recent = _batches(request.user).defer("content")[:10]
    return render(request, "imports/start.html", {"form": form, "specs": SPECS, "recent": recent})


@login_required
def template(request, kind: str):
    require(request.user, "imports.run_import")
    if kind not in SPECS:
        raise Http404
    response = HttpResponse(build_template(kind), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="mau-{kind}.xlsx"'
    return response


@login_required
def batch(request, pk: int):
    require(request.user, "imports.run_import")
    item = get_scoped_or_404(_batches(request.user).defer("content"), pk=pk)
    result = ImportResult.from_dict(item.result)
    step = {ImportStatus.PREVIEWED: 3, ImportStatus.APPLIED: 4}.get(item.status, 2)
    return render(
        request,
        "imports/batch.html",
        {"batch": item, "result": result, "spec": SPECS.get(item.kind), "step": step},
    )


@login_required
@require_POST
def confirm(request, pk: int):
    require(request.user, "imports.run_import")
    item = get_scoped_or_404(_batches(request.user), pk=pk)
    try:
        result = services.confirm_batch(actor=request.user, batch=item)
    except BusinessRuleError as exc:
        messages.error(request, exc.message)
    else:
        if result.applied:
            messages.success(
                request,
                _("Imported: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.")
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
        else:
            messages.error(request, _("The file was refused: nothing was changed."))
    return redirect("imports:batch", item.pk)
