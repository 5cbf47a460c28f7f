"""The migration from the ics columns to attachments: each stored invitation becomes one, and back again."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("outbox", "0002_committee_of_each_row")
AFTER = ("outbox", "0004_drop_ics_columns")
CALENDAR = "BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nSUMMARY:회의 취소\r\nEND:VCALENDAR\r\n"


def migrate(target):
    """Move the outbox to `target` and return the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    executor.loader.build_graph()
    return executor.loader.project_state(target).apps


@pytest.fixture
def at_the_ics_columns():
    """The outbox as it was before attachments; put back at the latest migration whatever the test does."""
    try:
        yield migrate(BEFORE)
    finally:
        # The latest outbox migration, not AFTER: later migrations (0005...) must be back for the tests after this.
        (latest,) = MigrationExecutor(connection).loader.graph.leaf_nodes("outbox")
        migrate(latest)


def email(apps, key, **fields):
    model = apps.get_model("outbox", "OutboundEmail")
    return model.objects.create(kind="test", dedup_key=key, to_address="r@example.go.kr", subject=key, **fields)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_stored_invitation_becomes_one_calendar_attachment_and_goes_back(at_the_ics_columns):
    old = at_the_ics_columns
    cancel = email(old, "cancel", ics_content=CALENDAR, ics_method="CANCEL").pk
    no_method = email(old, "no-method", ics_content="BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", ics_method="").pk
    plain = email(old, "plain").pk

    new = migrate(AFTER)
    rows = new.get_model("outbox", "EmailAttachment").objects.order_by("email_id")
    stored = [(a.email_id, a.position, a.filename, a.content_type, bytes(a.content), a.size) for a in rows]
    assert stored == [
        (
            cancel,
            0,
            "invitation.ics",
            "text/calendar; charset=utf-8; method=CANCEL",
            CALENDAR.encode(),
            len(CALENDAR.encode()),
        ),
        (
            no_method,
            0,
            "invitation.ics",
            "text/calendar; charset=utf-8; method=REQUEST",  # delivery's default while the method was a column
            b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
            32,
        ),
    ]
    assert plain not in {row[0] for row in stored}

    back = migrate(BEFORE)
    columns = back.get_model("outbox", "OutboundEmail").objects.values_list("dedup_key", "ics_content", "ics_method")
    assert sorted(columns) == [
        ("cancel", CALENDAR, "CANCEL"),
        ("no-method", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "REQUEST"),
        ("plain", "", ""),
    ]
