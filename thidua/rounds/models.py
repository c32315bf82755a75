"""Award rounds (đợt xét khen thưởng) and their nominations (đề nghị khen thưởng).

A round gathers the nominations of one occasion: the year-end review, a movement's review, an
ad hoc (đột xuất) award or an anniversary. A nomination is one subject (a person or a unit) for
one title or form; it moves through `NominationState` only by `rounds.services.transition`,
which writes a `NominationStep` and an audit row for every move.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thidua.core.text import fold
from thidua.records.enums import TitleCode

ONE_SUBJECT = Q(person__isnull=False, unit__isnull=True) | Q(
    person__isnull=True, unit__isnull=False
)


class RoundKind(models.TextChoices):
    ANNUAL = "ANNUAL", _("Year-end review")
    MOVEMENT = "MOVEMENT", _("Movement review (sơ kết, tổng kết)")
    AD_HOC = "AD_HOC", _("Ad hoc award (đột xuất)")
    ANNIVERSARY = "ANNIVERSARY", _("Anniversary")


class RoundStatus(models.TextChoices):
    OPEN = "OPEN", _("Open for nominations")
    CLOSED = "CLOSED", _("Closed")


class Round(models.Model):
    """One award round of an agency. `regime` is fixed from `review_date` when the round is made."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="rounds")
    kind = models.CharField(_("kind"), max_length=16, choices=RoundKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=300)
    # The titles and forms this round considers (TitleCode values).
    titles = models.JSONField(_("titles and forms"), default=list)
    review_date = models.DateField(_("review date"))
    regime = models.CharField(_("regime"), max_length=8)
    status = models.CharField(
        _("status"), max_length=8, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    # Deadlines per step (all optional): units nominate, the office checks, the council meets,
    # the director decides.
    nominations_due = models.DateField(_("nominations due"), null=True, blank=True)
    checks_due = models.DateField(_("checks due"), null=True, blank=True)
    council_due = models.DateField(_("council meets by"), null=True, blank=True)
    decision_due = models.DateField(_("decision due"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("award round")
        verbose_name_plural = _("award rounds")
        indexes = [models.Index(fields=["agency", "year"], name="round_agency_year")]

    def __str__(self) -> str:
        return self.name

    def deadlines(self) -> list[tuple[str, datetime.date | None]]:
        return [
            ("nominations_due", self.nominations_due),
            ("checks_due", self.checks_due),
            ("council_due", self.council_due),
            ("decision_due", self.decision_due),
        ]


class NominationState(models.TextChoices):
    DRAFT = "DRAFT", _("Draft")
    SUBMITTED = "SUBMITTED", _("Submitted")
    RETURNED = "RETURNED", _("Returned for amendment")
    CHECKED = "CHECKED", _("Checked by the office")
    BEFORE_COUNCIL = "BEFORE_COUNCIL", _("Before the council")
    PASSED = "PASSED", _("Passed by the council")
    NOT_PASSED = "NOT_PASSED", _("Not passed")
    DECIDED = "DECIDED", _("Decided")
    FORWARDED = "FORWARDED", _("Forwarded to the higher authority")
    AWARDED = "AWARDED", _("Awarded by the higher authority")
    REFUSED = "REFUSED", _("Refused by the higher authority")
    WITHDRAWN = "WITHDRAWN", _("Withdrawn")


S = NominationState
# Every legal move: state → the states it may go to. `services.transition` refuses the rest.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.RETURNED, S.CHECKED, S.WITHDRAWN}),
    S.RETURNED: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.CHECKED: frozenset({S.BEFORE_COUNCIL, S.PASSED, S.RETURNED, S.WITHDRAWN}),
    S.BEFORE_COUNCIL: frozenset({S.PASSED, S.NOT_PASSED, S.CHECKED, S.WITHDRAWN}),
    S.PASSED: frozenset({S.DECIDED, S.FORWARDED, S.WITHDRAWN}),
    S.NOT_PASSED: frozenset(),
    S.DECIDED: frozenset(),
    S.FORWARDED: frozenset({S.AWARDED, S.REFUSED}),
    S.AWARDED: frozenset(),
    S.REFUSED: frozenset(),
    S.WITHDRAWN: frozenset(),
}
# The steps shown in the dossier's step indicator, in order.
STEPS = (S.DRAFT, S.SUBMITTED, S.CHECKED, S.BEFORE_COUNCIL, S.PASSED, S.DECIDED)
# States in which the nominating unit may still edit the dossier.
EDITABLE = frozenset({S.DRAFT, S.RETURNED})
# States that no longer count against the round (for duplicates and quotas).
ENDED_BADLY = frozenset({S.NOT_PASSED, S.REFUSED, S.WITHDRAWN})


class Nomination(models.Model):
    """One subject proposed for one title or form in a round (the dossier, hồ sơ)."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="nominations")
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="nominations"
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="nominations"
    )
    # The unit that proposes: the person's unit (or the unit itself) when nominated. It decides
    # who may edit the dossier and which council members have a conflict.
    nominating_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="nominations_made"
    )
    title = models.CharField(_("title or form"), max_length=16, choices=TitleCode.choices)
    state = models.CharField(
        _("state"), max_length=16, choices=NominationState.choices, default=NominationState.DRAFT
    )
    achievement_report = models.TextField(_("achievement report"), blank=True)
    report_file = models.FileField(
        _("achievement report file"), upload_to="nominations/%Y/", blank=True
    )
    # What the eligibility engine said when the dossier was last saved or submitted.
    eligible = models.BooleanField(_("eligible"), null=True)
    eligibility = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    # Set when returned for amendment; `amend_from` is the dossier as it was, so that the officer
    # sees what changed on resubmission.
    return_reason = models.CharField(_("reason for return"), max_length=1000, blank=True)
    amend_by = models.DateField(_("amend by"), null=True, blank=True)
    amend_from = models.JSONField(default=dict, blank=True)
    # Public posting (công khai) before the decision, for the forms the agency sets.
    posted_from = models.DateField(_("posted from"), null=True, blank=True)
    posted_until = models.DateField(_("posted until"), null=True, blank=True)
    # The subject's folded name and code (lower case, no diacritics) as nominated: the officer's
    # search reads only the round's dossiers instead of every name of the agency.
    search_text = models.CharField(max_length=400, blank=True, editable=False)
    # The person's Vietnamese collation key (empty for a unit), so that the list is ordered from
    # one index of the round instead of a join to every nominee.
    sort_key = models.BinaryField(editable=False, default=b"")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            models.CheckConstraint(condition=ONE_SUBJECT, name="nomination_one_subject"),
            models.UniqueConstraint(
                fields=["round", "person", "title"],
                condition=Q(person__isnull=False)
                & ~Q(state__in=["WITHDRAWN", "NOT_PASSED", "REFUSED"]),
                name="nomination_person_title",
            ),
            models.UniqueConstraint(
                fields=["round", "unit", "title"],
                condition=Q(unit__isnull=False)
                & ~Q(state__in=["WITHDRAWN", "NOT_PASSED", "REFUSED"]),
                name="nomination_unit_title",
            ),
        ]
        indexes = [
            models.Index(fields=["round", "state"], name="nomination_round_state"),
            models.Index(fields=["round", "nominating_unit"], name="nomination_round_unit"),
            models.Index(
                fields=["round", "nominating_unit", "title", "sort_key", "id"],
                name="nomination_list_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} — {self.get_title_display()}"

    @property
    def subject(self):
        return self.person if self.person_id else self.unit

    @property
    def subject_kind(self) -> str:
        return "person" if self.person_id else "unit"


def search_key(subject) -> str:
    """What the officer's search matches a nomination on: the subject's folded name and code."""
    if subject._meta.model_name == "person":
        return subject.search_text or fold(f"{subject.full_name} {subject.staff_code}")
    return fold(f"{subject.name} {subject.code}")


class NominationStep(models.Model):
    """One transition of a nomination: who moved it, when, from which state to which, and why."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="steps")
    from_state = models.CharField(max_length=16, choices=NominationState.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=NominationState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=1000, blank=True)
    # What changed in the dossier since the return for amendment (field → [before, after]).
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.nomination}: {self.from_state} → {self.to_state}"


class Evidence(models.Model):
    """A file of a dossier: proof of an initiative, of a rating, minutes…"""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="evidence")
    name = models.CharField(_("description"), max_length=300)
    file = models.FileField(_("file"), upload_to="evidence/%Y/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class PostingComment(models.Model):
    """A comment received while a nomination was publicly posted, and the agency's answer.

    Every comment must be answered before the decision (the rounds service refuses otherwise).
    """

    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="posting_comments"
    )
    received_on = models.DateField(_("received on"))
    author = models.CharField(_("from"), max_length=300, blank=True)
    text = models.TextField(_("comment"))
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["received_on", "pk"]

    def __str__(self) -> str:
        return self.text[:80]
