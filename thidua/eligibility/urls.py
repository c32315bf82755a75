from django.urls import path

from thidua.eligibility import views

app_name = "eligibility"
urlpatterns = [
    path("", views.agency_page, name="agency"),
    path("export.xlsx", views.agency_export, name="export"),
    path("settings/", views.settings_page, name="settings"),
]
