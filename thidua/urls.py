from django.urls import include, path

from thidua.accounts.views import home

urlpatterns = [
    path("", home, name="home"),
    path("", include("thidua.org.urls")),
    path("", include("thidua.accounts.urls")),
    path("audit/", include("thidua.audit.urls")),
    path("eligibility/", include("thidua.eligibility.urls")),
    path("import/", include("thidua.imports.urls")),
    path("records/", include("thidua.records.urls")),
    path("rounds/", include("thidua.rounds.urls")),
    path("council/", include("thidua.council.urls")),
    path("decisions/", include("thidua.decisions.urls")),
    path("notifications/", include("thidua.notifications.urls")),
    path("api/v1/", include("thidua.api.urls")),
]
