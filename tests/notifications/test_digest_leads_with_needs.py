"""The digest leads with what needs the reader (opinions their agency owes, its follow-up actions due or overdue,
the notifications they asked to receive only in the digest) and says so in its subject, then what changed.

Everything happens at frozen Seoul instants from Tuesday 10 March 2026 10:00 (T0); the digest runs at T0 + 5 days.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from committee.directory.models import Profile
from committee.outbox.models import EmailChoice, OutboundEmail
from policies import digests, services, tasks
from policies.models import DigestPreference, ProposalState
from policies.notifications import Kind
from tests import cast

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")
T0 = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=SEOUL)
DAY = datetime.timedelta(days=1)
DIGEST_DAY = T0 + 5 * DAY


def at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def owed(committee, secretariat, lead_liaison, other_liaison, mohw, health):
    """MOHW owes two opinions (one overdue by the digest day) and two follow-up actions (one overdue, one due
    in three days), and a third action due in a month that is not yet the digest's business."""
    with at(T0):
        if not committee.current_memberships().exists():
            cast.make_member(committee, "member-quorum")

        def proposal(state, title):
            return cast.proposal_in_state(
                state, committee=committee, liaison=lead_liaison, secretariat=secretariat, area=health, title=title
            )

        for title, days in (("Later opinion", 10), ("Sooner opinion", 3)):
            services.request_consultations(
                proposal(ProposalState.SUBMITTED, title),
                by=secretariat,
                agencies=[mohw],
                deadline=(T0 + days * DAY).date(),
            )
        decided = proposal(ProposalState.DECIDED, "Decided proposal")
        decision = decided.agenda_items.get().decision
        for title, days in (("Overdue action", 2), ("Action due soon", 8), ("Action for later", 30)):
            services.assign_follow_up_action(
                decision, by=secretariat, agency=mohw, title=title, due_date=(T0 + days * DAY).date()
            )
    DigestPreference.objects.update_or_create(
        user=other_liaison, defaults={"frequency": DigestPreference.Frequency.DAILY, "period_start": T0 - DAY}
    )
    return other_liaison


def digest_to(user) -> OutboundEmail:
    return OutboundEmail.objects.get(kind=Kind.DIGEST, to_address=user.email)


def test_the_subject_counts_what_needs_the_reader(owed):
    with at(DIGEST_DAY):
        tasks.send_digests()
    assert digest_to(owed).subject.startswith("2 opinions due, 1 action overdue, 1 action due soon – ")


def test_the_body_lists_what_needs_the_reader_first_most_urgent_first(owed):
    with at(DIGEST_DAY):
        tasks.send_digests()
    body = digest_to(owed).body_text
    positions = [
        body.index(text)
        for text in (
            "Waiting for you",
            "Sooner opinion",
            "Later opinion",
            "Overdue action",
            "Action due soon",
            "What changed in your areas",
        )
    ]
    assert positions == sorted(positions)
    assert "Action for later" not in body.split("What changed in your areas")[0]


def test_the_subject_is_translated_with_its_plurals(owed):
    Profile.objects.filter(user=owed).update(language="ko")
    with at(DIGEST_DAY):
        tasks.send_digests()
    with translation.override("ko"):
        expected = digests.needs_summary(2, 1, 1)
    assert expected != digests.needs_summary(2, 1, 1)  # the Korean words differ from the English
    assert digest_to(owed).subject.startswith(expected)


def test_one_of_each_is_singular():
    assert digests.needs_summary(1, 1, 0) == "1 opinion due, 1 action overdue"
    assert digests.needs_summary(0, 0, 0) == ""


def test_a_reader_owing_nothing_gets_the_plain_subject(owed, lead_liaison):
    DigestPreference.objects.update_or_create(
        user=lead_liaison, defaults={"frequency": DigestPreference.Frequency.DAILY, "period_start": T0 - DAY}
    )
    with at(DIGEST_DAY):
        tasks.send_digests()
    assert digest_to(lead_liaison).subject.startswith("Your daily Bio Committee digest")


def test_notifications_chosen_for_the_digest_are_listed_in_it_and_off_ones_are_not(
    owed, committee, secretariat, lead_liaison, mohw, health
):
    services.update_preferences(
        owed, email_choices={Kind.PROPOSAL_ACCEPT: EmailChoice.Delivery.DIGEST, Kind.PROPOSAL_RETURN: "off"}
    )
    with at(T0 + DAY):
        accepted = cast.make_proposal(committee, lead_liaison, health, title="Co-sponsored accepted")
        accepted.co_sponsors.add(mohw)
        services.submit_proposal(accepted, by=lead_liaison)
        services.start_review(accepted, by=secretariat)
        services.return_proposal(accepted, by=secretariat, comment="Fix it.")
        services.submit_proposal(accepted, by=lead_liaison)
        services.start_review(accepted, by=secretariat)
        services.accept_proposal(accepted, by=secretariat)
    assert not OutboundEmail.objects.filter(to_address=owed.email, kind__in=["proposal_accept", "proposal_return"])
    with at(DIGEST_DAY):
        tasks.send_digests()
    held = digest_to(owed).body_text.split("Notifications you chose to receive in your digest")[1]
    held = held.split("What changed")[0].lower()
    assert "accepted" in held
    assert "returned" not in held


@pytest.fixture
def invited(committee, secretariat, lead_liaison, health):
    """Two members of the committee; its meeting in 10 days has a published agenda; one member answered."""
    with at(T0):
        answered, silent = cast.make_member(committee, "member-answered"), cast.make_member(committee, "member-silent")
        late_joiner = cast.make_member(committee, "member-from-next-month")
        late_joiner.memberships.update(term_start=(T0 + 30 * DAY).date())  # not a member on the day
        proposal = cast.proposal_in_state(
            ProposalState.ACCEPTED, committee=committee, liaison=lead_liaison, secretariat=secretariat, area=health
        )
        meeting = cast.make_meeting(committee, secretariat, days_ahead=10, title="Bio-economy strategy meeting")
        services.add_agenda_item(meeting, by=secretariat, proposal=proposal)
        services.publish_agenda(meeting, by=secretariat)
        services.reply_to_invitation(meeting, by=answered, answer="attending")
    for person in (answered, silent, late_joiner):
        DigestPreference.objects.update_or_create(
            user=person, defaults={"frequency": DigestPreference.Frequency.DAILY, "period_start": DIGEST_DAY - DAY}
        )
    return {"answered": answered, "silent": silent, "late_joiner": late_joiner, "meeting": meeting}


def test_a_member_who_has_not_answered_an_invitation_is_asked_first_with_one_click_answers(invited):
    with at(DIGEST_DAY):
        tasks.send_digests()
    digest = digest_to(invited["silent"])
    assert digest.subject.startswith("1 invitation to answer – ")
    body = digest.body_text
    waiting, changed = body.index("Meeting invitations you have not answered"), body.index("What changed")
    assert waiting < body.index("Bio-economy strategy meeting") < changed
    assert body.count("Bio-economy strategy meeting") == 1  # not listed again among the upcoming meetings
    assert body.count("/meetings/reply/?token=") == 3  # attending, a delegate, absent


def test_no_answer_is_asked_of_a_member_who_answered_or_who_is_not_a_member_on_the_meeting_day(invited):
    with at(DIGEST_DAY):
        tasks.send_digests()
    for person in ("answered", "late_joiner"):
        sent = OutboundEmail.objects.filter(kind=Kind.DIGEST, to_address=invited[person].email).first()
        assert sent is None or "Meeting invitations you have not answered" not in sent.body_text, person
