from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "thidua.notifications"
    label = "notifications"

    def ready(self) -> None:
        from thidua.notifications import checks  # noqa: F401  (registers the start-up check)
        from thidua.notifications.selectors import read_unread_count_with_user

        read_unread_count_with_user()
