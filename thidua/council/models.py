"""The emulation and commendation council (Hội đồng Thi đua - Khen thưởng) and its secret ballots.

The director chairs. Votes are counted on the base of ALL members (Nghị định 98/2023 Điều 30.7):
absent members vote in writing, entered by the officer. A member's ballot is theirs alone while
the ballot is open; afterwards only the tallies are shown.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Council(models.Model):
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="councils")
    name = models.CharField(_("name"), max_length=300)
    # The decision that set the council up (e.g. 15/QĐ-STNMT of 10/01/2024).
    established_by = models.CharField(_("established by decision"), max_length=200, blank=True)
    active = models.BooleanField(_("in office"), default=True)

    class Meta:
        ordering = ["-active", "-pk"]
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        constraints = [
            models.UniqueConstraint(
                fields=["agency"], condition=Q(active=True), name="council_one_active"
            )
        ]

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    CHAIR = "CHAIR", _("Chair")
    VICE_CHAIR = "VICE_CHAIR", _("Vice chair")
    SECRETARY = "SECRETARY", _("Standing member, secretary")
    MEMBER = "MEMBER", _("Member")


class CouncilMember(models.Model):
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="council_seats"
    )
    # The member's staff record: it tells which nominations concern them or their own unit.
    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, null=True, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=MemberRole.choices)
    active = models.BooleanField(_("in office"), default=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        constraints = [
            models.UniqueConstraint(fields=["council", "user"], name="council_member_unique")
        ]

    def __str__(self) -> str:
        return str(self.person) if self.person_id else self.user.get_username()


class MeetingStatus(models.TextChoices):
    PLANNED = "PLANNED", _("Planned")
    VOTING = "VOTING", _("Ballot open")
    CLOSED = "CLOSED", _("Ballot closed, results computed")


class VotingMethod(models.TextChoices):
    ONLINE = "ONLINE", _("Secret ballot online")
    PAPER = "PAPER", _("Paper ballot, tally entered by the officer")


class Meeting(models.Model):
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="meetings")
    round = models.ForeignKey("rounds.Round", on_delete=models.PROTECT, related_name="meetings")
    held_at = models.DateTimeField(_("held at"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    method = models.CharField(
        _("voting method"), max_length=8, choices=VotingMethod.choices, default=VotingMethod.ONLINE
    )
    status = models.CharField(
        _("status"), max_length=8, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    # Fixed when the ballot opens, so that later changes to the council change no result.
    members_total = models.PositiveSmallIntegerField(default=0)
    quorum_percent = models.PositiveSmallIntegerField(default=0)
    present_count = models.PositiveSmallIntegerField(default=0)
    quorum_met = models.BooleanField(null=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-held_at"]
        verbose_name = _("council meeting")
        verbose_name_plural = _("council meetings")

    def __str__(self) -> str:
        # The local date: a meeting at 06:00 in Hà Nội is 23:00 UTC of the day before.
        return f"{self.council} — {timezone.localtime(self.held_at):%d/%m/%Y}"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(_("present"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member}: {'present' if self.present else 'absent'}"


class AgendaItem(models.Model):
    """A nomination before the meeting, and once the ballot is closed, its result."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    nomination = models.ForeignKey(
        "rounds.Nomination", on_delete=models.PROTECT, related_name="agenda_items"
    )
    position = models.PositiveIntegerField(default=0)
    # Share of ALL members needed (percent, from the catalogue); 0 = no vote needed.
    threshold_percent = models.PositiveSmallIntegerField(default=0)
    yes = models.PositiveSmallIntegerField(default=0)
    no = models.PositiveSmallIntegerField(default=0)
    abstain = models.PositiveSmallIntegerField(default=0)
    recused = models.PositiveSmallIntegerField(default=0)
    not_voted = models.PositiveSmallIntegerField(default=0)
    passed = models.BooleanField(null=True)
    result_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "nomination"], name="agenda_item_unique")
        ]

    def __str__(self) -> str:
        return str(self.nomination)


class VoteChoice(models.TextChoices):
    YES = "YES", _("Agree")
    NO = "NO", _("Disagree")
    ABSTAIN = "ABSTAIN", _("Abstain")
    RECUSED = "RECUSED", _("Cannot vote (conflict of interest)")


class VoteSource(models.TextChoices):
    ONLINE = "ONLINE", _("Online by the member")
    WRITTEN = "WRITTEN", _("Written vote of an absent member, entered by the officer")


class Ballot(models.Model):
    """One member's vote on one agenda item. Unique: a ballot is counted exactly once.

    RECUSED rows are written when the ballot opens, for the member's own nomination and, when the
    agency sets it, for nominations of the member's own unit.
    """

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="ballots")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=8, choices=VoteChoice.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    source = models.CharField(max_length=8, choices=VoteSource.choices, default=VoteSource.ONLINE)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    cast_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="ballot_unique")]

    def __str__(self) -> str:
        return f"{self.item} / {self.member}"
