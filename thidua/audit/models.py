"""The audit log: who changed which record, when, from what to what. Rows are never edited."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "CREATE", _("Created")
    UPDATE = "UPDATE", _("Changed")
    DELETE = "DELETE", _("Deleted")
    LOGIN_FAILED = "LOGIN_FAILED", _("Failed login")
    DENIED = "DENIED", _("Refused")
    IMPORT = "IMPORT", _("Imported")


class AuditEntry(models.Model):
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, null=True, related_name="audit_entries"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=255, blank=True)
    # {"field": [before, after]} for updates; {"field": value} for creates and deletes.
    changes = models.JSONField(default=dict, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["agency", "-at"], name="audit_agency_at"),
            # The history of one record (person page): without it, a scan of the whole log.
            models.Index(
                fields=["agency", "object_type", "object_id", "-at"], name="audit_object_at"
            ),
        ]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor_name} {self.action} {self.object_type} {self.object_id}"
