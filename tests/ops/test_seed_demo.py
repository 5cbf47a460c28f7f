"""seed_demo: a complete demo committee, built through the services, that a second run leaves untouched."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from committee.directory.models import Agency, Committee, CommitteeMembership, Profile
from policies.demo import story
from policies.models import (
    AgendaItem,
    Attendance,
    Consultation,
    Decision,
    FollowUpAction,
    Meeting,
    ProgressReport,
    Proposal,
    ProposalAttachment,
    ProposalEvent,
    ProposalState,
)
from policies.reminders import first_action_reminder, first_consultation_reminder

pytestmark = pytest.mark.django_db

COUNTED = [
    get_user_model(),
    Profile,
    Agency,
    Committee,
    CommitteeMembership,
    Proposal,
    ProposalEvent,
    ProposalAttachment,
    Consultation,
    Meeting,
    AgendaItem,
    Attendance,
    Decision,
    FollowUpAction,
    ProgressReport,
]
WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # The demo sets two dozen passwords; a fast hasher keeps the suite quick and changes nothing else.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEMO_PASSWORD = "demo-password-for-tests"


def seed():
    # bin/test runs with DEBUG off, as production does; the flag says this database is a test one.
    call_command("seed_demo", "--without-debug", stdout=StringIO())


def counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_second_run_writes_nothing_and_counts_stay_the_same():
    seed()
    before = counts()
    with CaptureQueriesContext(connection) as queries:
        seed()
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(WRITES)
        # Django's many-to-many add() on PostgreSQL inserts with ON CONFLICT DO NOTHING: a no-op by design.
        and not query["sql"].rstrip().endswith("ON CONFLICT DO NOTHING")
    ]
    assert writes == []
    assert counts() == before
    assert before["Proposal"] >= 8


def test_demo_has_a_proposal_in_every_state():
    seed()
    states = set(Proposal.objects.values_list("state", flat=True))
    assert states == set(ProposalState.values)


def test_every_timeline_is_a_chain_of_real_transitions_ending_in_the_current_state():
    seed()
    for proposal in Proposal.objects.prefetch_related("events"):
        moves = [event for event in proposal.events.all() if event.to_state]
        assert moves[0].action == "create"
        for previous, event in zip(moves, moves[1:], strict=False):
            assert event.from_state == previous.to_state, (proposal.title, event.action)
            assert event.created_at >= previous.created_at, (proposal.title, event.action)
        assert moves[-1].to_state == proposal.state, proposal.title


def test_demo_logins_work_with_the_demo_password(client):
    seed()
    for username in ["secretariat", "admin", "liaison-msit", "liaison-mohw", "liaison-kdca", "member-1", "member-12"]:
        assert client.login(username=username, password="demo-password-for-tests"), username
        client.logout()
    assert not client.login(username="secretariat", password="wrong-password")


def test_a_changed_demo_password_takes_effect_on_the_next_run(client, settings):
    seed()
    settings.DEMO_PASSWORD = "another-demo-password"
    seed()
    assert client.login(username="liaison-msit", password="another-demo-password")


def test_committee_agencies_and_people_are_wired_as_the_workflow_expects():
    seed()
    nbc = Committee.objects.get(code="NBC")
    assert nbc.name_ko == "국가바이오위원회"
    assert nbc.subcommittees.count() >= 5
    assert set(nbc.subcommittees.values_list("parent__code", flat=True)) == {"NBC"}
    agencies = set(Agency.objects.values_list("acronym", flat=True))
    assert {"MSIT", "MOHW", "MOTIE", "MAFRA", "ME", "MOF", "MFDS", "MOEF"} <= agencies
    assert set(nbc.agencies.values_list("acronym", flat=True)) == agencies
    for acronym in agencies:
        assert Profile.objects.get(user__username=f"liaison-{acronym.lower()}").agency.acronym == acronym
    secretariat = get_user_model().objects.get(username="secretariat")
    assert secretariat.is_staff
    assert nbc.secretariat.filter(pk=secretariat.pk).exists()
    roles = set(nbc.current_memberships().values_list("role", flat=True))
    assert roles == set(CommitteeMembership.Role.values)
    ex_officio = nbc.memberships.filter(role=CommitteeMembership.Role.EX_OFFICIO)
    assert not ex_officio.filter(agency__isnull=True).exists()


def test_consultations_include_answered_open_and_past_deadline_ones():
    seed()
    assert Consultation.objects.filter(answered_at__isnull=False).exists()
    open_ones = [c for c in Consultation.objects.awaiting_opinion() if c.is_open()]
    assert open_ones
    overdue = Consultation.objects.past_deadline()
    assert overdue.count() == 1
    # The request event on the timeline names the same (past) deadline as the consultation.
    consultation = overdue.get()
    assert consultation.proposal.events.filter(action="consult", details__deadline=consultation.deadline.isoformat())


def test_past_meeting_was_held_with_quorum_and_decisions_and_next_one_is_planned():
    seed()
    held = Meeting.objects.get(status=Meeting.Status.HELD)
    assert held.agenda_published_at < held.starts_at
    assert held.attendances.count() == held.committee.current_memberships().count()
    assert set(Decision.objects.values_list("outcome", flat=True)) == set(Decision.Outcome.values)
    deferred = Decision.objects.get(outcome=Decision.Outcome.DEFERRED)
    assert deferred.agenda_item.proposal.state == ProposalState.ACCEPTED
    planned = Meeting.objects.get(status=Meeting.Status.PLANNED)
    assert planned.starts_at > held.starts_at
    assert planned.items.filter(proposal__state=ProposalState.SCHEDULED).count() == 2


def test_follow_up_actions_are_overdue_in_progress_and_done():
    seed()
    assert FollowUpAction.objects.overdue().filter(status=FollowUpAction.Status.OPEN).exists()
    assert FollowUpAction.objects.overdue().filter(status=FollowUpAction.Status.IN_PROGRESS).exists()
    done = FollowUpAction.objects.get(status=FollowUpAction.Status.DONE)
    assert done.is_verified
    assert done.percent_complete == 100


def test_a_missing_demo_proposal_is_recreated_without_duplicating_the_rest():
    seed()
    draft = Proposal.objects.filter(state=ProposalState.DRAFT).first()
    title = draft.title
    before = counts()
    draft.delete()
    seed()
    assert Proposal.objects.filter(title=title).count() == 1
    after = counts()
    assert after["Proposal"] == before["Proposal"]
    assert after["Meeting"] == before["Meeting"]
    assert after["User"] == before["User"]


def test_refuses_to_create_demo_accounts_when_debug_is_off_unless_told(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Refusing to create demo accounts"):
        call_command("seed_demo", stdout=StringIO())
    assert not get_user_model().objects.filter(username="admin").exists()


def test_seeds_without_the_flag_when_debug_is_on(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    assert Proposal.objects.exists()


def test_every_proposal_reaches_the_state_its_story_gives_it_and_meetings_move_theirs_on():
    seed()
    by_key = {spec["key"]: Proposal.objects.get(title=spec["title"]) for spec in story.PROPOSALS}
    agendas = {item["proposal"]: item for meeting in story.MEETINGS for item in meeting["agenda"] if "proposal" in item}
    for spec in story.PROPOSALS:
        item = agendas.get(spec["key"])
        if item is None:
            expected = spec["state"]
        elif "outcome" not in item:
            expected = ProposalState.SCHEDULED
        else:
            expected = ProposalState.ACCEPTED if item["outcome"] == "deferred" else ProposalState.DECIDED
        assert by_key[spec["key"]].state == expected, spec["key"]


def test_reminder_days_follow_the_deadlines_the_story_moved():
    """The history moves deadlines and due dates into the past after the services set the reminder days: the days
    move with them (an overdue demo item is reminded on the next sweep, not on its old date)."""
    seed()
    for consultation in Consultation.objects.all():
        expected = first_consultation_reminder(consultation.deadline) if consultation.status == "open" else None
        assert consultation.next_reminder_on == expected, consultation
    for action in FollowUpAction.objects.all():
        expected = first_action_reminder(action.due_date) if action.status != "done" else None
        assert action.next_reminder_on == expected, action
