"""After seed_demo a newcomer finds the planned meeting's agenda book and the held meeting's decision record,
final minutes and public decisions."""

from io import StringIO

import pytest
from django.core.management import call_command

from policies.models import Decision, Meeting, MeetingDocument

from .conftest import pdf_text

pytestmark = pytest.mark.django_db


def test_the_demo_builds_the_planned_meetings_book_and_the_held_meetings_record_once():
    call_command("seed_demo", "--without-debug", stdout=StringIO())
    planned = Meeting.objects.get(status=Meeting.Status.PLANNED)
    book = MeetingDocument.objects.get(meeting=planned, kind=MeetingDocument.Kind.AGENDA_BOOK)
    text = pdf_text(book.file.read())
    assert planned.title.split(" (")[0] in text
    assert all(item.display_title[:12] in text for item in planned.items.all())
    held = Meeting.objects.get(status=Meeting.Status.HELD)
    assert MeetingDocument.objects.filter(meeting=held, kind=MeetingDocument.Kind.DECISION_RECORD).count() == 1
    minutes = MeetingDocument.objects.get(meeting=held, kind=MeetingDocument.Kind.MINUTES)
    assert "위원들은 안건을 검토하고" in pdf_text(minutes.file.read())  # a line may break after it
    assert Decision.objects.filter(agenda_item__meeting=held, made_public_at__isnull=False).exists()
    before = MeetingDocument.objects.count()
    out = StringIO()
    call_command("seed_demo", "--without-debug", stdout=out)
    assert MeetingDocument.objects.count() == before  # a second run builds nothing new
