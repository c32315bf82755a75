"""The yearly records of people and units that eligibility is computed from.

A record belongs to a person or to a unit (never both), and to their agency. Awards are legal
records: they are revoked or corrected, never deleted.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thidua.records.enums import (
    DisciplineKind,
    InitiativeKind,
    InitiativeScope,
    RatingLevel,
    TitleCode,
)

ONE_SUBJECT = Q(person__isnull=False, unit__isnull=True) | Q(
    person__isnull=True, unit__isnull=False
)


class SubjectRecord(models.Model):
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def subject(self):
        return self.person if self.person_id else self.unit


class Rating(SubjectRecord):
    """The annual quality rating (đánh giá, xếp loại chất lượng) of a person or a unit."""

    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("rating"), max_length=8, choices=RatingLevel.choices)
    months_worked = models.PositiveSmallIntegerField(_("months worked"), default=12)
    maternity_leave = models.BooleanField(_("maternity leave"), default=False)
    # Đ24.1.b Luật TĐKT 2022: "có tinh thần tự lực, tự cường; đoàn kết, tương trợ" — the unit may
    # record that a person falls short of it.
    self_reliant = models.BooleanField(_("self-reliant and united"), default=True)
    # Whose decision the rating is: the director rates the units and the leaders directly under
    # the agency; unit heads rate their own staff. Annual reports count the former (seed 000).
    rated_by_director = models.BooleanField(_("rated by the director"), default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.CheckConstraint(condition=ONE_SUBJECT, name="rating_one_subject"),
            models.CheckConstraint(
                condition=Q(months_worked__lte=12), name="rating_months_at_most_12"
            ),
            models.UniqueConstraint(
                fields=["person", "year"],
                condition=Q(person__isnull=False),
                name="rating_person_year",
            ),
            models.UniqueConstraint(
                fields=["unit", "year"], condition=Q(unit__isnull=False), name="rating_unit_year"
            ),
        ]
        indexes = [models.Index(fields=["agency", "year"], name="rating_agency_year")]

    def __str__(self) -> str:
        return f"{self.subject} {self.year}: {self.level}"


class Discipline(models.Model):
    """A disciplinary decision (kỷ luật) against a person, with its period in months."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="disciplines")
    decided_on = models.DateField(_("decision date"))
    kind = models.CharField(_("measure"), max_length=16, choices=DisciplineKind.choices)
    months = models.PositiveSmallIntegerField(_("period (months)"), default=12)
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)

    class Meta:
        ordering = ["-decided_on"]
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "decided_on", "kind"], name="discipline_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.kind} {self.decided_on:%d/%m/%Y}"


class Initiative(models.Model):
    """A recognised initiative (sáng kiến) or accepted research topic (đề tài) of a person."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="initiatives")
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=500)
    scope = models.CharField(_("scope"), max_length=16, choices=InitiativeScope.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=InitiativeKind.choices)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        constraints = [
            models.UniqueConstraint(fields=["person", "year", "name"], name="initiative_unique"),
        ]
        indexes = [models.Index(fields=["agency", "year"], name="initiative_agency_year")]

    def __str__(self) -> str:
        return self.name


class AwardStatus(models.TextChoices):
    ACTIVE = "ACTIVE", _("In force")
    REVOKED = "REVOKED", _("Revoked")
    CORRECTED = "CORRECTED", _("Replaced by a correction")


class Award(SubjectRecord):
    """A title or form received (danh hiệu, hình thức khen thưởng), with its decision."""

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title or form"), max_length=16, choices=TitleCode.choices)
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    authority = models.CharField(_("decided by"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=AwardStatus.choices, default=AwardStatus.ACTIVE
    )
    status_reason = models.CharField(_("reason"), max_length=500, blank=True)
    replaced_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.CheckConstraint(condition=ONE_SUBJECT, name="award_one_subject"),
            models.UniqueConstraint(
                fields=["person", "year", "title"],
                condition=Q(person__isnull=False, status="ACTIVE"),
                name="award_person_year_title",
            ),
            models.UniqueConstraint(
                fields=["unit", "year", "title"],
                condition=Q(unit__isnull=False, status="ACTIVE"),
                name="award_unit_year_title",
            ),
        ]
        indexes = [models.Index(fields=["agency", "year"], name="award_agency_year")]

    def __str__(self) -> str:
        return f"{self.subject} {self.year}: {self.title}"


class Achievement(SubjectRecord):
    """An achievement the officer has confirmed (thành tích): in a movement, or ad hoc.

    Giấy khen and the (a–c) branch of Bằng khen cấp tỉnh rest on such a confirmation
    (Điều 74, 75 Luật TĐKT 2022): the law leaves the judgement to people, the system records it.
    """

    class Kind(models.TextChoices):
        MOVEMENT = "MOVEMENT", _("In an emulation movement")
        AD_HOC = "AD_HOC", _("Ad hoc (đột xuất)")
        RECOGNISED = "RECOGNISED", _("Recognised achievement for a Bằng khen")

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=500)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")
        constraints = [
            models.CheckConstraint(condition=ONE_SUBJECT, name="achievement_one_subject")
        ]

    def __str__(self) -> str:
        return self.description


class PendingCase(models.Model):
    """A discipline review, inspection or complaint under way against a person.

    From 01/07/2025 no award may be proposed while one is open (Điều 4 Nghị định 152/2025).
    """

    class Kind(models.TextChoices):
        DISCIPLINE = "DISCIPLINE", _("Discipline under review")
        INSPECTION = "INSPECTION", _("Inspection or investigation")
        COMPLAINT = "COMPLAINT", _("Complaint or denunciation")

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="pending_cases")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-opened_on"]
        verbose_name = _("pending case")
        verbose_name_plural = _("pending cases")

    def __str__(self) -> str:
        return f"{self.person} {self.kind} {self.opened_on:%d/%m/%Y}"
