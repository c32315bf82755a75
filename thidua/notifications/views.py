"""The user's own notices: the list, opening one (marks it read) and marking all read.

Each notice belongs to one user; anyone else asking for it gets 404 (`get_scoped_or_404` over
`notifications_of`).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from thidua.core.shortcuts import get_scoped_or_404, require
from thidua.notifications import selectors, services


@login_required
@require_GET
def notification_list(request):
    require(request.user, "notifications.view_own")
    page = Paginator(selectors.notifications_of(request.user), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/list.html",
        {"page": page},
    )


@login_required
@require_POST
def notification_read(request, pk: int):
    """Mark the notice read and go where it points (a link inside this site only)."""
    note = get_scoped_or_404(selectors.notifications_of(request.user), pk=pk)
    require(request.user, "notifications.read", note)
    services.mark_read(user=request.user, notification=note)
    if note.url and url_has_allowed_host_and_scheme(
        note.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(note.url)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    require(request.user, "notifications.view_own")
    count = services.mark_all_read(user=request.user)
    if count:
        messages.success(
            request,
            ngettext("%(count)d notice marked as read.", "%(count)d notices marked as read.", count)
            % {"count": count},
        )
    return redirect("notifications:list")
