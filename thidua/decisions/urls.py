from django.urls import path

from thidua.decisions import views

app_name = "decisions"
urlpatterns = [
    path("", views.decision_list, name="list"),
    path("rounds/<int:pk>/draft/", views.draft, name="draft"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/remove-lines/", views.remove_lines, name="remove_lines"),
    path("<int:pk>/issue/", views.issue, name="issue"),
    path("<int:pk>/revoke/", views.revoke, name="revoke"),
    path("<int:pk>/correct/", views.correct, name="correct"),
    path("submissions/", views.submission_list, name="submissions"),
    path("submissions/<int:pk>/", views.submission, name="submission"),
    path("rounds/<int:pk>/submission/", views.submission_create, name="submission_create"),
    path("submissions/<int:pk>/send/", views.submission_send, name="submission_send"),
    path(
        "submissions/<int:pk>/outside-decision/",
        views.outside_decision,
        name="outside_decision",
    ),
]
