from django.urls import path

from thidua.rounds.views import dossier, rounds

app_name = "rounds"
urlpatterns = [
    path("", rounds.round_list, name="list"),
    path("new/", rounds.round_create, name="create"),
    path("<int:pk>/", rounds.round_detail, name="detail"),
    path("<int:pk>/edit/", rounds.round_edit, name="edit"),
    path("<int:pk>/close/", rounds.round_close, name="close"),
    path("<int:pk>/nominations/", rounds.nomination_list, name="nominations"),
    path("<int:pk>/nominate/", rounds.nominate, name="nominate"),
    path("<int:pk>/pass-without-vote/", rounds.pass_without_vote, name="pass_without_vote"),
    path("<int:pk>/posting/", rounds.posting_start, name="posting_start"),
    path("nominations/<int:pk>/", dossier.nomination_detail, name="nomination"),
    path("nominations/<int:pk>/edit/", dossier.nomination_edit, name="nomination_edit"),
    path("nominations/<int:pk>/submit/", dossier.submit, name="submit"),
    path("nominations/<int:pk>/return/", dossier.return_for_amendment, name="return"),
    path("nominations/<int:pk>/check/", dossier.check, name="check"),
    path("nominations/<int:pk>/withdraw/", dossier.withdraw, name="withdraw"),
    path("nominations/<int:pk>/evidence/", dossier.evidence_add, name="evidence_add"),
    path("nominations/<int:pk>/report-file/", dossier.report_file, name="report_file"),
    path("nominations/<int:pk>/comments/", dossier.comment_add, name="comment_add"),
    path("evidence/<int:pk>/", dossier.evidence_file, name="evidence_file"),
    path("evidence/<int:pk>/remove/", dossier.evidence_remove, name="evidence_remove"),
    path("comments/<int:pk>/answer/", dossier.comment_answer, name="comment_answer"),
]
