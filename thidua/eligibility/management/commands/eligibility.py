import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from thidua.eligibility.exporters import eligibility_xlsx
from thidua.eligibility.selectors import as_document, evaluate_agency, subject_names
from thidua.org.models import Agency


class Command(BaseCommand):
    help = "Xét điều kiện danh hiệu, hình thức khen thưởng của một cơ quan trong một năm."

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="Mã cơ quan")
        parser.add_argument("--year", required=True, type=int, help="Năm xét")
        parser.add_argument("--format", choices=["json", "xlsx"], default="json")
        parser.add_argument("--output", help="Tệp ghi kết quả (mặc định: màn hình, chỉ với json)")

    def handle(self, *args, **options):
        translation.activate("vi")
        try:
            agency = Agency.objects.get(code=options["agency"].upper())
        except Agency.DoesNotExist:
            raise CommandError(f"Không có cơ quan mã {options['agency']}.") from None
        document = as_document(evaluate_agency(agency=agency, year=options["year"]), agency)
        if options["format"] == "xlsx":
            if not options["output"]:
                raise CommandError("Với --format xlsx, hãy cho biết tệp ghi ra bằng --output.")
            with open(options["output"], "wb") as handle:
                handle.write(eligibility_xlsx(document, names=subject_names(agency)))
            return
        text = json.dumps(document, ensure_ascii=False, indent=1)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            sys.stdout.write(text + "\n")
