from django.urls import path

from thidua.records import views
from thidua.records.enums import SubjectKind

PERSON = {"kind": SubjectKind.PERSON.value}
UNIT = {"kind": SubjectKind.UNIT.value}

app_name = "records"
urlpatterns = [
    path("people/<int:pk>/rating/", views.rating_edit, PERSON, name="person_rating"),
    path("units/<int:pk>/rating/", views.rating_edit, UNIT, name="unit_rating"),
    path("units/<int:pk>/staff-ratings/", views.unit_ratings, name="unit_ratings"),
    path("people/<int:pk>/award/", views.award_create, PERSON, name="person_award"),
    path("units/<int:pk>/award/", views.award_create, UNIT, name="unit_award"),
    path("awards/<int:pk>/revoke/", views.award_revoke, name="award_revoke"),
    path("awards/<int:pk>/correct/", views.award_correct, name="award_correct"),
    path("people/<int:pk>/initiative/", views.initiative_create, name="person_initiative"),
    path("people/<int:pk>/discipline/", views.discipline_create, name="person_discipline"),
    path(
        "people/<int:pk>/achievement/", views.achievement_create, PERSON, name="person_achievement"
    ),
    path("units/<int:pk>/achievement/", views.achievement_create, UNIT, name="unit_achievement"),
]
