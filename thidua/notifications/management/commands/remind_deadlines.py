"""`thidua remind-deadlines [--today dd/mm/yyyy] [--days N]`: remind the deadlines of open rounds.

Meant to run once a day (cron). Each reminder goes once per user and deadline, so running it
again the same day, or twice at once, sends nothing more.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from thidua.notifications.services import remind_deadlines


def _date(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value.strip(), "%d/%m/%Y").date()
    except ValueError:
        raise CommandError(
            _("--today must be a real date as dd/mm/yyyy, for example 16/11/2025, not “%(value)s”.")
            % {"value": value}
        ) from None


class Command(BaseCommand):
    # Plain text, not lazy: argparse cannot format a lazy translation (--help would fail).
    help = "Nhắc những người liên quan về các hạn của những đợt xét khen thưởng đang mở."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", help="ngày bắt đầu tính, dạng dd/mm/yyyy (mặc định: hôm nay)"
        )
        parser.add_argument(
            "--days",
            type=int,
            default=3,
            help="nhắc các hạn sẽ đến trong số ngày này (mặc định 3)",
        )

    def handle(self, *args, today=None, days=3, **options):
        with translation.override("vi"):
            if days < 0:
                raise CommandError(_("--days must be 0 or more."))
            day = _date(today) if today else timezone.localdate()
            sent = remind_deadlines(today=day, days_ahead=days)
            self.stdout.write(
                ngettext("%(count)d reminder sent.", "%(count)d reminders sent.", len(sent))
                % {"count": len(sent)}
            )
