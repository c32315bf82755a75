"""The site header of every signed-in page: the main menu, the user's name and "Log out".

The menu's links depend only on what the user's scope allows and on the language, so each
combination is written once per process and kept; a page then adds only what changes per
request (the unread count, the name, the log-out form's CSRF token). As template tags the
header cost ≈ 0.7 ms a page, more than the people list's own rows (bench/README.md).
"""

from functools import lru_cache

from django import template
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from thidua.accounts.selectors import scope_for
from thidua.core.i18n import per_language

register = template.Library()


@lru_cache(maxsize=256)
def _menu(
    language: str,
    sees_many: bool,
    own_person_id: int | None,
    has_roles: bool,
    agency_wide: bool,
    reads_decisions: bool,
    agency_editor: bool,
    manages_users: bool,
) -> tuple[SafeString, SafeString]:
    """The menu before and after the notifications link, for one kind of user and language.

    `language` is part of the key only: gettext answers in the language active now.
    """
    links: list[tuple[str, str]] = []
    if sees_many:
        links += [
            (reverse("org:unit_tree"), gettext("Units")),
            (reverse("org:people"), gettext("People")),
            (reverse("eligibility:agency"), gettext("Eligibility")),
        ]
    elif own_person_id:
        links.append((reverse("org:person", args=[own_person_id]), gettext("My record")))
    if has_roles:
        links.append((reverse("rounds:list"), gettext("Award rounds")))
    if agency_wide:
        links.append((reverse("council:home"), gettext("Council")))
    if reads_decisions:
        links.append((reverse("decisions:list"), gettext("Decisions")))
    if agency_editor:
        links += [
            (reverse("imports:start"), gettext("Import")),
            (reverse("audit:log"), gettext("Audit log")),
        ]
    if manages_users:
        links.append((reverse("accounts:users"), gettext("Users")))
    before = format_html('<li><a href="{}">{}</a></li>', reverse("home"), gettext("Home"))
    after = format_html_join("", '<li><a href="{}">{}</a></li>', links)
    return before, after


@per_language
def _fixed() -> tuple[str, str, str, str]:
    """The header's words and addresses that are the same for everybody."""
    return (
        gettext("Main menu"),
        reverse("notifications:list"),
        gettext("Notifications"),
        reverse("accounts:logout"),
    )


@register.simple_tag(takes_context=True)
def site_menu(context) -> SafeString:
    """The main menu and the "who is signed in" block of `base.html`'s header."""
    request = context["request"]
    user = request.user
    scope = scope_for(user)
    sees_many = scope.agency_wide or bool(scope.unit_paths)
    language = get_language()
    before, after = _menu(
        language,
        sees_many,
        None if sees_many else user.person_id,
        bool(scope.roles),
        scope.agency_wide,
        user.has_perm("decisions.view_decisions"),
        scope.agency_editor,
        user.has_perm("accounts.manage_users"),
    )
    menu_label, notices_url, notices_label, logout_url = _fixed()
    unread = int(context.get("unread_notifications") or 0)
    if unread:
        count = gettext("%(n)s unread") % {"n": unread}
        notices = format_html(
            '<li><a href="{}">{} <strong>({})</strong></a></li>', notices_url, notices_label, count
        )
    else:
        notices = format_html('<li><a href="{}">{}</a></li>', notices_url, notices_label)
    who = format_html(
        '<div class="who"><span>{}</span><form method="post" action="{}" class="inline">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<button type="submit" class="link">{}</button></form></div>',
        user.get_full_name() or user.username,
        logout_url,
        get_token(request),
        gettext("Log out"),
    )
    nav = format_html(
        '<nav aria-label="{}"><ul class="menu">{}{}{}</ul></nav>',
        menu_label,
        before,
        notices,
        after,
    )
    return mark_safe(nav + who)
