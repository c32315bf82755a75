"""`thidua create-agency CODE --name "…" [--place "…"] [--symbol …]`: create an agency once.

Running it again with the same code changes nothing and still succeeds (exit status 0).
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from thidua.core.errors import BusinessRuleError
from thidua.org.services import ensure_agency


class Command(BaseCommand):
    help = _("Create an agency (Sở) unless one with this code exists.")

    def add_arguments(self, parser):
        parser.add_argument("code", help=_("agency code, for example STNMT_LS"))
        parser.add_argument("--name", required=True, help=_("full name of the agency"))
        parser.add_argument("--place", default="", help=_("place name in documents"))
        parser.add_argument("--symbol", default="", help=_("document symbol, e.g. STNMT"))

    def handle(self, *args, code, name, place, symbol, **options):
        with translation.override("vi"):
            try:
                agency, created = ensure_agency(code=code, name=name, place=place, symbol=symbol)
            except BusinessRuleError as exc:
                raise CommandError(exc.message) from None
            if created:
                self.stdout.write(
                    _("Created agency %(code)s: %(name)s.")
                    % {"code": agency.code, "name": agency.name}
                )
            else:
                self.stdout.write(
                    _("Agency %(code)s already exists (%(name)s); nothing changed.")
                    % {"code": agency.code, "name": agency.name}
                )
