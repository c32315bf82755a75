"""In-app notifications; each is also sent by email when the user has an address."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    RETURNED = "RETURNED", _("Returned for amendment")
    BALLOT_OPENED = "BALLOT_OPENED", _("Ballot opened")
    DECISION_ISSUED = "DECISION_ISSUED", _("Decision issued")
    DEADLINE_NEAR = "DEADLINE_NEAR", _("Deadline near")


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    message = models.CharField(max_length=500)
    url = models.CharField(max_length=300, blank=True)
    # Stops the same reminder being sent twice (e.g. "deadline:round 4:nominations_due").
    key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                condition=~models.Q(key=""),
                name="notification_once_per_key",
            )
        ]

    def __str__(self) -> str:
        return self.message

    @property
    def has_local_link(self) -> bool:
        """The link points inside this site (the only kind the pages follow)."""
        return self.url.startswith("/") and not self.url.startswith("//")
