"""Telling people what needs them: a row in the app, and an email when the user has an address.

`notify` is what the other apps call (returned for amendment, ballot opened, decision issued);
`remind_deadlines` is run once a day by `thidua remind-deadlines` (cron).
"""

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from thidua.core.text import nfc
from thidua.notifications.models import Notification, NotificationKind
from thidua.notifications.selectors import deadline_recipients, open_rounds_due
from thidua.rounds.models import Round

log = logging.getLogger(__name__)

MESSAGE_MAX = Notification._meta.get_field("message").max_length


def absolute_url(path: str) -> str:
    """`path` as a link that works from an email: the site address (THIDUA_SITE_URL) + path."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL + (path if path.startswith("/") else f"/{path}")


def notify(*, users, kind: str, message: str, url: str = "", key: str = "") -> list[Notification]:
    """Notify each of `users` in the app, and by email those who have an address.

    Inactive users, `None` and duplicates are skipped. `key`, when given, makes the notice
    once-only per user (a reminder is not sent twice, even by two concurrent runs: the database
    holds a unique constraint on user × key). Emails go out after the surrounding transaction
    commits, so a rolled-back step sends nothing; a failing mail server is logged and never
    undoes the step. Returns the notices created.
    """
    if kind not in NotificationKind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    text = nfc(str(message))[:MESSAGE_MAX]
    recipients: dict[int, object] = {}
    for user in users:
        if user is not None and user.pk not in recipients and user.is_active:
            recipients[user.pk] = user
    if not recipients:
        return []
    url, key = str(url), str(key)
    if key:
        already = set(
            Notification.objects.filter(user_id__in=list(recipients), key=key).values_list(
                "user_id", flat=True
            )
        )
        recipients = {pk: u for pk, u in recipients.items() if pk not in already}
    if not recipients:
        return []
    with transaction.atomic():
        if key:
            created = _create_once(recipients.values(), kind=kind, text=text, url=url, key=key)
        else:
            created = Notification.objects.bulk_create(
                [
                    Notification(user=u, kind=kind, message=text, url=url)
                    for u in recipients.values()
                ]
            )
        to_email = [n.pk for n in created if n.user.email]
        if to_email:
            transaction.on_commit(lambda: send_emails(to_email), robust=True)
    return created


def _create_once(users: Iterable, *, kind: str, text: str, url: str, key: str) -> list:
    created = []
    for user in users:
        try:
            with transaction.atomic():  # a savepoint: a lost race must not spoil the caller's step
                note = Notification.objects.create(
                    user=user, kind=kind, message=text, url=url, key=key
                )
        except IntegrityError:  # the same once-only notice, written by a concurrent run
            continue
        created.append(note)
    return created


def send_emails(notification_ids: list[int]) -> int:
    """Email the given notices (after commit). Failures are logged, never raised; returns the
    number sent. The notices sent are marked `emailed`."""
    notes = list(
        Notification.objects.filter(pk__in=notification_ids, emailed=False)
        .select_related("user")
        .order_by("pk")
    )
    sent: list[int] = []
    try:
        with translation.override(settings.LANGUAGE_CODE), mailers.default as mailer:
            for note in notes:
                if not note.user.email:
                    continue
                try:
                    mailer.send_messages([_message(note)])
                except Exception:  # the mail server's failure must never break the workflow
                    log.exception("could not email notification %s", note.pk)
                    continue
                sent.append(note.pk)
    except Exception:  # opening or closing the connection failed
        log.exception("could not email notifications %s", notification_ids)
    if sent:
        Notification.objects.filter(pk__in=sent).update(emailed=True)
    return len(sent)


def _message(note: Notification) -> EmailMessage:
    user = note.user
    parts = [_("Dear %(name)s,") % {"name": user.get_full_name() or user.get_username()}]
    parts.append(note.message)
    if note.url:
        parts.append(_("Open: %(link)s") % {"link": absolute_url(note.url)})
    parts.append(
        _("All your notices: %(link)s") % {"link": absolute_url(reverse("notifications:list"))}
    )
    parts.append(
        _(
            "This message was sent automatically by the emulation and commendation system; "
            "please do not reply to it."
        )
    )
    body = "\n\n".join(parts)
    subject = _("[Emulation and commendation] %(kind)s") % {"kind": note.get_kind_display()}
    return EmailMessage(subject=subject, body=body, to=[user.email])


@transaction.atomic
def mark_read(*, user, notification: Notification) -> Notification:
    """Mark one of the user's own notices read (once: the first reading time is kept)."""
    if notification.user_id != user.pk:
        raise ValueError("a notice is only marked read by its own user")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


@transaction.atomic
def mark_all_read(*, user) -> int:
    """Mark every unread notice of the user read; returns how many were."""
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- deadline reminders -----------------------------------------------------------------------


def _deadline_text(field: str, *, round: Round, due: datetime.date, days_left: int) -> str:
    left = (
        _("today")
        if days_left == 0
        else ngettext("%(days)d day left", "%(days)d days left", days_left) % {"days": days_left}
    )
    texts = {
        "nominations_due": _("Unit nominations for “%(round)s” are due on %(date)s (%(left)s)."),
        "checks_due": _(
            "The office's checks of the dossiers of “%(round)s” are due on %(date)s (%(left)s)."
        ),
        "council_due": _("The council must meet on “%(round)s” by %(date)s (%(left)s)."),
        "decision_due": _("The decision of “%(round)s” is due on %(date)s (%(left)s)."),
    }
    return texts[field] % {"round": round.name, "date": due.strftime("%d/%m/%Y"), "left": left}


def round_url(round: Round) -> str:
    """The round's page (the rounds app's `detail`); no link rather than a broken one."""
    try:
        return reverse("rounds:detail", args=[round.pk])
    except NoReverseMatch:
        return ""


def deadline_key(round: Round, field: str, due: datetime.date) -> str:
    """Once per user and deadline; a deadline moved to another day is a new deadline."""
    return f"deadline:round {round.pk}:{field}:{due.isoformat()}"


def remind_deadlines(*, today: datetime.date, days_ahead: int = 3) -> list[Notification]:
    """Remind the people concerned of every deadline of an open round due within `days_ahead`
    days from `today` (today included); each reminder is sent once per user and deadline.

    nominations_due → the agency's unit heads and officers; checks_due → officers; council_due
    → officers and council members; decision_due → officers and the director. Passed deadlines
    are not reminded. Returns the notices created.
    """
    if days_ahead < 0:
        raise ValueError("days_ahead must not be negative")
    end = today + datetime.timedelta(days=days_ahead)
    created: list[Notification] = []
    with translation.override(settings.LANGUAGE_CODE):
        for rnd in open_rounds_due(start=today, end=end):
            url = round_url(rnd)
            for field, due in rnd.deadlines():
                if due is None or not today <= due <= end:
                    continue
                created += notify(
                    users=deadline_recipients(round=rnd, field=field),
                    kind=NotificationKind.DEADLINE_NEAR,
                    message=_deadline_text(field, round=rnd, due=due, days_left=(due - today).days),
                    url=url,
                    key=deadline_key(rnd, field, due),
                )
    return created
