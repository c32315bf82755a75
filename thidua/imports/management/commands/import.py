"""`thidua import KIND FILE --agency CODE [--dry-run]`: import units or staff from a file.

Exit status 0 when the file was imported (or, with --dry-run, would be), 1 when it was refused;
every problem is printed on its own line as "dòng N, cột X: …".
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from thidua.accounts.models import User
from thidua.core.errors import BusinessRuleError
from thidua.core.text import nfc
from thidua.imports.services import run_import
from thidua.imports.specs import kinds
from thidua.org.models import Agency


class Command(BaseCommand):
    help = _("Import units or staff of an agency from an .xlsx or .csv file.")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=kinds(), help=_("what the file holds"))
        parser.add_argument("file", help=_("the .xlsx or .csv file"))
        parser.add_argument("--agency", required=True, help=_("the agency code"))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("check the file and show what would change, without writing"),
        )
        parser.add_argument("--user", help=_("user name recorded in the audit log as the importer"))

    def handle(self, *args, **options):
        with translation.override("vi"):
            return self._handle(**options)

    def _handle(self, *, kind, file, agency, dry_run, user=None, **_options):
        agency_obj = Agency.objects.filter(code=nfc(agency).upper()).first()
        if agency_obj is None:
            raise CommandError(_("There is no agency with code %(code)s.") % {"code": agency})
        actor = None
        if user:
            actor = User.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(_("There is no user named %(name)s.") % {"name": user})
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read the file %(path)s: %(error)s") % {"path": file, "error": exc}
            ) from None
        try:
            result = run_import(
                actor=actor,
                agency=agency_obj,
                kind=kind,
                filename=path.name,
                data=data,
                dry_run=dry_run,
            )
        except BusinessRuleError as exc:
            self.stdout.write(exc.message)
            self.stderr.write(_("The file was refused; nothing was written."))
            sys.exit(1)
        counts = {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        }
        if result.problems:
            for problem in result.problems:
                self.stdout.write(str(problem))
            self.stderr.write(
                _("The file was refused (%(count)s problems); nothing was written.")
                % {"count": len(result.problems)}
            )
            sys.exit(1)
        if result.ignored_columns:
            self.stdout.write(
                _("Columns ignored: %(columns)s.") % {"columns": ", ".join(result.ignored_columns)}
            )
        if dry_run:
            self.stdout.write(
                _(
                    "Check passed, nothing written: %(created)s to create, %(updated)s to update, "
                    "%(unchanged)s unchanged."
                )
                % counts
            )
        else:
            self.stdout.write(
                _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
                % counts
            )
