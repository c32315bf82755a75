"""Per-agency values of the settings the law leaves open (catalogue.SETTINGS holds the defaults)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencySetting(models.Model):
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="settings")
    key = models.CharField(_("setting"), max_length=64)
    value = models.JSONField(_("value"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agency setting")
        verbose_name_plural = _("agency settings")
        constraints = [
            models.UniqueConstraint(fields=["agency", "key"], name="agency_setting_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}: {self.key} = {self.value}"
