"""The organisation: agencies, their unit tree with its history, and their people.

Every record belongs to exactly one agency. Units keep a stable identity (their row) while their
name, kind and parent change over time: each change closes a `UnitState` and opens a new one, so a
record attached to a unit can always be shown as the unit was on that record's date.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Agency(models.Model):
    code = models.CharField(_("agency code"), max_length=32, unique=True)
    name = models.CharField(_("agency name"), max_length=255)
    place = models.CharField(_("place name"), max_length=100, blank=True)
    symbol = models.CharField(
        _("document symbol"), max_length=32, blank=True, help_text=_("For example: STNMT")
    )
    parent_body = models.CharField(_("parent body"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class UnitKind(models.TextChoices):
    BOARD = "BAN", _("Board of directors")
    DIVISION = "PHONG", _("Division")
    SUB_DEPARTMENT = "CHI_CUC", _("Sub-department")
    CENTRE = "TRUNG_TAM", _("Centre")
    OFFICE = "VAN_PHONG", _("Office")
    BRANCH = "CHI_NHANH", _("Branch")
    OTHER = "KHAC", _("Other")


class Unit(models.Model):
    """A unit of an agency. `name`, `kind`, `parent` and `path` mirror its current state."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="units")
    code = models.CharField(_("unit code"), max_length=32)
    name = models.CharField(_("unit name"), max_length=255)
    kind = models.CharField(_("unit kind"), max_length=16, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    # Materialised path of ids, "/3/17/", so that a subtree is one indexed prefix query.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    established_on = models.DateField(_("established on"), default=datetime.date(2000, 1, 1))
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path", "sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="unit_code_unique_in_agency"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("org:unit", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None

    @property
    def depth(self) -> int:
        return max(self.path.count("/") - 2, 0)


class UnitState(models.Model):
    """What a unit was called, what kind it was and where it sat in the tree, over a period."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="states")
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=16, choices=UnitKind.choices)
    parent = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["unit", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=Q(valid_to__isnull=True), name="one_open_state_per_unit"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.name} ({self.valid_from:%d/%m/%Y}–{self.valid_to:%d/%m/%Y})"
            if self.valid_to
            else f"{self.name} ({self.valid_from:%d/%m/%Y}–)"
        )


class UnitEventKind(models.TextChoices):
    CREATE = "CREATE", _("Establishment")
    RENAME = "RENAME", _("Rename")
    MOVE = "MOVE", _("Move under another unit")
    MERGE = "MERGE", _("Merger")
    SPLIT = "SPLIT", _("Split")
    DISSOLVE = "DISSOLVE", _("Dissolution")


class UnitEvent(models.Model):
    """One restructuring step: which units it ended and which it created or received people."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="unit_events")
    kind = models.CharField(max_length=16, choices=UnitEventKind.choices)
    date = models.DateField()
    sources = models.ManyToManyField(Unit, related_name="events_as_source", blank=True)
    targets = models.ManyToManyField(Unit, related_name="events_as_target", blank=True)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"


class Gender(models.TextChoices):
    MALE = "NAM", _("Male")
    FEMALE = "NU", _("Female")


class EmploymentType(models.TextChoices):
    CIVIL_SERVANT = "CONG_CHUC", _("Civil servant")
    PUBLIC_EMPLOYEE = "VIEN_CHUC", _("Public employee")
    CONTRACT = "NGUOI_LAO_DONG", _("Contract worker")


class Person(models.Model):
    """A member of staff. `unit` mirrors the open membership for fast lists and scope checks."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="people")
    staff_code = models.CharField(_("staff code"), max_length=32)
    family_name = models.CharField(_("family name"), max_length=50)
    middle_name = models.CharField(_("middle name"), max_length=100, blank=True)
    given_name = models.CharField(_("given name"), max_length=50)
    full_name = models.CharField(_("full name"), max_length=200, editable=False)
    # Lower case, no diacritics: what the search box matches against.
    search_text = models.CharField(max_length=300, editable=False)
    # ICU key of (given, family, middle) under Vietnamese collation: the list order.
    sort_key = models.BinaryField(editable=False, default=b"")
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    employment_type = models.CharField(
        _("employment type"), max_length=16, choices=EmploymentType.choices
    )
    position = models.CharField(_("position"), max_length=150, blank=True)
    recruited_on = models.DateField(_("recruited on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="current_people",
        verbose_name=_("unit"),
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "staff_code"], name="staff_code_unique_in_agency"
            ),
        ]
        indexes = [
            # The people list in name order, read from the index alone: `left_on`, `unit` and
            # `search_text` let the filters (and the OFFSET of a deep page) be tested on index
            # entries without touching the table. `left_on` stays after the order: PostgreSQL
            # does not read an index in order past an `IS NULL` condition on an earlier column.
            models.Index(
                fields=["agency", "sort_key", "id", "left_on", "unit", "search_text"],
                name="person_list_order",
            ),
            # COUNT(*) of the list and of a unit head's units, from the index alone.
            models.Index(fields=["agency", "left_on", "unit"], name="person_agency_left_unit"),
            # On PostgreSQL, migration org 0002 adds a trigram index (person_search_trgm) for
            # `search_text LIKE '%word%'`; SQLite has none and reads person_list_order instead.
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("org:person", args=[self.pk])


class Membership(models.Model):
    """A person's period in a unit, with the position held there. Never deleted: closed."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    position = models.CharField(max_length=150, blank=True)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["person", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(end__isnull=True), name="one_open_membership"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="membership_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.unit_id} from {self.start:%d/%m/%Y}"


class OrgVersion(models.Model):
    """A token the database replaces whenever a unit or a person is written.

    Triggers (migration org 0003) put a new random value in the one row (id 1) on every insert,
    update or delete in `org_unit` and `org_person`, whoever writes: services, imports, bulk
    loads, the tests' factories. The per-process index of the people list (`org.people_index`)
    keys on it, so no writer has to remember to invalidate it. A value is random
    rather than a counter so that a rolled-back write can never make two states share a value.
    Without the row (a test that flushed the tables), the list reads the database instead.
    """

    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.value)
