from django.core.management.base import BaseCommand

from thidua.demo.services import DEMO_PASSWORD, demo_logins, seed_demo


class Command(BaseCommand):
    help = "Tạo (hoặc bổ sung) dữ liệu mẫu: Sở TN&MT Lạng Sơn và Bình Phước, với các tài khoản thử."

    def handle(self, *args, **options):
        agencies = seed_demo()
        for agency in agencies:
            self.stdout.write(f"{agency.code}: {agency.name} — {agency.people.count()} cán bộ")
        self.stdout.write(f"Tài khoản thử (mật khẩu chung: {DEMO_PASSWORD}):")
        for login in demo_logins():
            self.stdout.write(f"  {login.username:<14} {login.description}")
