"""Each letter is keyed by the event it tells of: every revision of an opinion is news once, and a decision
reaches every agency with a say in the proposal (tests written for survivors of the mutation run)."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from committee.outbox.models import Notification
from policies import notifications, services
from policies.models import Decision, ProposalState
from tests import cast

pytestmark = pytest.mark.django_db


def told(kind, username="secretariat") -> int:
    return Notification.objects.filter(kind=kind, recipient__username=username).count()


def test_each_revision_of_an_opinion_is_news_once_and_only_once(proposal_in_state, secretariat, other_liaison, mohw):
    proposal = proposal_in_state(ProposalState.UNDER_REVIEW)
    (consultation,) = services.request_consultations(
        proposal, by=secretariat, agencies=[mohw], deadline=timezone.localdate() + datetime.timedelta(days=5)
    )
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        services.give_opinion(consultation, by=other_liaison, position="concur", opinion="")
    for hours, position in ((1, "object"), (2, "concur_with_conditions")):
        with time_machine.travel(start + datetime.timedelta(hours=hours), tick=False):
            consultation = services.give_opinion(consultation, by=other_liaison, position=position, opinion="Why.")
    assert (told("opinion_received"), told("opinion_revised")) == (1, 2)
    # The hook run again for the last revision (a retried task, a second save) tells nobody twice.
    consultation.refresh_from_db()
    with time_machine.travel(start + datetime.timedelta(hours=3), tick=False):
        notifications.opinion_received(consultation, revised=True)
    assert told("opinion_revised") == 2


def test_a_decision_reaches_the_co_sponsoring_agencies_of_its_proposal(proposal_in_state, other_liaison, mohw):
    proposal = proposal_in_state(ProposalState.DECIDED, co_sponsors=[mohw])
    decision = Decision.objects.get(agenda_item__proposal=proposal)
    assert decision.agenda_item.presenter_id != mohw.pk  # mohw hears as co-sponsor, not as presenter
    assert told("decision_recorded", "liaison-mohw") == 1


def test_a_decision_reaches_the_presenting_agency_and_links_to_the_proposal(
    committee, secretariat, proposal_in_state, member, third_liaison, motie
):
    proposal = proposal_in_state(ProposalState.ACCEPTED)
    meeting = cast.make_meeting(committee, secretariat, days_ahead=-1)
    item = services.add_agenda_item(meeting, by=secretariat, proposal=proposal, presenter=motie)
    services.publish_agenda(meeting, by=secretariat)
    cast.attend_all(meeting, secretariat)
    services.record_decision(item, by=secretariat, outcome=Decision.Outcome.ADOPTED, resolution="Adopted.")
    letter = Notification.objects.get(kind="decision_recorded", recipient=third_liaison)
    assert letter.url.endswith(f"/proposals/{proposal.pk}/")
    member_letter = Notification.objects.get(kind="decision_recorded", recipient=member)
    assert member_letter.url.endswith(f"/proposals/{proposal.pk}/")
