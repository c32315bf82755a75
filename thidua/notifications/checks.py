"""Start-up check of the site address that the links of notification emails start with."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register


@register()
def site_url_check(app_configs, **kwargs) -> list[Error]:
    value = getattr(settings, "SITE_URL", "")
    parts = urlsplit(value)
    if parts.scheme in ("http", "https") and parts.netloc and not parts.query:
        return []
    return [
        Error(
            f"THIDUA_SITE_URL must be the address of the site, such as https://thidua.example.vn, "
            f"not {value!r}.",
            hint="Links in notification emails are built from it.",
            id="notifications.E001",
        )
    ]
