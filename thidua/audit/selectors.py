from django.db.models import QuerySet

from thidua.accounts.selectors import scope_for
from thidua.audit.models import AuditEntry


def audit_entries_visible_to(user, *, object_type: str = "", object_id: str = "") -> QuerySet:
    scope = scope_for(user)
    qs = AuditEntry.objects.select_related("actor")
    if not scope.superuser:
        qs = qs.filter(agency_id=scope.agency_id)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    return qs.order_by("-at", "-id")
