"""An object's recent changes read with one plain query (the person page, issue #2): the same
entries, in the same order and with the same change rows, as the audit log's ORM query.

Personas (thidua/conftest.py): the officer of agency CQA, the officer of CQB, the
installation's superuser, and a login of no agency (who sees only entries of no agency).
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from thidua.accounts.selectors import scope_for
from thidua.audit.models import AuditEntry
from thidua.audit.selectors import audit_entries_visible_to, recent_changes, with_change_rows


def _entries(w) -> str:
    """Entries about `in_a1` in both agencies and in none, and one about a unit of the same id;
    returns the id."""
    object_id = str(w.in_a1.pk)
    at = timezone.make_aware(datetime.datetime(2024, 3, 4, 5, 6))
    for i in range(7):
        AuditEntry.objects.create(
            agency={4: w.other_agency, 5: None}.get(i, w.agency),
            actor_name=f"người {i}",
            action="UPDATE" if i % 2 else "CREATE",
            object_type="person",
            object_id=object_id,
            changes={"position": ["Chuyên viên", f"Chức vụ {i}"], "roles": ["STAFF"]},
            note="" if i % 3 else f"Ghi chú {i}",
        )
    AuditEntry.objects.create(agency=w.agency, action="UPDATE", object_type="unit",
                              object_id=object_id, changes={"name": ["A", "B"]})  # fmt: skip
    # All at the same moment: the later id comes first, as in the log.
    AuditEntry.objects.filter(object_id=object_id).update(at=at)
    return object_id


def _shown(entries) -> list[tuple]:
    return [
        (
            e.at,
            e.actor_name,
            e.note,
            [(r.label, r.before, r.after, r.single) for r in e.change_rows],
        )
        for e in entries
    ]


@pytest.mark.parametrize("persona", ["officer", "other", "root", "nobody"])
def test_recent_changes_are_the_audit_logs_entries_of_the_object(
    world, persona, django_assert_num_queries
):
    object_id = _entries(world)
    users = {
        **world.users,
        "root": get_user_model().objects.create(username="root", is_superuser=True),
        "nobody": get_user_model().objects.create(username="lac"),
    }
    user = users[persona]
    scope_for(user)

    with django_assert_num_queries(1):
        changes = recent_changes(user, object_type="person", object_id=object_id, limit=4)

    expected = with_change_rows(
        audit_entries_visible_to(user, object_type="person", object_id=object_id)[:4]
    )
    assert _shown(changes) == _shown(expected)
    assert len(changes) == {"officer": 4, "other": 1, "root": 4, "nobody": 1}[persona]
    assert {row.label for row in changes[0].change_rows} == {"chức vụ", "Vai trò"}
