"""The agenda email links the book, and attaches it only when built and within OUTBOX_MAX_ATTACHMENT_BYTES."""

import pytest
from django.urls import reverse

from committee.outbox.models import OutboundEmail
from policies import services
from policies.models import MeetingDocument
from policies.papers.build import build_paper

pytestmark = pytest.mark.django_db
BOOK = MeetingDocument.Kind.AGENDA_BOOK


def agenda_emails(meeting, sequence):
    return OutboundEmail.objects.filter(dedup_key__startswith=f"meeting:{meeting.pk}:seq{sequence}:")


def change_agenda(book, secretariat):
    services.update_agenda_item(book.briefing, by=secretariat, changes={"notes": "수정된 비축 현황."})


def attached_names(email):
    return [attachment.filename for attachment in email.attachments.all()]


def test_the_agenda_email_links_the_book(book_meeting, member):
    book = book_meeting()
    [email] = agenda_emails(book.meeting, 0).filter(to_address=member.email)
    link = reverse("portal:meeting_paper", args=[book.meeting.pk, BOOK])
    assert link in email.body_text and link in email.body_html


def test_a_built_book_of_the_announced_version_is_attached(book_meeting, member, secretariat):
    book = book_meeting()
    book.meeting.refresh_from_db()
    # The book of version 1 is built before its email goes out (as when a change is re-announced).
    book.meeting.invitation_sequence += 1
    book.meeting.save(update_fields=["invitation_sequence"])
    build_paper(book.meeting.pk, BOOK)
    book.meeting.invitation_sequence -= 1
    book.meeting.save(update_fields=["invitation_sequence"])
    change_agenda(book, secretariat)
    [email] = agenda_emails(book.meeting, 1).filter(to_address=member.email)
    assert any(name.endswith(".pdf") for name in attached_names(email))


def test_a_book_over_ten_megabytes_is_linked_never_attached(book_meeting, member, secretariat, settings):
    book = book_meeting()
    book.meeting.invitation_sequence += 1
    book.meeting.save(update_fields=["invitation_sequence"])
    document = build_paper(book.meeting.pk, BOOK)
    book.meeting.invitation_sequence -= 1
    book.meeting.save(update_fields=["invitation_sequence"])
    assert settings.OUTBOX_MAX_ATTACHMENT_BYTES == 10 * 1024 * 1024
    # Recorded as over the limit (a real 10 MB file would only make the test slow).
    MeetingDocument.objects.filter(pk=document.pk).update(size=10 * 1024 * 1024 + 1)
    change_agenda(book, secretariat)
    [email] = agenda_emails(book.meeting, 1).filter(to_address=member.email)
    assert not any(name.endswith(".pdf") for name in attached_names(email))
    assert reverse("portal:meeting_paper", args=[book.meeting.pk, BOOK]) in email.body_text
