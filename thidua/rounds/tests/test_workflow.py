"""The dossier's workflow: every move legal or refused, who may take each step, the return for
amendment and what the officer sees on resubmission, evidence, withdrawal, passing without a
vote. Each move leaves a NominationStep and an audit row."""

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from thidua.accounts.models import Role
from thidua.audit.models import AuditEntry
from thidua.core.errors import BusinessRuleError
from thidua.notifications.models import Notification
from thidua.records.models import Rating
from thidua.rounds import services
from thidua.rounds.models import TRANSITIONS, Evidence, Nomination, NominationState, NominationStep
from thidua.rounds.selectors import vote_share_for
from thidua.testing import NominationFactory, make_user

S = NominationState
LATER = timezone.localdate() + datetime.timedelta(days=7)


def _audit_of(n) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(object_type="nomination", object_id=str(n.pk)).order_by("id")
    )


def _at(world, rnd, state, person=None, title="HCLD3"):
    return NominationFactory(person=person or world.in_a1, round=rnd, state=state, title=title)


# --- the transition function ------------------------------------------------------------------

PAIRS = [(a.value, b.value) for a in S for b in S if a != b]


@pytest.mark.parametrize(("start", "to"), PAIRS)
def test_transition_allows_exactly_the_moves_of_the_table(world, rnd, start, to):
    n = _at(world, rnd, start)
    legal = to in TRANSITIONS[start]
    if legal:
        services.transition(actor=world.users["officer"], nomination=n, to=to, reason="lý do")
    else:
        with pytest.raises(BusinessRuleError) as err:
            services.transition(actor=world.users["officer"], nomination=n, to=to)
        assert err.value.code == "illegal_transition"
    n.refresh_from_db()
    assert n.state == (to if legal else start)
    steps = list(NominationStep.objects.filter(nomination=n).values_list("from_state", "to_state"))
    assert steps == ([(start, to)] if legal else [])
    assert len(_audit_of(n)) == (1 if legal else 0)


def test_transition_many_moves_all_or_none(world, rnd):
    ok = _at(world, rnd, S.CHECKED, title="LDTT")
    stuck = _at(world, rnd, S.DRAFT, person=world.colleague, title="LDTT")
    with pytest.raises(BusinessRuleError):
        services.transition_many(actor=world.users["officer"], nominations=[ok, stuck], to=S.PASSED)
    assert set(Nomination.objects.values_list("state", flat=True)) == {S.CHECKED, S.DRAFT}


# --- submit -----------------------------------------------------------------------------------


def test_submit_draft_by_head_sends_it_to_the_office(world, rnd, nominate):
    n = nominate(world.in_a1)
    n = services.submit(actor=world.users["head"], nomination=n)
    assert n.state == S.SUBMITTED
    last = n.steps.last()
    assert (last.from_state, last.to_state, last.actor, last.changes) == (
        S.DRAFT, S.SUBMITTED, world.users["head"], {}
    )  # fmt: skip


def test_submit_without_report_is_refused(world, rnd, nominate):
    n = nominate(world.in_a1, report="")
    with pytest.raises(BusinessRuleError) as err:
        services.submit(actor=world.users["head"], nomination=n)
    assert (err.value.code, err.value.field) == ("no_report", "achievement_report")
    n.refresh_from_db()
    assert n.state == S.DRAFT


def test_submit_with_only_an_uploaded_report_is_accepted(world, rnd, nominate):
    n = nominate(world.in_a1, report="")
    services.update_dossier(
        actor=world.users["head"],
        nomination=n,
        report_file=SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 report"),
    )
    assert services.submit(actor=world.users["head"], nomination=n).state == S.SUBMITTED


def test_submit_twice_is_an_illegal_move(world, rnd, nominate):
    n = nominate(world.in_a1)
    services.submit(actor=world.users["head"], nomination=n)
    with pytest.raises(BusinessRuleError) as err:
        services.submit(actor=world.users["head"], nomination=n)
    assert err.value.code == "illegal_transition"


def test_submit_by_head_of_another_unit_is_refused(world, rnd, nominate):
    n = nominate(world.in_a1)
    other_head = make_user(agency=world.agency, role=Role.UNIT_HEAD, unit=world.unit_b)
    with pytest.raises(BusinessRuleError) as err:
        services.submit(actor=other_head, nomination=n)
    assert err.value.code == "forbidden"


def test_submit_runs_the_engine_again_and_blocks_a_subject_no_longer_eligible(
    world, rnd, nominate, rate
):
    rating = rate(world.in_a1, "HTTNV")
    n = nominate(world.in_a1, "LDTT")
    Rating.objects.filter(pk=rating.pk).update(level="HTNV")  # the unit corrected the rating
    with pytest.raises(BusinessRuleError) as err:
        services.submit(actor=world.users["head"], nomination=n)
    assert err.value.code == "ineligible"


def test_submit_runs_the_engine_again_and_stores_its_new_verdict(
    world, rnd, nominate, rate, setting
):
    setting("nomination_ineligible", "WARN")
    rate(world.in_a1, "HTNV")
    n = nominate(world.in_a1, "LDTT")
    Rating.objects.filter(person=world.in_a1).update(level="HTTNV")

    n = services.submit(actor=world.users["head"], nomination=n)

    assert (n.eligible, n.warnings) == (True, [])


def test_submit_in_a_closed_round_is_refused(world, rnd, nominate):
    n = nominate(world.in_a1)
    services.close_round(actor=world.users["officer"], round=rnd)
    with pytest.raises(BusinessRuleError) as err:
        services.submit(actor=world.users["head"], nomination=n)
    assert err.value.code == "closed"


# --- return for amendment and resubmission ----------------------------------------------------


@pytest.fixture
def submitted(world, rnd, nominate):
    n = nominate(world.in_a1, report="Báo cáo lần 1")
    services.add_evidence(
        actor=world.users["head"],
        nomination=n,
        name="Biên bản họp",
        file=SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4"),
    )
    return services.submit(actor=world.users["head"], nomination=n)


def test_return_for_amendment_keeps_the_dossier_and_notifies_the_unit(world, submitted):
    world.users["head"].email = "truong@example.vn"
    world.users["head"].save()

    n = services.return_for_amendment(
        actor=world.users["officer"],
        nomination=submitted,
        reason="Bổ sung minh chứng",
        amend_by=LATER,
    )

    assert (n.state, n.return_reason, n.amend_by) == (S.RETURNED, "Bổ sung minh chứng", LATER)
    assert n.amend_from == {
        "achievement_report": "Báo cáo lần 1",
        "report_file": "",
        "evidence": ["Biên bản họp"],
    }
    assert n.steps.last().reason == "Bổ sung minh chứng"
    note = Notification.objects.get(user=world.users["head"])
    assert (note.kind, note.url) == ("RETURNED", f"/rounds/nominations/{n.pk}/")


@pytest.mark.parametrize(
    ("reason", "amend_by", "field"),
    [
        ("", LATER, "reason"),
        ("Bổ sung", None, "amend_by"),
        ("Bổ sung", timezone.localdate(), "amend_by"),
    ],
)
def test_return_needs_a_reason_and_a_future_deadline(world, submitted, reason, amend_by, field):
    with pytest.raises(BusinessRuleError) as err:
        services.return_for_amendment(
            actor=world.users["officer"], nomination=submitted, reason=reason, amend_by=amend_by
        )
    assert err.value.field == field
    submitted.refresh_from_db()
    assert submitted.state == S.SUBMITTED


def test_return_by_unit_head_is_refused(world, submitted):
    with pytest.raises(BusinessRuleError) as err:
        services.return_for_amendment(
            actor=world.users["head"], nomination=submitted, reason="x", amend_by=LATER
        )
    assert err.value.code == "forbidden"


def test_return_of_a_draft_is_an_illegal_move(world, rnd, nominate):
    n = nominate(world.in_a1)
    with pytest.raises(BusinessRuleError) as err:
        services.return_for_amendment(
            actor=world.users["officer"], nomination=n, reason="x", amend_by=LATER
        )
    assert err.value.code == "illegal_transition"


def test_resubmission_shows_the_officer_what_changed(world, submitted):
    head = world.users["head"]
    n = services.return_for_amendment(
        actor=world.users["officer"], nomination=submitted, reason="Bổ sung", amend_by=LATER
    )
    services.update_dossier(actor=head, nomination=n, achievement_report="Báo cáo lần 2")
    services.add_evidence(
        actor=head,
        nomination=n,
        name="Quyết định công nhận sáng kiến",
        file=SimpleUploadedFile("sang-kien.pdf", b"%PDF-1.4"),
    )

    n = services.submit(actor=head, nomination=n)

    step = n.steps.last()
    assert (step.from_state, step.to_state) == (S.RETURNED, S.SUBMITTED)
    assert step.changes == {
        "achievement_report": ["Báo cáo lần 1", "Báo cáo lần 2"],
        "evidence": [["Biên bản họp"], ["Biên bản họp", "Quyết định công nhận sáng kiến"]],
    }
    assert _audit_of(n)[-1].changes["achievement_report"] == ["Báo cáo lần 1", "Báo cáo lần 2"]


def test_resubmission_without_changes_records_none(world, submitted):
    n = services.return_for_amendment(
        actor=world.users["officer"], nomination=submitted, reason="Xem lại", amend_by=LATER
    )
    n = services.submit(actor=world.users["head"], nomination=n)
    assert n.steps.last().changes == {}


# --- check, withdraw --------------------------------------------------------------------------


def test_check_by_officer_moves_on(world, submitted):
    assert (
        services.mark_checked(actor=world.users["officer"], nomination=submitted).state == S.CHECKED
    )


def test_check_by_head_is_refused(world, submitted):
    with pytest.raises(BusinessRuleError) as err:
        services.mark_checked(actor=world.users["head"], nomination=submitted)
    assert err.value.code == "forbidden"


def test_check_of_a_draft_is_an_illegal_move(world, rnd, nominate):
    with pytest.raises(BusinessRuleError) as err:
        services.mark_checked(actor=world.users["officer"], nomination=nominate(world.in_a1))
    assert err.value.code == "illegal_transition"


@pytest.mark.parametrize("state", [S.DRAFT, S.SUBMITTED, S.RETURNED])
def test_withdraw_by_head_until_the_office_checks(world, rnd, state):
    n = _at(world, rnd, state)
    n = services.withdraw(actor=world.users["head"], nomination=n, reason="Đơn vị rút")
    assert (n.state, n.steps.last().reason) == (S.WITHDRAWN, "Đơn vị rút")


@pytest.mark.parametrize("state", [S.CHECKED, S.BEFORE_COUNCIL, S.PASSED])
def test_withdraw_after_the_check_is_for_the_officer_only(world, rnd, state):
    n = _at(world, rnd, state)
    with pytest.raises(BusinessRuleError) as err:
        services.withdraw(actor=world.users["head"], nomination=n, reason="Rút")
    assert err.value.code == "checked"
    assert services.withdraw(actor=world.users["officer"], nomination=n, reason="Rút").state == (
        S.WITHDRAWN
    )


@pytest.mark.parametrize("state", [S.DECIDED, S.NOT_PASSED, S.FORWARDED, S.WITHDRAWN])
def test_withdraw_after_the_end_is_an_illegal_move(world, rnd, state):
    with pytest.raises(BusinessRuleError) as err:
        services.withdraw(
            actor=world.users["officer"], nomination=_at(world, rnd, state), reason="x"
        )
    assert err.value.code == "illegal_transition"


def test_withdraw_needs_a_reason(world, rnd):
    with pytest.raises(BusinessRuleError) as err:
        services.withdraw(
            actor=world.users["head"], nomination=_at(world, rnd, S.DRAFT), reason=" "
        )
    assert err.value.field == "reason"


# --- the dossier's contents -------------------------------------------------------------------


def test_update_dossier_is_audited_with_before_and_after(world, rnd, nominate):
    n = nominate(world.in_a1, report="Cũ")
    services.update_dossier(
        actor=world.users["head"], nomination=n, achievement_report="Mới\r\ndòng 2"
    )
    n.refresh_from_db()
    assert n.achievement_report == "Mới\ndòng 2"
    assert _audit_of(n)[-1].changes == {"achievement_report": ["Cũ", "Mới\ndòng 2"]}


def test_update_dossier_after_submission_is_refused(world, submitted):
    with pytest.raises(BusinessRuleError) as err:
        services.update_dossier(
            actor=world.users["head"], nomination=submitted, achievement_report="x"
        )
    assert err.value.code == "not_editable"


def test_update_dossier_by_council_member_is_refused(world, rnd, nominate):
    with pytest.raises(BusinessRuleError) as err:
        services.update_dossier(
            actor=world.users["council"], nomination=nominate(world.in_a1), achievement_report="x"
        )
    assert err.value.code == "forbidden"


def test_evidence_added_and_removed_leaves_audit_rows_and_no_file(
    world, rnd, nominate, django_capture_on_commit_callbacks
):
    n = nominate(world.in_a1)
    evidence = services.add_evidence(
        actor=world.users["head"], nomination=n, name="", file=SimpleUploadedFile("qd.pdf", b"%PDF")
    )
    path = Path(evidence.file.path)
    assert (evidence.name, path.read_bytes()) == ("qd.pdf", b"%PDF")

    with django_capture_on_commit_callbacks(execute=True):
        services.remove_evidence(actor=world.users["head"], evidence=evidence)

    assert not Evidence.objects.exists()
    assert not path.exists()
    actions = AuditEntry.objects.filter(object_type="evidence").order_by("id")
    assert list(actions.values_list("action", flat=True)) == ["CREATE", "DELETE"]


def test_evidence_of_an_unaccepted_kind_is_refused(world, rnd, nominate):
    with pytest.raises(BusinessRuleError) as err:
        services.add_evidence(
            actor=world.users["head"],
            nomination=nominate(world.in_a1),
            name="x",
            file=SimpleUploadedFile("virus.exe", b"MZ"),
        )
    assert err.value.code == "file_type"


def test_evidence_after_submission_is_refused(world, submitted):
    with pytest.raises(BusinessRuleError) as err:
        services.add_evidence(
            actor=world.users["head"],
            nomination=submitted,
            name="x",
            file=SimpleUploadedFile("x.pdf", b"%PDF"),
        )
    assert err.value.code == "not_editable"


# --- council votes: who needs one, passing the others -----------------------------------------


@pytest.mark.parametrize(
    ("title", "kind", "gk", "share"),
    [("LDTT", "person", 0, 0), ("CSTDCS", "person", 0, 80), ("CSTD_TINH", "person", 0, 90),
     ("CO_TD_TINH", "unit", 0, 80), ("TTLDTT", "unit", 0, 0), ("GK", "person", 0, 0),
     ("GK", "unit", 60, 60), ("HCLD3", "person", 0, 0)],
)  # fmt: skip
def test_vote_share_for_follows_the_catalogue_and_the_gk_setting(title, kind, gk, share):
    assert vote_share_for(title, kind, {"gk_vote_percent": gk}) == share


def test_vote_share_for_a_nomination_reads_its_agencys_setting(world, rnd, setting):
    setting("gk_vote_percent", 50)
    assert vote_share_for(_at(world, rnd, S.CHECKED, title="GK")) == 50


def test_pass_without_vote_passes_only_checked_titles_needing_no_vote(world, rnd):
    ldtt = _at(world, rnd, S.CHECKED, title="LDTT")
    gk = _at(world, rnd, S.CHECKED, person=world.colleague, title="GK")
    cstdcs = _at(world, rnd, S.CHECKED, person=world.own, title="CSTDCS")
    draft = _at(world, rnd, S.DRAFT, person=world.in_b, title="LDTT")

    count = services.pass_without_vote(actor=world.users["officer"], round=rnd)

    states = dict(Nomination.objects.values_list("pk", "state"))
    assert count == 2
    assert [states[n.pk] for n in (ldtt, gk, cstdcs, draft)] == [
        S.PASSED,
        S.PASSED,
        S.CHECKED,
        S.DRAFT,
    ]
    assert (
        NominationStep.objects.filter(to_state=S.PASSED, actor=world.users["officer"]).count() == 2
    )


def test_pass_without_vote_keeps_giay_khen_when_the_agency_sets_a_vote(world, rnd, setting):
    setting("gk_vote_percent", 50)
    gk = _at(world, rnd, S.CHECKED, title="GK")
    assert services.pass_without_vote(actor=world.users["officer"], round=rnd) == 0
    gk.refresh_from_db()
    assert gk.state == S.CHECKED


def test_pass_without_vote_by_head_is_refused(world, rnd):
    _at(world, rnd, S.CHECKED, title="LDTT")
    with pytest.raises(BusinessRuleError) as err:
        services.pass_without_vote(actor=world.users["head"], round=rnd)
    assert err.value.code == "forbidden"
