"""What the decision and submission services share: the signer, dates, locks, notices."""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts.models import Role, User
from thidua.audit.services import record
from thidua.core.errors import BusinessRuleError
from thidua.core.text import nfc
from thidua.decisions import selectors
from thidua.notifications.models import NotificationKind
from thidua.notifications.services import notify
from thidua.rounds.models import Nomination, NominationState


def check_signer(*, agency_id: int, signer) -> tuple[str, str]:
    """The signer's name and position, or a refusal: only the agency's director signs.

    (Điều 80.1 Luật TĐKT 2022: the head of the agency decides its titles and Giấy khen; the
    submission to a higher level is signed by the head too.)
    """
    is_director = (
        isinstance(signer, User)
        and signer.is_active
        and signer.agency_id == agency_id
        and signer.roles.filter(role=Role.DIRECTOR).exists()
    )
    if not is_director:
        raise BusinessRuleError(
            _("Choose the signer among the agency's directors."), field="signer", code="signer"
        )
    name = signer.get_full_name() or (str(signer.person) if signer.person_id else "")
    position = (signer.person.position if signer.person_id else "") or "Giám đốc"
    return nfc(name or signer.get_username()), nfc(position)


def check_date(value, *, field: str, not_before: datetime.date | None = None) -> datetime.date:
    """A signing date: a real date, not in the future, not before `not_before`."""
    if not isinstance(value, datetime.date):
        raise BusinessRuleError(_("Enter the date as dd/mm/yyyy."), field=field, code="required")
    if value > timezone.localdate():
        raise BusinessRuleError(
            _("The date %(date)s is in the future.") % {"date": f"{value:%d/%m/%Y}"}, field=field
        )
    if not_before is not None and value < not_before:
        raise BusinessRuleError(
            _("The date %(date)s is before %(limit)s.")
            % {"date": f"{value:%d/%m/%Y}", "limit": f"{not_before:%d/%m/%Y}"},
            field=field,
        )
    return value


def required_text(value: str, *, field: str, message: str, limit: int) -> str:
    value = nfc(value)
    if not value:
        raise BusinessRuleError(message, field=field, code="required")
    return value[:limit]


def nomination_ids(nominations) -> list[int]:
    """Ids of nominations given as objects or ids, each once, in order."""
    ids = []
    for n in nominations:
        pk = n.pk if isinstance(n, Nomination) else int(n)
        if pk not in ids:
            ids.append(pk)
    return ids


def chosen_nominations(
    *, round_, nominations, held, goes_here, elsewhere: str, taken: str, code: str
) -> list[Nomination]:
    """The nominations a user chose for a document of `round_` (a decision or a submission),
    each checked: of this round, passed by the council, `goes_here(n)` (decided at this level,
    else the `elsewhere` message) and not `held` by another such document (else `taken`).

    `held`: an annotation telling whether a nomination is already in such a document. Every
    problem is a BusinessRuleError on the field "nominations", naming the nomination.
    """
    ids = nomination_ids(nominations)
    found = list(
        Nomination.objects.filter(pk__in=ids)
        .select_related("person", "unit")
        .annotate(held=held)
        .order_by("pk")
    )
    if not found:
        raise BusinessRuleError(
            _("Choose at least one nomination."), field="nominations", code="required"
        )
    for n in found:
        problem = None
        if n.round_id != round_.pk:
            problem = _("%(subject)s is not a nomination of this round.")
        elif n.state != NominationState.PASSED:
            problem = _("%(subject)s has not been passed by the council.")
        elif not goes_here(n):
            problem = elsewhere
        elif n.held:
            problem = taken
        if problem:
            raise BusinessRuleError(problem % {"subject": n}, field="nominations", code=code)
    if len(found) != len(ids):
        raise BusinessRuleError(
            _("A chosen nomination no longer exists."), field="nominations", code="missing"
        )
    return found


def lock_nominations(ids) -> list[Nomination]:
    """The nominations under a row lock, in id order (the order every service locks them in)."""
    return list(
        Nomination.objects.select_for_update(of=("self",))
        .select_related("person__unit", "unit", "round", "nominating_unit")
        .filter(pk__in=ids)
        .order_by("pk")
    )


def check_passed(nominations, *, on: datetime.date) -> None:
    """Every nomination passed the council and nothing blocks the decision on `on`.

    Blockers come from the rounds app: the public posting (Điều 6 Luật TĐKT 2022) not yet over
    on the signing date, or comments received while posted and not yet answered.
    """
    for n in nominations:
        if n.state != NominationState.PASSED:
            raise BusinessRuleError(
                _("%(subject)s: the dossier is at the step “%(state)s”, not passed by the council.")
                % {"subject": n, "state": n.get_state_display()},
                field="nominations",
                code="not_passed",
            )
    blocked = selectors.blockers_of(nominations, on)
    if blocked:
        first = next(n for n in nominations if n.pk in blocked)
        raise BusinessRuleError(
            _("%(reasons)s (%(count)s dossier(s) cannot be decided yet.)")
            % {"reasons": " ".join(blocked[first.pk]), "count": len(blocked)},
            field="nominations",
            code="blocked",
        )


def recipients(nominations) -> list[User]:
    """Who hears of an award: the awarded people's logins and the unit heads who nominated."""
    person_ids = {n.person_id for n in nominations if n.person_id}
    unit_ids = {n.nominating_unit_id for n in nominations}
    creators = {n.created_by_id for n in nominations if n.created_by_id}
    heads = Q(roles__role=Role.UNIT_HEAD) & (Q(roles__unit_id__in=unit_ids) | Q(pk__in=creators))
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(person_id__in=person_ids) | heads)
        .distinct()
        .order_by("pk")
    )


def notify_decided(*, nominations, message: str, url_name: str, pk: int, key: str) -> None:
    notify(
        users=recipients(nominations),
        kind=NotificationKind.DECISION_ISSUED,
        message=message,
        url=reverse(url_name, args=[pk]),
        key=key,
    )


def lock_document(document):
    """A decision or a submission re-read under a row lock, so that concurrent steps queue."""
    return (
        type(document)
        .objects.select_for_update(of=("self",))
        .select_related("agency", "round")
        .get(pk=document.pk)
    )


def audit_document(*, actor, document, action: str, changes: dict, note: str = "") -> None:
    """One audit row for a decision or a submission, in its agency."""
    record(
        actor=actor,
        agency_id=document.agency_id,
        action=action,
        obj=document,
        changes=changes,
        note=note,
    )
