from django.urls import path

from thidua.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.start, name="start"),
    path("template/<slug:kind>.xlsx", views.template, name="template"),
    path("<int:pk>/", views.batch, name="batch"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
]
