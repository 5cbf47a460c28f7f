"""Letters of the consultation lifecycle: extended, closed and withdrawn reach the consulted agency's liaisons
only, in their language; reminders and digests never treat a closed, withdrawn or settled consultation as open."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from committee.dates import seoul_today
from committee.outbox.models import Notification, OutboundEmail
from policies import services, tasks
from policies.models import DigestPreference, ProposalState
from tests import cast

pytestmark = pytest.mark.django_db
S = ProposalState
DAY = datetime.timedelta(days=1)


@pytest.fixture
def consulted(proposal_in_state, secretariat, mohw, other_liaison, third_liaison, lead_liaison, member):
    """MOHW is consulted on MSIT's proposal, due in two days; MOTIE's liaison, MSIT's and a member look on."""
    proposal = proposal_in_state(S.UNDER_REVIEW)
    (consultation,) = services.request_consultations(
        proposal, by=secretariat, agencies=[mohw], deadline=seoul_today() + 2 * DAY
    )
    OutboundEmail.objects.all().delete()
    Notification.objects.all().delete()
    return consultation


def emails(kind):
    return list(OutboundEmail.objects.filter(kind=kind))


@pytest.mark.parametrize(
    ("verb", "kind", "subject"),
    [
        ("extend", "consultation_extended", "More time for your opinion on"),
        ("close", "consultation_closed", "is no longer needed"),
        ("withdraw", "consultation_withdrawn", "was withdrawn"),
    ],
)
def test_each_change_reaches_the_consulted_agency_only_by_notification_and_email(
    consulted, secretariat, other_liaison, verb, kind, subject
):
    if verb == "extend":
        services.extend_consultation(consulted, by=secretariat, working_days=20)
    elif verb == "close":
        services.close_consultation(consulted, by=secretariat, reason="Decided without it.")
    else:
        services.withdraw_consultation(consulted, by=secretariat, reason="Asked by mistake.")
    assert list(Notification.objects.values_list("recipient", "kind")) == [(other_liaison.pk, kind)]
    (letter,) = emails(kind)
    assert letter.to_address == other_liaison.email and subject in letter.subject
    assert consulted.proposal.reference in letter.body_text and consulted.proposal.reference in letter.body_html


def test_a_korean_liaison_reads_the_closing_in_korean(consulted, secretariat, other_liaison):
    other_liaison.profile.language = "ko"
    other_liaison.profile.save()
    services.close_consultation(consulted, by=secretariat, reason="결정됨")
    (letter,) = emails("consultation_closed")
    assert "더 이상 필요하지 않습니다" in letter.subject and "사유" in letter.body_text and "결정됨" in letter.body_html


def test_closing_by_acceptance_writes_one_letter_per_liaison(consulted, secretariat, other_liaison):
    cast.make_liaison(other_liaison.profile.agency, "liaison-mohw-2")
    services.accept_proposal(consulted.proposal, by=secretariat, open_consultations="close")
    assert sorted(letter.to_address for letter in emails("consultation_closed")) == [
        "liaison-mohw-2@example.go.kr",
        other_liaison.email,
    ]


# --- reminders -----------------------------------------------------------------------------------


def remind_after(days):
    with time_machine.travel(timezone.now() + days * DAY, tick=False):
        tasks.send_reminders()
    return emails("reminder_consultation")


@pytest.mark.parametrize("verb", ["close_consultation", "withdraw_consultation"])
def test_closed_or_withdrawn_consultations_are_never_reminded(consulted, secretariat, verb):
    getattr(services, verb)(consulted, by=secretariat)
    assert remind_after(1) == [] and remind_after(5) == []


def test_a_consultation_kept_open_after_acceptance_is_still_reminded_and_says_late_is_possible(consulted, secretariat):
    services.accept_proposal(consulted.proposal, by=secretariat, open_consultations="keep")
    (overdue,) = remind_after(5)
    assert "You can still send it" in overdue.body_text


# --- digests -------------------------------------------------------------------------------------


def digest_of(user):
    DigestPreference.objects.create(
        user=user, frequency=DigestPreference.Frequency.DAILY, period_start=timezone.now() - 2 * DAY
    )
    tasks.send_digests()
    return OutboundEmail.objects.filter(kind="digest", to_address=user.email).first()


def test_the_digest_lists_an_open_consultation(consulted, member):
    assert "Consultations requested" in digest_of(member).body_text


@pytest.mark.parametrize("ending", ["withdrawn", "closed"])
def test_the_digest_lists_no_consultation_on_a_withdrawn_proposal_or_a_closed_one(
    consulted, member, lead_liaison, secretariat, ending
):
    if ending == "withdrawn":
        services.withdraw_proposal(consulted.proposal, by=lead_liaison)
    else:
        services.close_consultation(consulted, by=secretariat)
    digest = digest_of(member)
    assert digest is None or "Consultations requested" not in digest.body_text
