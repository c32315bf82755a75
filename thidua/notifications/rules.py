"""Who may do what with a notice: only its own user reads it (others get 404 from the selector)."""

import rules


@rules.predicate
def is_recipient(user, notification) -> bool:
    return notification is not None and notification.user_id == user.pk


rules.add_perm("notifications.view_own", rules.is_authenticated)
rules.add_perm("notifications.read", rules.is_authenticated & is_recipient)
