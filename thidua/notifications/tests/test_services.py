"""notify: rows in the app, emails after commit, once per key, nothing on rollback."""

import logging
import smtplib
import unicodedata

import pytest
from django.core import mail
from django.core.checks import Error
from django.db import transaction

from thidua.notifications import services
from thidua.notifications.checks import site_url_check
from thidua.notifications.models import Notification, NotificationKind

RETURNED = NotificationKind.RETURNED


@pytest.fixture
def mailed(world):
    """The officer and the head have an email address; the others have none."""
    for name, address in (("officer", "thiduakt@stnmt.example.vn"), ("head", "truong@x.vn")):
        world.users[name].email = address
        world.users[name].save(update_fields=["email"])
    return world


def _rows() -> list[tuple[str, str, str]]:
    return sorted(Notification.objects.values_list("user__username", "kind", "message"))


def test_notify_creates_one_row_per_user(world):
    users = [world.users["officer"], world.users["head"]]

    created = services.notify(users=users, kind=RETURNED, message="Hồ sơ bị trả lại", url="/x/")

    assert {n.user_id for n in created} == {u.pk for u in users}
    assert _rows() == [
        ("thiduakt", "RETURNED", "Hồ sơ bị trả lại"),
        ("truong", "RETURNED", "Hồ sơ bị trả lại"),
    ]
    assert all(n.read_at is None and n.url == "/x/" for n in Notification.objects.all())


def test_notify_skips_inactive_none_and_duplicate_users(world):
    world.users["director"].is_active = False
    world.users["director"].save(update_fields=["is_active"])
    officer = world.users["officer"]

    created = services.notify(
        users=[officer, None, world.users["director"], officer], kind=RETURNED, message="m"
    )

    assert [n.user_id for n in created] == [officer.pk]
    assert Notification.objects.count() == 1


def test_notify_emails_users_with_an_address_after_commit(
    mailed, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://thidua.example.vn"
    users = [mailed.users["officer"], mailed.users["head"], mailed.users["staff"]]

    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            users=users, kind=NotificationKind.BALLOT_OPENED, message="Mở phiếu", url="/council/4/"
        )
        assert mail.outbox == []  # nothing before the commit

    assert sorted(m.to[0] for m in mail.outbox) == ["thiduakt@stnmt.example.vn", "truong@x.vn"]
    assert all("https://thidua.example.vn/council/4/" in m.body for m in mail.outbox)
    assert all("Mở phiếu" in m.body for m in mail.outbox)
    emailed = dict(Notification.objects.values_list("user__username", "emailed"))
    assert emailed == {"thiduakt": True, "truong": True, "canbo": False}


def test_notify_email_without_url_links_to_the_notices_page(
    mailed, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://thidua.example.vn"

    with django_capture_on_commit_callbacks(execute=True):
        services.notify(users=[mailed.users["officer"]], kind=RETURNED, message="m")

    assert "https://thidua.example.vn/notifications/" in mail.outbox[0].body


def test_notify_sends_nothing_when_the_step_rolls_back(mailed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.notify(users=[mailed.users["officer"]], kind=RETURNED, message="m")
            raise RuntimeError("the step failed")

    assert (callbacks, mail.outbox, Notification.objects.count()) == ([], [], 0)


def test_notify_mail_failure_is_logged_and_keeps_the_notice(
    mailed, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("server gone")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)

    with caplog.at_level(logging.ERROR, logger="thidua.notifications.services"):
        with django_capture_on_commit_callbacks(execute=True):
            created = services.notify(users=[mailed.users["officer"]], kind=RETURNED, message="m")

    note = Notification.objects.get()
    assert (note.pk, note.emailed) == (created[0].pk, False)
    assert [r.getMessage() for r in caplog.records] == [f"could not email notification {note.pk}"]


def test_notify_mail_server_down_is_logged(
    mailed, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def cannot_open(self):
        raise ConnectionRefusedError("no server")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.open", cannot_open)

    with caplog.at_level(logging.ERROR, logger="thidua.notifications.services"):
        with django_capture_on_commit_callbacks(execute=True):
            services.notify(users=[mailed.users["officer"]], kind=RETURNED, message="m")

    assert Notification.objects.get().emailed is False
    assert len(caplog.records) == 1


def test_notify_with_key_is_sent_once_per_user(mailed, django_capture_on_commit_callbacks):
    officer, head = mailed.users["officer"], mailed.users["head"]
    with django_capture_on_commit_callbacks(execute=True):
        first = services.notify(users=[officer], kind=RETURNED, message="a", key="k:1")
        second = services.notify(users=[officer, head], kind=RETURNED, message="b", key="k:1")
        third = services.notify(users=[officer, head], kind=RETURNED, message="c", key="k:1")

    assert (len(first), [n.user_id for n in second], third) == (1, [head.pk], [])
    assert _rows() == [("thiduakt", "RETURNED", "a"), ("truong", "RETURNED", "b")]
    assert len(mail.outbox) == 2


def test_notify_without_key_may_repeat(world):
    officer = world.users["officer"]
    services.notify(users=[officer], kind=RETURNED, message="a")
    services.notify(users=[officer], kind=RETURNED, message="a")
    assert Notification.objects.filter(user=officer).count() == 2


def test_create_once_skips_a_notice_written_concurrently(world):
    """The row written by a concurrent run between the check and the insert is skipped, and the
    caller's transaction stays usable (a savepoint per row)."""
    officer, head = world.users["officer"], world.users["head"]
    Notification.objects.create(user=officer, kind=RETURNED, message="x", key="k:2")

    with transaction.atomic():
        created = services._create_once([officer, head], kind=RETURNED, text="y", url="", key="k:2")
        assert Notification.objects.count() == 2

    assert [n.user_id for n in created] == [head.pk]


def test_notify_stores_nfc_text_cut_to_the_column(world):
    decomposed = unicodedata.normalize("NFD", "Hồ sơ được trả lại ") * 40

    services.notify(users=[world.users["officer"]], kind=RETURNED, message=decomposed)

    stored = Notification.objects.get().message
    assert len(stored) == 500
    assert stored == unicodedata.normalize("NFC", decomposed)[:500]


def test_notify_refuses_an_unknown_kind(world):
    with pytest.raises(ValueError):
        services.notify(users=[world.users["officer"]], kind="SOMETHING", message="m")


def test_notify_with_nobody_writes_nothing(world, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert services.notify(users=[], kind=RETURNED, message="m") == []


def test_absolute_url_prefixes_the_site_address(settings):
    settings.SITE_URL = "https://thidua.example.vn"
    assert [
        services.absolute_url("/rounds/1/"),
        services.absolute_url("rounds/1/"),
        services.absolute_url("https://other.example/x"),
    ] == [
        "https://thidua.example.vn/rounds/1/",
        "https://thidua.example.vn/rounds/1/",
        "https://other.example/x",
    ]


def test_mark_read_keeps_the_first_reading_time(world):
    note = Notification.objects.create(user=world.users["staff"], kind=RETURNED, message="m")
    services.mark_read(user=world.users["staff"], notification=note)
    first = Notification.objects.get().read_at

    services.mark_read(user=world.users["staff"], notification=Notification.objects.get())

    assert first is not None and Notification.objects.get().read_at == first


def test_mark_read_refuses_someone_elses_notice(world):
    note = Notification.objects.create(user=world.users["staff"], kind=RETURNED, message="m")
    with pytest.raises(ValueError):
        services.mark_read(user=world.users["officer"], notification=note)
    assert Notification.objects.get().read_at is None


def test_mark_all_read_touches_only_the_users_notices(world):
    staff, officer = world.users["staff"], world.users["officer"]
    for user in (staff, staff, officer):
        Notification.objects.create(user=user, kind=RETURNED, message="m")

    assert services.mark_all_read(user=staff) == 2
    unread = list(Notification.objects.filter(read_at__isnull=True).values_list("user", flat=True))
    assert unread == [officer.pk]


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("http://127.0.0.1:8000", True),
        ("https://thidua.example.vn", True),
        ("thidua.example.vn", False),
        ("", False),
        ("ftp://x", False),
    ],
)
def test_site_url_check_accepts_only_a_web_address(settings, value, ok):
    settings.SITE_URL = value
    errors = site_url_check(None)
    assert (errors == []) == ok
    assert all(isinstance(e, Error) and e.id == "notifications.E001" for e in errors)


def test_site_url_defaults_and_drops_the_trailing_slash(load_settings):
    assert load_settings(THIDUA_SITE_URL=None)["SITE_URL"] == "http://127.0.0.1:8000"
    assert load_settings(THIDUA_SITE_URL="https://td.example.vn/")["SITE_URL"] == (
        "https://td.example.vn"
    )
