"""This app's rows of the permission matrix (run by accounts/tests/test_permissions.py).

Objects are built per test from the shared personas (thidua/conftest.py): a round of the agency
CQA whose titles include HCLD3, which the engine does not assess, so that a nomination is made
and submitted whatever the records say. `in_a1` is in PA1 (under the head's PA), `own` is the
staff member's record, `in_b` is outside the head's units.
"""

import datetime

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from thidua.rounds.models import Evidence, NominationStep, PostingComment
from thidua.testing import NominationFactory, RoundFactory
from thidua.testing_matrix import GET, POST, Target

TITLES = ["LDTT", "CSTDCS", "GK", "BK_TINH", "TTLDTT", "HCLD3"]


def _round(w):
    return RoundFactory(agency=w.agency, titles=TITLES)


def a_round(w):
    return _round(w)


def _nomination(w, person, state="DRAFT", title="HCLD3", **kw):
    return NominationFactory(
        person=person, round=_round(w), state=state, title=title, created_by=w.users["head"], **kw
    )


def draft_a1(w):
    return _nomination(w, w.in_a1)


def submitted_a1(w):
    n = _nomination(w, w.in_a1, state="SUBMITTED")
    NominationStep.objects.create(nomination=n, from_state="DRAFT", to_state="SUBMITTED")
    return n


def draft_b(w):
    return _nomination(w, w.in_b)


def draft_own(w):
    return _nomination(w, w.own)


def _file(name: str, body: str) -> ContentFile:
    return ContentFile(body.encode(), name=name)


def with_report_file(w):
    n = _nomination(w, w.in_a1)
    # The matrix reads a non-HTML answer for the object's key in quotes: the file says it.
    n.report_file.save("bao-cao.txt", _file("bao-cao.txt", f'Báo cáo thành tích "{n.pk}"'))
    return n


def evidence_a1(w):
    n = _nomination(w, w.in_a1)
    evidence = Evidence.objects.create(nomination=n, name="Quyết định công nhận sáng kiến")
    evidence.file.save("sang-kien.txt", _file("sang-kien.txt", f'Sáng kiến "{evidence.pk}"'))
    return evidence


def round_with_checked_ldtt(w):
    n = _nomination(w, w.in_a1, state="CHECKED", title="LDTT")
    return n.round


def round_with_passed_cstdcs(w):
    n = _nomination(w, w.in_a1, state="PASSED", title="CSTDCS")
    return n.round


def posted_a1(w):
    today = timezone.localdate()
    return _nomination(
        w,
        w.in_a1,
        state="PASSED",
        title="CSTDCS",
        posted_from=today,
        posted_until=today + datetime.timedelta(days=5),
    )


def comment_a1(w):
    return PostingComment.objects.create(
        nomination=posted_a1(w),
        received_on=timezone.localdate(),
        author="Ông Hoàng Văn Dân",
        text="Đề nghị làm rõ sáng kiến.",
    )


# --- request bodies ---------------------------------------------------------------------------


def round_form(w):
    return {"kind": "ANNUAL", "year": "2024", "name": "Xét khen thưởng năm 2024",
            "titles": ["LDTT", "CSTDCS"], "nominations_due": "01/12/2024"}  # fmt: skip


def nominate_form(w):
    return {"action": "one", "subject": f"p{w.in_a1.pk}", "title": "HCLD3"}


def dossier_form(w):
    return {"achievement_report": "Hoàn thành xuất sắc nhiệm vụ năm 2024."}


def evidence_form(w):
    return {"name": "Biên bản họp", "file": SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4")}


def return_form(w):
    amend_by = timezone.localdate() + datetime.timedelta(days=7)
    return {"reason": "Bổ sung minh chứng sáng kiến.", "amend_by": f"{amend_by:%d/%m/%Y}"}


def withdraw_form(w):
    return {"reason": "Đơn vị rút đề nghị."}


def posting_form(w):
    return {"start": ""}


def comment_form(w):
    return {"received_on": f"{timezone.localdate():%d/%m/%Y}", "author": "Bà Lê Thị Dân",
            "text": "Góp ý về thành tích."}  # fmt: skip


def answer_form(w):
    return {"answer": "Đã xác minh, thành tích đúng."}


T = Target
# fmt: off
ROWS = [
    #                                                             anon adm  off  dir  cou  head staf none other
    (GET,  T("rounds:list"),                                     (302, 200, 200, 200, 200, 200, 200, 403, 200)),
    (GET,  T("rounds:create"),                                   (302, 200, 200, 403, 403, 403, 403, 403, 200)),
    (POST, T("rounds:create", data=round_form),                  (302, 302, 302, 403, 403, 403, 403, 403, 302)),
    (GET,  T("rounds:detail", a_round, label="rounds:detail"),   (302, 200, 200, 200, 200, 200, 200, 404, 404)),
    (GET,  T("rounds:edit", a_round, label="rounds:edit"),       (302, 200, 200, 403, 403, 403, 403, 404, 404)),
    (POST, T("rounds:edit", a_round, data=round_form, label="rounds:edit POST"),
                                                                 (302, 302, 302, 403, 403, 403, 403, 404, 404)),
    (POST, T("rounds:close", a_round, label="rounds:close"),     (302, 302, 302, 403, 403, 403, 403, 404, 404)),
    (GET,  T("rounds:nominations", a_round, label="rounds:nominations"),
                                                                 (302, 200, 200, 200, 200, 200, 403, 404, 404)),
    (GET,  T("rounds:nominate", a_round, label="rounds:nominate"),
                                                                 (302, 200, 200, 403, 403, 200, 403, 404, 404)),
    (POST, T("rounds:nominate", a_round, data=nominate_form, label="rounds:nominate POST"),
                                                                 (302, 302, 302, 403, 403, 302, 403, 404, 404)),
    (POST, T("rounds:pass_without_vote", round_with_checked_ldtt, label="rounds:pass_without_vote"),
                                                                 (302, 302, 302, 403, 403, 403, 403, 404, 404)),
    (POST, T("rounds:posting_start", round_with_passed_cstdcs, data=posting_form,
             label="rounds:posting_start"),                      (302, 302, 302, 403, 403, 403, 403, 404, 404)),
    (GET,  T("rounds:nomination", draft_a1, label="rounds:nomination[a1]"),
                                                                 (302, 200, 200, 200, 200, 200, 404, 404, 404)),
    (GET,  T("rounds:nomination", draft_b, label="rounds:nomination[b]"),
                                                                 (302, 200, 200, 200, 200, 404, 404, 404, 404)),
    (GET,  T("rounds:nomination", draft_own, label="rounds:nomination[own]"),
                                                                 (302, 200, 200, 200, 200, 200, 200, 404, 404)),
    (GET,  T("rounds:nomination_edit", draft_a1, label="rounds:nomination_edit"),
                                                                 (302, 200, 200, 403, 403, 200, 404, 404, 404)),
    (GET,  T("rounds:nomination_edit", draft_own, label="rounds:nomination_edit[own]"),
                                                                 (302, 200, 200, 403, 403, 200, 403, 404, 404)),
    (POST, T("rounds:nomination_edit", draft_a1, data=dossier_form, label="rounds:nomination_edit POST"),
                                                                 (302, 302, 302, 403, 403, 302, 404, 404, 404)),
    (POST, T("rounds:nomination_edit", draft_b, data=dossier_form, label="rounds:nomination_edit POST[b]"),
                                                                 (302, 302, 302, 403, 403, 404, 404, 404, 404)),
    (POST, T("rounds:submit", draft_a1, label="rounds:submit"),  (302, 302, 302, 403, 403, 302, 404, 404, 404)),
    (POST, T("rounds:submit", draft_own, label="rounds:submit[own]"),
                                                                 (302, 302, 302, 403, 403, 302, 403, 404, 404)),
    (POST, T("rounds:return", submitted_a1, data=return_form, label="rounds:return"),
                                                                 (302, 302, 302, 403, 403, 403, 404, 404, 404)),
    (POST, T("rounds:check", submitted_a1, label="rounds:check"),
                                                                 (302, 302, 302, 403, 403, 403, 404, 404, 404)),
    (POST, T("rounds:withdraw", draft_a1, data=withdraw_form, label="rounds:withdraw"),
                                                                 (302, 302, 302, 403, 403, 302, 404, 404, 404)),
    (POST, T("rounds:evidence_add", draft_a1, data=evidence_form, label="rounds:evidence_add"),
                                                                 (302, 302, 302, 403, 403, 302, 404, 404, 404)),
    (POST, T("rounds:evidence_remove", evidence_a1, label="rounds:evidence_remove"),
                                                                 (302, 302, 302, 403, 403, 302, 404, 404, 404)),
    (GET,  T("rounds:evidence_file", evidence_a1, label="rounds:evidence_file"),
                                                                 (302, 200, 200, 200, 200, 200, 404, 404, 404)),
    (GET,  T("rounds:report_file", with_report_file, label="rounds:report_file"),
                                                                 (302, 200, 200, 200, 200, 200, 404, 404, 404)),
    (POST, T("rounds:comment_add", posted_a1, data=comment_form, label="rounds:comment_add"),
                                                                 (302, 302, 302, 403, 403, 403, 404, 404, 404)),
    (POST, T("rounds:comment_answer", comment_a1, data=answer_form, label="rounds:comment_answer"),
                                                                 (302, 302, 302, 403, 403, 403, 404, 404, 404)),
]
# fmt: on
