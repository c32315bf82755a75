from django.urls import path

from thidua.council import views

app_name = "council"
urlpatterns = [
    path("", views.home, name="home"),
    path("setup/", views.setup, name="setup"),
    path("members/", views.members, name="members"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/agenda/", views.agenda, name="agenda"),
    path("agenda/<int:pk>/remove/", views.agenda_remove, name="agenda_remove"),
    path("meetings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("meetings/<int:pk>/open/", views.open_ballot, name="open"),
    path("meetings/<int:pk>/close/", views.close_ballot, name="close"),
    path("meetings/<int:pk>/ballot/", views.ballot, name="ballot"),
    path("attendance/<int:pk>/written/", views.written_votes, name="written_votes"),
    path("meetings/<int:pk>/tally/", views.paper_tally, name="paper_tally"),
]
