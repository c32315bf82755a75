"""This app's rows of the permission matrix (run by accounts/tests/test_permissions.py).

A notice is its user's alone: everybody signed in has a list of their own; opening someone
else's notice answers 404. The POST rows count notices read, which change exactly when the
persona marks one of their own.
"""

from thidua.notifications.models import Notification, NotificationKind
from thidua.testing_matrix import GET, POST, Target


def read_count(w) -> int:
    return Notification.objects.filter(read_at__isnull=False).count()


def notice_of(persona: str):
    def build(w) -> Notification:
        return Notification.objects.create(
            user=w.users[persona],
            kind=NotificationKind.RETURNED,
            message=f"Hồ sơ được trả lại để bổ sung ({persona})",
            url="/",
        )

    return build


def unread_for_everyone(w) -> dict:
    """Every persona has an unread notice of their own, so 'mark all read' changes something."""
    Notification.objects.bulk_create(
        Notification(user=u, kind=NotificationKind.DEADLINE_NEAR, message="Sắp đến hạn nộp hồ sơ")
        for u in w.users.values()
    )
    return {}


T = Target
# fmt: off
ROWS = [
    #                                                          anon adm  off  dir  cou  head staf none other
    (GET,   T("notifications:list"),                          (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    (POST,  T("notifications:read", notice_of("staff"), effect=read_count,
              label="notifications:read[staff's]"),          (302, 404, 404, 404, 404, 404, 302, 404, 404)),
    (POST,  T("notifications:read", notice_of("head"), effect=read_count,
              label="notifications:read[head's]"),           (302, 404, 404, 404, 404, 302, 404, 404, 404)),
    (POST,  T("notifications:read", notice_of("other"), effect=read_count,
              label="notifications:read[other's]"),          (302, 404, 404, 404, 404, 404, 404, 404, 302)),
    (POST,  T("notifications:read_all", data=unread_for_everyone, effect=read_count),
                                                              (302, 302, 302, 302, 302, 302, 302, 302, 302)),
]
# fmt: on
