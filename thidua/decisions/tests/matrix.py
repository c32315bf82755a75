"""This app's rows of the permission matrix (run by accounts/tests/test_permissions.py).

Drafts are read only by agency-wide roles (head and staff get 404); issued decisions and sent
submissions by every role of the agency. The officer and the administrator prepare (draft,
forward, record the outside decision); the director and the officer issue, revoke and correct.
"""

from thidua.decisions.models import Decision
from thidua.decisions.tests.builders import (
    SIGNED,
    draft_of,
    draft_submission_of,
    issued_of,
    round_with_passed,
    sent_submission_of,
    the_draft,
    the_sent_submission,
)
from thidua.testing_matrix import GET, POST, Target

T = Target
DATE = f"{SIGNED:%d/%m/%Y}"


def decision_count(w) -> int:
    return Decision.objects.count()


def draft_form(w):
    return {"summary": ""}


def issue_form(w):
    return {"signer": w.users["director"].pk, "signed_on": DATE}


def remove_form(w):
    return {"lines": [the_draft(w).lines.order_by("pk").first().pk]}


def revoke_form(w):
    return {"reason": "Quyết định của Chủ tịch UBND tỉnh về việc thu hồi"}


def correct_form(w):
    return {"reason": "Sai tên đơn vị", "signer": w.users["director"].pk, "signed_on": DATE}


def submission_form(w):
    return {"authority": "Chủ tịch UBND tỉnh", "summary": ""}


def send_form(w):
    return {"signer": w.users["director"].pk, "sent_on": DATE}


def outside_form(w):
    data = {"number": "123/QĐ-UBND", "date": "20/03/2025", "authority": "Chủ tịch UBND tỉnh"}
    for line in the_sent_submission(w).lines.all():
        data[f"n{line.nomination_id}"] = "on"
    return data


# fmt: off
ROWS = [
    #                                                          anon adm  off  dir  cou  head staf none other
    (GET,   T("decisions:list"),                              (302, 200, 200, 200, 200, 200, 200, 403, 200)),
    (GET,   T("decisions:draft", round_with_passed, label="decisions:draft"),
                                                              (302, 200, 200, 403, 403, 403, 403, 403, 404)),
    (POST,  T("decisions:draft", round_with_passed, data=draft_form, effect=decision_count,
              label="decisions:draft[post]"),
                                                              (302, 302, 302, 403, 403, 403, 403, 403, 404)),
    (GET,   T("decisions:detail", draft_of, label="decisions:detail[draft]"),
                                                              (302, 200, 200, 200, 200, 404, 404, 404, 404)),
    (GET,   T("decisions:detail", issued_of, label="decisions:detail[issued]"),
                                                              (302, 200, 200, 200, 200, 200, 200, 404, 404)),
    (POST,  T("decisions:remove_lines", draft_of, data=remove_form, label="decisions:remove_lines"),
                                                              (302, 302, 302, 403, 403, 404, 404, 404, 404)),
    (GET,   T("decisions:issue", draft_of, label="decisions:issue"),
                                                              (302, 403, 200, 200, 403, 404, 404, 404, 404)),
    (POST,  T("decisions:issue", draft_of, data=issue_form, label="decisions:issue[post]"),
                                                              (302, 403, 302, 302, 403, 404, 404, 404, 404)),
    (GET,   T("decisions:revoke", issued_of, label="decisions:revoke"),
                                                              (302, 403, 200, 200, 403, 403, 403, 404, 404)),
    (POST,  T("decisions:revoke", issued_of, data=revoke_form, label="decisions:revoke[post]"),
                                                              (302, 403, 302, 302, 403, 403, 403, 404, 404)),
    (GET,   T("decisions:correct", issued_of, label="decisions:correct"),
                                                              (302, 403, 200, 200, 403, 403, 403, 404, 404)),
    (POST,  T("decisions:correct", issued_of, data=correct_form, label="decisions:correct[post]"),
                                                              (302, 403, 302, 302, 403, 403, 403, 404, 404)),
    (GET,   T("decisions:submissions"),                       (302, 200, 200, 200, 200, 200, 200, 403, 200)),
    (GET,   T("decisions:submission", draft_submission_of, label="decisions:submission[draft]"),
                                                              (302, 200, 200, 200, 200, 404, 404, 404, 404)),
    (GET,   T("decisions:submission", sent_submission_of, label="decisions:submission[sent]"),
                                                              (302, 200, 200, 200, 200, 200, 200, 404, 404)),
    (GET,   T("decisions:submission_create", round_with_passed, label="decisions:submission_create"),
                                                              (302, 200, 200, 403, 403, 403, 403, 403, 404)),
    (POST,  T("decisions:submission_create", round_with_passed, data=submission_form,
              label="decisions:submission_create[post]"),
                                                              (302, 302, 302, 403, 403, 403, 403, 403, 404)),
    (GET,   T("decisions:submission_send", draft_submission_of, label="decisions:submission_send"),
                                                              (302, 200, 200, 403, 403, 404, 404, 404, 404)),
    (POST,  T("decisions:submission_send", draft_submission_of, data=send_form,
              label="decisions:submission_send[post]"),
                                                              (302, 302, 302, 403, 403, 404, 404, 404, 404)),
    (GET,   T("decisions:outside_decision", sent_submission_of, label="decisions:outside_decision"),
                                                              (302, 200, 200, 403, 403, 403, 403, 404, 404)),
    (POST,  T("decisions:outside_decision", sent_submission_of, data=outside_form,
              label="decisions:outside_decision[post]"),
                                                              (302, 302, 302, 403, 403, 403, 403, 404, 404)),
]
# fmt: on
