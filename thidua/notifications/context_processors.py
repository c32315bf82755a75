"""The number of unread notices, for the header menu (counted only when a page shows it)."""

from functools import cached_property

from thidua.notifications.selectors import unread_count


class UnreadCount:
    """Counts the user's unread notices on first use, once per request: pages that do not show
    the menu run no query."""

    def __init__(self, user) -> None:
        self._user = user

    @cached_property
    def value(self) -> int:
        return unread_count(self._user)

    def __int__(self) -> int:
        return self.value

    __index__ = __int__

    def __bool__(self) -> bool:
        return self.value > 0

    def __str__(self) -> str:
        return str(self.value)

    def __eq__(self, other) -> bool:
        return self.value == (other.value if isinstance(other, UnreadCount) else other)

    __hash__ = None  # type: ignore[assignment]


def unread(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": UnreadCount(user)}
