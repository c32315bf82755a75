from django.core.management.base import BaseCommand

from thidua.demo.records_seed import FIRST_YEAR, LAST_YEAR
from thidua.demo.services import DEMO_PASSWORD, demo_logins, seed_demo
from thidua.records.models import Award, Initiative, Rating


class Command(BaseCommand):
    help = (
        "Tạo (hoặc bổ sung) dữ liệu mẫu: Sở TN&MT Lạng Sơn và Bình Phước, hồ sơ thi đua "
        f"{FIRST_YEAR}–{LAST_YEAR}, với các tài khoản thử."
    )

    def handle(self, *args, **options):
        agencies = seed_demo()
        for agency in agencies:
            self.stdout.write(f"{agency.code}: {agency.name} — {agency.people.count()} cán bộ")
            self.stdout.write(
                f"  {FIRST_YEAR}–{LAST_YEAR}: "
                f"{Rating.objects.filter(agency=agency).count()} xếp loại, "
                f"{Award.objects.filter(agency=agency).count()} danh hiệu và hình thức khen thưởng, "
                f"{Initiative.objects.filter(agency=agency).count()} sáng kiến"
            )
        self.stdout.write(f"Tài khoản thử (mật khẩu chung: {DEMO_PASSWORD}):")
        for login in demo_logins():
            self.stdout.write(f"  {login.username:<14} {login.description}")
