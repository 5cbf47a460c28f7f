"""When papers are built: queued on commit by the verbs, idempotent, a new version when the agenda changes;
the decision record of a held meeting."""

import datetime

import pytest
from celery import current_app

from committee.audit.models import AuditEntry
from committee.dates import seoul_today
from policies import services
from policies.models import AgendaItem, Decision, MeetingDocument
from policies.papers.build import build_paper
from policies.tasks import build_meeting_paper
from tests import cast

from .conftest import pdf_text

pytestmark = pytest.mark.django_db
BOOK, RECORD = MeetingDocument.Kind.AGENDA_BOOK, MeetingDocument.Kind.DECISION_RECORD


@pytest.fixture
def eager_celery():
    """Celery runs a published task in this process (its documented eager mode), so a queued build happens."""
    previous = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True
    yield
    current_app.conf.task_always_eager = previous


def test_publishing_queues_the_book_to_be_built_after_commit_not_inside_the_verb(
    book_meeting, eager_celery, django_capture_on_commit_callbacks, secretariat
):
    with django_capture_on_commit_callbacks() as callbacks:
        book = book_meeting()
    assert not MeetingDocument.objects.exists()  # nothing is built inside the verb's transaction
    for callback in callbacks:
        callback()
    [document] = MeetingDocument.objects.filter(meeting=book.meeting)
    assert (document.kind, document.version) == (BOOK, 0)


def test_running_the_task_twice_stores_one_book_and_one_audit_entry(book_meeting):
    book = book_meeting()
    first = build_meeting_paper.apply(args=(book.meeting.pk, BOOK)).get()
    second = build_meeting_paper.apply(args=(book.meeting.pk, BOOK)).get()
    assert first == second
    assert MeetingDocument.objects.filter(meeting=book.meeting).count() == 1
    entries = AuditEntry.objects.filter(action="meeting_document.built")
    assert entries.count() == 1
    assert entries.get().actor is None  # system work
    assert entries.get().committee_id == book.meeting.committee_id


def test_a_change_to_the_published_agenda_builds_a_new_version_and_keeps_the_old(
    book_meeting, secretariat, eager_celery, django_capture_on_commit_callbacks
):
    book = book_meeting()
    build_paper(book.meeting.pk, BOOK)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_agenda_item(book.briefing, by=secretariat, changes={"title": "백신 비축 브리핑"})
    versions = {d.version: d for d in MeetingDocument.objects.filter(meeting=book.meeting, kind=BOOK)}
    assert sorted(versions) == [0, 1]
    assert "백신 비축 브리핑" in pdf_text(versions[1].file.read())
    assert "백신 비축 브리핑" not in pdf_text(versions[0].file.read())
    assert versions[1].sha256 != versions[0].sha256


def test_a_changed_opinion_rebuilds_the_same_version_in_place(book_meeting, other_liaison):
    book = book_meeting()
    first = build_paper(book.meeting.pk, BOOK)
    consultation = book.proposal.consultations.get()
    services.give_opinion(consultation, by=other_liaison, position="concur", opinion="이견 없음.")
    again = build_paper(book.meeting.pk, BOOK)
    assert again.pk == first.pk and again.version == first.version
    assert again.sha256 != first.sha256
    assert "이견 없음." in pdf_text(again.file.read())


def test_a_cancelled_meeting_gets_no_book(book_meeting, secretariat):
    book = book_meeting()
    services.cancel_meeting(book.meeting, by=secretariat, reason="태풍")
    assert build_paper(book.meeting.pk, BOOK) is None
    assert not MeetingDocument.objects.exists()


@pytest.fixture
def held_meeting(book_meeting, secretariat, member, lead_liaison):
    book = book_meeting(days_ahead=-1)  # a meeting is recorded once it has started
    cast.attend_all(book.meeting, secretariat)
    item = AgendaItem.objects.get(meeting=book.meeting, proposal=book.proposal)
    decision = services.record_decision(
        item,
        by=secretariat,
        outcome=Decision.Outcome.ADOPTED,
        resolution="원안대로 의결한다.",
        votes_for=1,
        votes_against=0,
        abstentions=0,
    )
    services.assign_follow_up_action(
        decision,
        by=secretariat,
        agency=lead_liaison.profile.agency,
        title="시행계획 수립",
        due_date=seoul_today() + datetime.timedelta(days=30),
    )
    return book, decision


def test_marking_held_queues_the_decision_record_with_every_decision_vote_and_action(
    held_meeting, secretariat, eager_celery, django_capture_on_commit_callbacks
):
    book, decision = held_meeting
    assert not MeetingDocument.objects.filter(kind=RECORD).exists()  # not before the meeting is held
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_meeting_held(book.meeting, by=secretariat)
    record = MeetingDocument.objects.get(meeting=book.meeting, kind=RECORD)
    text = pdf_text(record.file.read())
    for expected in (decision.number, "원안 의결", "원안대로 의결한다.", "시행계획 수립", "과학기술정보통신부"):
        assert expected in text, expected
    assert "찬성 1" in text.replace("\n", " ")
    assert record.version == 1


def test_a_decision_recorded_on_a_held_meeting_builds_a_new_record(
    book_meeting, secretariat, member, eager_celery, django_capture_on_commit_callbacks, proposal_in_state
):
    book = book_meeting(days_ahead=-1)
    cast.attend_all(book.meeting, secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_meeting_held(book.meeting, by=secretariat)
    assert MeetingDocument.objects.get(meeting=book.meeting, kind=RECORD).version == 1
    item = AgendaItem.objects.get(meeting=book.meeting, proposal=book.proposal)
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.record_decision(item, by=secretariat, outcome="adopted", resolution="사후 의결.")
    newest = MeetingDocument.objects.filter(meeting=book.meeting, kind=RECORD).order_by("-version").first()
    assert newest.version == 2
    assert decision.number in pdf_text(newest.file.read())
    assert build_paper(book.meeting.pk, RECORD).pk == newest.pk  # unchanged sources: no third version
