from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import DefaultRouter

from thidua.api import views

app_name = "api"
router = DefaultRouter()
router.register("units", views.UnitViewSet, basename="unit")
router.register("people", views.PersonViewSet, basename="person")

urlpatterns = [
    path("", include(router.urls)),
    path("eligibility/", views.EligibilityView.as_view(), name="eligibility"),
    # drf-spectacular serves the schema to anyone by default: like the API, it needs a login.
    path(
        "schema/",
        SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]),
        name="schema",
    ),
]
