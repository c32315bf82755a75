from django.utils import translation
from django.utils.translation import gettext

from thidua.core.i18n import per_language


def test_per_language_builds_once_per_language_in_the_language_active_then():
    calls = []

    @per_language
    def label() -> str:
        calls.append(translation.get_language())
        return gettext("Log out")

    with translation.override("vi"):
        assert (label(), label()) == ("Đăng xuất", "Đăng xuất")
    with translation.override("en"):
        assert label() == "Log out"
    with translation.override("vi"):
        assert label() == "Đăng xuất"
    assert calls == ["vi", "en"]
