"""Decisions (quyết định) numbered from the agency's register, and submissions to higher levels.

A number is taken from `Register` inside the transaction that issues the document, under a row
lock: two officers issuing at once get two consecutive numbers, and a failed issue gives its
number back (no gap). Issued decisions are legal records: revoked or corrected, never deleted.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thidua.records.enums import TitleCode


class DocumentKind(models.TextChoices):
    DECISION = "QD", _("Decision (Quyết định)")
    SUBMISSION = "TTR", _("Submission (Tờ trình)")


class Register(models.Model):
    """The agency's register of one kind of document for one year: the last number used."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=4, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind", "year"], name="register_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last_number}"


class DecisionStatus(models.TextChoices):
    DRAFT = "DRAFT", _("Draft")
    ISSUED = "ISSUED", _("Issued")
    REVOKED = "REVOKED", _("Revoked")
    CORRECTED = "CORRECTED", _("Replaced by a correction")


class Decision(models.Model):
    """A decision of the agency's head awarding titles and forms, with its lists per title."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="decisions")
    round = models.ForeignKey(
        "rounds.Round", on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT
    )
    # Number and year come from the register when issued; `symbol` e.g. "QĐ-STNMT".
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("register year"), null=True, blank=True)
    symbol = models.CharField(_("symbol"), max_length=40, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signer_name = models.CharField(_("signer"), max_length=200, blank=True)
    signer_position = models.CharField(_("signer's position"), max_length=200, blank=True)
    summary = models.CharField(_("subject (trích yếu)"), max_length=500)
    status_reason = models.CharField(_("reason"), max_length=1000, blank=True)
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-number", "-pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "number"],
                condition=Q(number__isnull=False),
                name="decision_number_unique",
            )
        ]

    def __str__(self) -> str:
        return self.reference or str(_("Draft decision"))

    @property
    def reference(self) -> str:
        """ "12/QĐ-STNMT", or "" for a draft."""
        return f"{self.number}/{self.symbol}" if self.number else ""


class DecisionLine(models.Model):
    """One subject awarded one title or form by a decision, and the award record it wrote."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="lines")
    nomination = models.ForeignKey(
        "rounds.Nomination",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decision_lines",
    )
    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, null=True, blank=True)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True)
    title = models.CharField(_("title or form"), max_length=16, choices=TitleCode.choices)
    award = models.ForeignKey(
        "records.Award", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["title", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.decision}: {self.get_title_display()}"


class SubmissionStatus(models.TextChoices):
    DRAFT = "DRAFT", _("Draft")
    SENT = "SENT", _("Sent to the higher authority")
    ANSWERED = "ANSWERED", _("Outside decision recorded")


class Submission(models.Model):
    """A submission (tờ trình) forwarding nominations to the province or the Ministry.

    Recording the outside decision later completes its nominations (awarded or refused) and
    writes the award records.
    """

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="submissions")
    round = models.ForeignKey(
        "rounds.Round", on_delete=models.PROTECT, null=True, blank=True, related_name="submissions"
    )
    status = models.CharField(
        max_length=16, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    symbol = models.CharField(_("symbol"), max_length=40, blank=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    authority = models.CharField(_("sent to"), max_length=300)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signer_name = models.CharField(_("signer"), max_length=200, blank=True)
    summary = models.CharField(_("subject (trích yếu)"), max_length=500)
    # The higher authority's decision, once it comes back.
    outside_number = models.CharField(_("their decision number"), max_length=64, blank=True)
    outside_date = models.DateField(_("their decision date"), null=True, blank=True)
    outside_authority = models.CharField(_("decided by"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-number", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "number"],
                condition=Q(number__isnull=False),
                name="submission_number_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}/{self.symbol}" if self.number else str(_("Draft submission"))


class SubmissionLine(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="lines")
    nomination = models.ForeignKey(
        "rounds.Nomination", on_delete=models.PROTECT, related_name="submission_lines"
    )
    # Filled when the outside decision is recorded: awarded (with the award record) or refused.
    awarded = models.BooleanField(null=True)
    award = models.ForeignKey(
        "records.Award", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "nomination"], name="submission_line_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.submission}: {self.nomination}"
