"""Users and their roles. Roles are data: user × role × agency, optionally narrowed to a unit."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "ADMIN", _("Administrator")
    OFFICER = "OFFICER", _("Commendation officer")
    DIRECTOR = "DIRECTOR", _("Director")
    COUNCIL = "COUNCIL", _("Council member")
    UNIT_HEAD = "UNIT_HEAD", _("Unit head")
    STAFF = "STAFF", _("Staff member")


# Roles that see every unit and person of their agency.
AGENCY_WIDE_ROLES = frozenset({Role.ADMIN, Role.OFFICER, Role.DIRECTOR, Role.COUNCIL})
# Roles that may change any unit or person of their agency.
AGENCY_EDITOR_ROLES = frozenset({Role.ADMIN, Role.OFFICER})


class User(AbstractUser):
    """A login. Belongs to one agency (none only for the installation's superuser)."""

    agency = models.ForeignKey(
        "org.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("agency"),
    )
    person = models.OneToOneField(
        "org.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
        verbose_name=_("person"),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("unit"),
        help_text=_("Only for the unit head role."),
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="role_unique"),
            models.CheckConstraint(
                condition=Q(role="UNIT_HEAD", unit__isnull=False) | ~Q(role="UNIT_HEAD"),
                name="unit_head_has_unit",
            ),
        ]

    def __str__(self) -> str:
        if self.unit_id:
            return f"{self.get_role_display()} — {self.unit}"
        return str(self.get_role_display())
