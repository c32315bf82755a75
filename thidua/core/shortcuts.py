"""The one helper that turns "outside your scope" into 404 and "not allowed" into 403."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404


def get_scoped_or_404(queryset: QuerySet, **lookup):
    """Fetch from a queryset already limited to the user's scope; anything else is 404.

    Outsiders learn nothing, not even that the object exists.
    """
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def found_or_404[T](value: T | None) -> T:
    """The answer of a selector already limited to the user's scope, which gives None for what
    is missing or outside it; None is 404, as in `get_scoped_or_404`."""
    if value is None:
        raise Http404
    return value


def require(user, perm: str, obj=None) -> None:
    """403 unless `user` holds `perm` (django-rules) on `obj`."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied
