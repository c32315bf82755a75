"""Uploaded import files kept between the preview and the confirmation of an import."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    PREVIEWED = "PREVIEWED", _("Checked, waiting for confirmation")
    APPLIED = "APPLIED", _("Imported")
    REJECTED = "REJECTED", _("Refused")


class ImportBatch(models.Model):
    """One uploaded file: its bytes, who sent it, and the result of its last check or import."""

    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="import_batches"
    )
    # A key of thidua.imports.specs.SPECS ("units", "staff", …): not choices, so that a new kind
    # needs no migration.
    kind = models.CharField(_("kind of data"), max_length=32)
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED
    )
    # ImportResult.as_dict() of the last run (the preview, then the import itself).
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("import file")
        verbose_name_plural = _("import files")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agency", "-created_at"], name="import_agency_created")]

    def __str__(self) -> str:
        return self.filename
