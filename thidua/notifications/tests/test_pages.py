"""The notices pages: each user sees, opens and marks only their own."""

import datetime

import pytest
import time_machine
from django.test import RequestFactory

from thidua.notifications.context_processors import unread
from thidua.notifications.models import Notification, NotificationKind

RETURNED = NotificationKind.RETURNED


def _note(user, message: str = "m", url: str = "", **kw) -> Notification:
    return Notification.objects.create(user=user, kind=RETURNED, message=message, url=url, **kw)


def test_list_shows_only_the_users_own_notices_newest_first(world, login):
    staff = world.users["staff"]
    with time_machine.travel(datetime.datetime(2025, 1, 10, 3, tzinfo=datetime.UTC)):
        _note(staff, "cũ")
    with time_machine.travel(datetime.datetime(2025, 1, 12, 3, tzinfo=datetime.UTC)):
        _note(staff, "mới", url="/rounds/1/")
    _note(world.users["officer"], "của cán bộ thi đua")
    _note(world.users["other"], "của cơ quan khác")

    response = login(staff).get("/notifications/")

    assert [n.message for n in response.context["page"].object_list] == ["mới", "cũ"]
    assert response.context["unread_notifications"] == 2
    body = response.content.decode()
    assert "của cán bộ thi đua" not in body and "của cơ quan khác" not in body
    assert "12/01/2025" in body


def test_list_marks_unread_notices_and_links_read_ones(world, login):
    staff = world.users["staff"]
    fresh = _note(staff, "chưa đọc", url="/rounds/1/")
    _note(
        staff,
        "đã đọc",
        url="/rounds/2/",
        read_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
    )

    body = login(staff).get("/notifications/").content.decode()

    assert f'action="/notifications/{fresh.pk}/read/"' in body
    assert body.count('class="unread"') == 1
    assert 'href="/rounds/2/"' in body
    assert 'action="/notifications/read-all/"' in body


def test_list_of_a_user_without_notices_offers_no_mark_all(world, login):
    response = login(world.users["norole"]).get("/notifications/")
    assert (response.status_code, response.context["unread_notifications"]) == (200, 0)
    assert "/notifications/read-all/" not in response.content.decode()


def test_list_is_paginated(world, login, settings):
    settings.PAGE_SIZE = 5
    staff = world.users["staff"]
    Notification.objects.bulk_create(
        Notification(user=staff, kind=RETURNED, message=f"thông báo {i}") for i in range(12)
    )

    response = login(staff).get("/notifications/?page=3")

    page = response.context["page"]
    assert (page.number, page.paginator.num_pages, len(page.object_list)) == (3, 3, 2)


def test_list_queries_do_not_grow_with_rows(world, login, django_assert_max_num_queries):
    staff = world.users["staff"]
    client = login(staff)
    Notification.objects.bulk_create(
        Notification(user=staff, kind=RETURNED, message=f"a{i}", url="/") for i in range(5)
    )
    client.get("/notifications/")  # warm the session

    Notification.objects.bulk_create(
        Notification(user=staff, kind=RETURNED, message=f"b{i}", url="/") for i in range(45)
    )
    with django_assert_max_num_queries(6):
        response = client.get("/notifications/")
    assert len(response.context["page"].object_list) == 50


def test_read_marks_the_notice_and_follows_its_link(world, login):
    note = _note(world.users["staff"], url="/rounds/7/")

    response = login(world.users["staff"]).post(f"/notifications/{note.pk}/read/")

    assert response["Location"] == "/rounds/7/"
    note.refresh_from_db()
    assert note.read_at is not None


@pytest.mark.parametrize("url", ["", "https://evil.example/", "//evil.example/x"])
def test_read_without_a_local_link_returns_to_the_list(world, login, url):
    note = _note(world.users["staff"], url=url)

    response = login(world.users["staff"]).post(f"/notifications/{note.pk}/read/")

    assert response["Location"] == "/notifications/"
    assert Notification.objects.get().read_at is not None


def test_read_of_someone_elses_notice_is_404_and_changes_nothing(world, login):
    note = _note(world.users["officer"], message="Bí mật của cán bộ thi đua")

    response = login(world.users["head"]).post(f"/notifications/{note.pk}/read/")

    assert response.status_code == 404
    assert "Bí mật" not in response.content.decode()
    assert Notification.objects.get().read_at is None


def test_read_answers_only_post(world, login):
    note = _note(world.users["staff"], url="/")

    response = login(world.users["staff"]).get(f"/notifications/{note.pk}/read/")

    assert response.status_code == 405
    assert Notification.objects.get().read_at is None


def test_read_all_marks_only_the_users_own(world, login):
    staff, officer = world.users["staff"], world.users["officer"]
    _note(staff)
    _note(staff)
    _note(officer)

    response = login(staff).post("/notifications/read-all/")

    assert response["Location"] == "/notifications/"
    unread = Notification.objects.filter(read_at__isnull=True)
    assert list(unread.values_list("user_id", flat=True)) == [officer.pk]


def test_unread_context_processor_counts_lazily(world, django_assert_num_queries):
    staff = world.users["staff"]
    _note(staff)
    _note(staff, read_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC))
    _note(world.users["officer"])
    request = RequestFactory().get("/")
    request.user = staff

    with django_assert_num_queries(0):
        context = unread(request)
    count = context["unread_notifications"]
    with django_assert_num_queries(1):
        assert (int(count), str(count), bool(count), count == 1) == (1, "1", True, True)


def test_unread_context_processor_gives_nothing_to_anonymous_users():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert unread(request) == {}


@pytest.mark.parametrize(("unread_notes", "shown"), [(0, None), (3, "3")])
def test_menu_shows_the_unread_count(world, login, unread_notes, shown):
    staff = world.users["staff"]
    for _i in range(unread_notes):
        _note(staff)

    html = login(staff).get("/").content.decode()

    assert 'href="/notifications/"' in html
    assert ("chưa đọc" in html) == (shown is not None)
    if shown:
        assert f"<strong>({shown} chưa đọc)</strong>" in html


def test_the_request_user_comes_with_the_unread_count(world, django_assert_num_queries):
    from thidua.accounts.backends import LoginBackend

    staff = world.users["staff"]
    _note(staff)
    _note(staff)
    _note(staff, read_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC))
    _note(world.users["officer"])
    request = RequestFactory().get("/")
    request.user = LoginBackend().get_user(staff.pk)

    with django_assert_num_queries(0):
        assert int(unread(request)["unread_notifications"]) == 2
