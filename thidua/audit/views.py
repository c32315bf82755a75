from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from thidua.audit.selectors import audit_entries_visible_to, with_change_rows
from thidua.core.shortcuts import require

OBJECT_TYPES = ["unit", "person", "user", "agency", "importbatch"]


@login_required
def audit_log(request):
    require(request.user, "audit.view_log")
    object_type = request.GET.get("type", "")
    if object_type not in OBJECT_TYPES:
        object_type = ""
    object_id = request.GET.get("id", "")[:64]
    qs = audit_entries_visible_to(request.user, object_type=object_type, object_id=object_id)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    page.object_list = with_change_rows(page.object_list)
    return render(
        request,
        "audit/log.html",
        {"page": page, "object_type": object_type, "object_types": OBJECT_TYPES},
    )
