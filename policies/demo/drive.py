"""Drive a proposal to any state of the workflow through the services: the one path the demo, the test cast and
the benchmark generator share."""

from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from policies import services
from policies.models import Attendance, Decision, Meeting, Proposal, ProposalState
from policies.workflow import SETTLES_CONSULTATIONS, TRANSITIONS, Actor, OpenConsultationsChoice

S = ProposalState

# The actions that take a new draft to each state, in order; every state has one. The workflow table decides
# whether each move is allowed (tests/demo/test_drive.py walks every route against it).
ROUTES: dict[str, tuple[str, ...]] = {
    S.DRAFT: (),
    S.SUBMITTED: ("submit",),
    # Withdrawn after submission, as most are: the secretariat has seen it and the timeline says so.
    S.WITHDRAWN: ("submit", "withdraw"),
    S.UNDER_REVIEW: ("submit", "start_review"),
    S.RETURNED: ("submit", "start_review", "return"),
    S.ACCEPTED: ("submit", "start_review", "accept"),
    S.SCHEDULED: ("submit", "start_review", "accept", "schedule"),
    S.DECIDED: ("submit", "start_review", "accept", "schedule", "decide"),
}
# What a move says when the caller gives no comment; a return must say why.
DEFAULT_COMMENTS = {"return": "Add the budget breakdown."}
DEFAULT_DECISION = {"outcome": Decision.Outcome.ADOPTED, "resolution": "Adopted as proposed."}

MeetingOrFactory = Meeting | Callable[[], Meeting] | None


def states_on_route(state: str) -> list[str]:
    """The states a new draft passes through on its way to `state`, the draft and `state` included."""
    states = [S.DRAFT]
    for action in ROUTES[state]:
        states.append(TRANSITIONS[action].target)
    return states


def remaining_route(current: str, state: str) -> tuple[str, ...]:
    """The moves still to make from `current` to `state`; refused when `current` is not on the way."""
    states = states_on_route(state)
    if current not in states:
        raise ValueError(f"a proposal that is {current} is not on the way to {state}")
    return ROUTES[state][states.index(current) :]


def drive_proposal_to(
    proposal: Proposal,
    state: str,
    *,
    liaison: AbstractBaseUser,
    secretariat: AbstractBaseUser,
    meeting: MeetingOrFactory = None,
    comment: str = "",
    decision: dict | None = None,
    attend: Callable[[Meeting], None] | None = None,
    on_reach: Callable[[Proposal], None] | None = None,
) -> Proposal:
    """Take `proposal` from where it is to `state` through the services, as its lead liaison and the secretariat.

    `meeting` (a meeting, or a function that makes one) is where the proposal goes on the agenda. Before the
    decision the agenda is published if it is not yet, and if no attendance is recorded `attend(meeting)` takes it
    (by default every current member, present); `decision` replaces DEFAULT_DECISION's fields. `comment` goes
    with the last move. `on_reach(proposal)` runs in every state reached, the starting one included, for what
    happens there (files attached to a draft, consultations during review).
    """
    actions = remaining_route(proposal.state, state)
    if on_reach:
        on_reach(proposal)
    for index, action in enumerate(actions):
        last = index == len(actions) - 1
        words = comment if last and comment else DEFAULT_COMMENTS.get(action, "")
        if action == "schedule":
            proposal = _schedule(proposal, _meeting(meeting), by=secretariat)
        elif action == "decide":
            proposal = _decide(proposal, by=secretariat, decision=decision, attend=attend)
        else:
            actor = liaison if Actor.LEAD_LIAISON in TRANSITIONS[action].actors else secretariat
            # Opinions still awaited stay open: the demo's and the tests' agencies may still answer.
            keep = OpenConsultationsChoice.KEEP if action in SETTLES_CONSULTATIONS else None
            proposal = services.transition_proposal(proposal, action, by=actor, comment=words, open_consultations=keep)
        if on_reach:
            on_reach(proposal)
    if proposal.state != state:  # a deferral, say: the proposal went back instead of on
        raise ValueError(f"the proposal ended {proposal.state}, not {state}")
    return proposal


def _meeting(meeting: MeetingOrFactory) -> Meeting:
    if meeting is None:
        raise ValueError("a proposal goes on an agenda only with a meeting to put it on")
    return meeting if isinstance(meeting, Meeting) else meeting()


def _schedule(proposal: Proposal, meeting: Meeting, *, by) -> Proposal:
    services.add_agenda_item(meeting, by=by, proposal=proposal)
    proposal.refresh_from_db()
    return proposal


def _decide(proposal: Proposal, *, by, decision: dict | None, attend) -> Proposal:
    item = proposal.agenda_items.select_related("meeting__committee").latest("pk")
    meeting = item.meeting
    if meeting.status == Meeting.Status.PLANNED:
        meeting = services.publish_agenda(meeting, by=by)
    if not meeting.attendances.exists():
        (attend or (lambda m: attend_all_present(m, by=by)))(meeting)
    services.record_decision(item, by=by, **{**DEFAULT_DECISION, **(decision or {})})
    proposal.refresh_from_db()
    return proposal


def attend_all_present(meeting: Meeting, *, by) -> None:
    """Record every member whose term covers the meeting day as present."""
    day = timezone.localtime(meeting.starts_at).date()
    for membership in meeting.committee.current_memberships(on=day).select_related("user"):
        services.record_attendance(meeting, by=by, member=membership.user, status=Attendance.Status.PRESENT)
