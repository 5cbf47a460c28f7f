"""What the system writes into a timeline is stored as codes and values and read in the reader's language."""

import pytest
from django.utils import translation

from committee.outbox.models import OutboundEmail
from policies.models import Decision, ProposalEvent, ProposalState

pytestmark = pytest.mark.django_db


def korean(user):
    user.profile.language = "ko"
    user.profile.save()
    return user


def test_a_decision_recorded_by_a_korean_secretariat_reads_in_english_for_an_english_liaison(
    client, proposal_in_state, secretariat, lead_liaison
):
    korean(secretariat)
    with translation.override("ko"):  # the actor works in Korean
        proposal = proposal_in_state(ProposalState.DECIDED)
    decision = Decision.objects.get(agenda_item__proposal=proposal)
    event = proposal.events.get(action="decide")
    assert event.comment == ""  # nothing in the actor's words
    assert event.details == {"decision": decision.number, "outcome": "adopted"}
    client.force_login(lead_liaison)
    html = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert f"{decision.number}: Adopted" in html and "원안 의결" not in html
    with translation.override("ko"):
        assert event.summary() == f"{decision.number}: 원안 의결"


def test_opinions_and_requests_are_read_in_the_readers_language(proposal_in_state, secretariat, mohw, other_liaison):
    from policies import services

    proposal = proposal_in_state(ProposalState.UNDER_REVIEW)
    with translation.override("ko"):
        (consultation,) = services.request_consultations(proposal, by=secretariat, agencies=[mohw], working_days=3)
        services.give_opinion(consultation, by=other_liaison, position="object", opinion="Too costly")
    consult, opinion = proposal.events.filter(action__in=["consult", "opinion"]).order_by("id")
    assert consult.summary() == f"Opinion requested from MOHW by {consultation.deadline.isoformat()}."
    assert opinion.summary() == "MOHW: Object"
    with translation.override("ko"):
        assert opinion.summary() == "MOHW: 반대"


def test_the_email_about_a_step_speaks_the_recipients_language_not_the_actors(proposal_in_state, secretariat):
    korean(secretariat)
    with translation.override("ko"):
        proposal = proposal_in_state(ProposalState.DECIDED)
    number = Decision.objects.get(agenda_item__proposal=proposal).number
    email = OutboundEmail.objects.filter(kind="proposal_decide", to_address="liaison-msit@example.go.kr").get()
    assert f"{number}: Adopted" in email.body_text and "원안 의결" not in email.body_text


def test_old_rows_keep_their_words_and_a_persons_comment_stays_as_typed(proposal_in_state, secretariat):
    proposal = proposal_in_state(ProposalState.SUBMITTED)
    old = ProposalEvent.objects.create(proposal=proposal, action="decide", actor=secretariat, comment="NBC-D-1: 의결")
    assert (old.summary(), old.text()) == ("", "NBC-D-1: 의결")


def test_a_notification_reads_in_the_readers_language_of_the_moment(client, draft, lead_liaison, secretariat):
    from policies import services

    services.submit_proposal(draft, by=lead_liaison)
    draft.refresh_from_db()
    client.force_login(secretariat)  # English when it was written
    english = client.get("/notifications/").content.decode()
    assert f"New proposal {draft.reference} submitted" in english
    korean(secretariat)  # the reader changes their language afterwards
    html = client.get("/notifications/").content.decode()
    assert f"새 제안 {draft.reference} 제출" in html and "New proposal" not in html
    api = client.get("/api/v1/notifications/").json()
    rows = api["results"] if isinstance(api, dict) else api
    assert rows[0]["subject"] == f"새 제안 {draft.reference} 제출"


def test_an_old_notification_without_texts_keeps_its_words(secretariat):
    from committee.outbox.models import Notification

    old = Notification.objects.create(
        recipient=secretariat, kind="proposal_submitted", subject="옛 알림", dedup_key="k"
    )

    with translation.override("en"):
        assert old.shown_subject == "옛 알림"
