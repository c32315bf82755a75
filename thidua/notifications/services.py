"""Telling people what needs them: a row in the app, and an email when the user has an address."""

import logging

from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from thidua.notifications.models import Notification

log = logging.getLogger(__name__)


def notify(*, users, kind: str, message: str, url: str = "", key: str = "") -> list[Notification]:
    """Notify each of `users` (inactive ones and duplicates are skipped).

    `key`, when given, makes the notice once-only per user (a reminder is not sent twice).
    Emails go out after the surrounding transaction commits, so a rolled-back step sends nothing;
    a failing mail server is logged and never undoes the step.
    """
    created = []
    seen = set()
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        if key and Notification.objects.filter(user=user, key=key).exists():
            continue
        try:
            with transaction.atomic():
                note = Notification.objects.create(
                    user=user, kind=kind, message=message[:500], url=url, key=key
                )
        except IntegrityError:  # the same once-only notice, written by a concurrent request
            continue
        created.append(note)
        if user.email:
            transaction.on_commit(lambda n=note: _email(n.pk))
    return created


def _email(notification_id: int) -> None:
    note = Notification.objects.select_related("user").get(pk=notification_id)
    try:
        send_mail(
            subject=f"[Thi đua] {note.get_kind_display()}",
            message=note.message + (f"\n\n{note.url}" if note.url else ""),
            from_email=None,
            recipient_list=[note.user.email],
        )
    except OSError:
        log.exception("could not email notification %s", notification_id)
        return
    Notification.objects.filter(pk=notification_id).update(emailed=True)
