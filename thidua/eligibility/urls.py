from django.urls import path

from thidua.eligibility import views

app_name = "eligibility"
urlpatterns = [
    path("", views.agency_page, name="agency"),
    path("export.xlsx", views.agency_export, name="export"),
    path("settings/", views.settings_page, name="settings"),
    path("person/<int:pk>/", views.person_section, name="person_section"),
    path("unit/<int:pk>/", views.unit_section, name="unit_section"),
]
