"""The workflows, written once as data: for proposals, consultations, meetings, minutes and follow-up actions, which
action moves which state where, who may take it, and whether it needs a comment.

Each table is a `Workflow`. The services check every change against it (role before state), the portal, the
API and the admin offer exactly the actions it allows, and no other module lists states by hand.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models.consultations import Consultation
from .models.decisions import FollowUpAction
from .models.meetings import Meeting
from .models.minutes import Minutes
from .models.proposals import Proposal, ProposalEvent
from .models.proposals import ProposalState as S

A = ProposalEvent.Action


class Actor(StrEnum):
    """The capacity in which someone acts on a proposal, a meeting or a follow-up action."""

    LEAD_LIAISON = "lead_liaison"  # a liaison of the proposal's lead agency
    SECRETARIAT = "secretariat"  # staff of the committee whose business it is
    AGENDA = "agenda"  # the agenda and decision verbs, on the secretariat's behalf
    RESPONSIBLE_LIAISON = "responsible_liaison"  # a liaison of the agency a follow-up action is assigned to
    CONSULTED_LIAISON = "consulted_liaison"  # a liaison of the agency a consultation asks
    MEMBER = "member"  # a current member of the committee whose business it is


class WorkflowError(Exception):
    """Base class for refused operations; `message` says why in the user's language.

    Each kind of refusal declares how every face answers it, so that none keeps a mapping of its own:
    `status`, the HTTP status (the API's answer, the portal page's status), and `code`, the stable
    machine-readable name the API puts beside the message. Raise a kind, never this base class.
    """

    status: int
    code: str
    kinds: dict[str, type["WorkflowError"]] = {}  # code -> kind, every kind declared anywhere

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        status, code = getattr(cls, "status", None), getattr(cls, "code", None)
        if not isinstance(status, int) or not isinstance(code, str):
            raise TypeError(f"{cls.__name__} must declare its HTTP `status` and its API `code`.")
        declared = WorkflowError.kinds.get(code)
        if declared is not None and declared.status != status:
            raise TypeError(f"{cls.__name__}: code {code!r} already answers {declared.status}, not {status}.")
        WorkflowError.kinds.setdefault(code, cls)

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class InvalidState(WorkflowError):
    """The object is not in a state that allows this."""

    status, code = 409, "invalid_state"


class NotPermitted(WorkflowError):
    """The user may not do this to this object."""

    status, code = 403, "not_permitted"


class OpenConsultations(WorkflowError):
    """The proposal still awaits opinions: say whether to keep those consultations open or close them."""

    status, code = 409, "open_consultations"


class MeetingNotStarted(WorkflowError):
    """The meeting has not started: what happens at it (attendance, decisions, being held) cannot be recorded yet."""

    status, code = 409, "meeting_not_started"


class StaleVersion(WorkflowError):
    """Someone else changed the object since the user read it."""

    status, code = 412, "stale_version"


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[str]
    target: str | None  # None: the object keeps its state; the action is allowed only from `sources`
    actors: frozenset[Actor]
    comment_required: bool = False
    # The refusals in this action's own words; None: the table's general words.
    wrong_state: str | None = None
    wrong_role: str | None = None
    no_comment: str | None = None

    def next_state(self, state: str) -> str:
        return state if self.target is None else self.target


def _t(action, label, sources, target, actors, comment_required=False, **refusals) -> Transition:
    return Transition(action, label, frozenset(sources), target, frozenset(actors), comment_required, **refusals)


class Workflow:
    """One lifecycle's table, and the questions every face and verb asks of it."""

    def __init__(self, states, transitions, *, not_permitted, invalid_state=None):
        self.states = states  # the TextChoices whose labels the refusals use
        self.transitions: dict[str, Transition] = {t.action: t for t in transitions}
        self.not_permitted = not_permitted  # "%(action)s" is the action's label
        self.invalid_state = invalid_state  # "%(state)s", "%(action)s", "%(sources)s"
        if invalid_state is None and any(t.wrong_state is None for t in transitions):
            raise ValueError("Say why each action is refused in a wrong state, or give the table's words.")

    @property
    def user_actions(self) -> tuple[str, ...]:
        """Actions a person starts directly (buttons, API): those that move the state, other than the agenda's."""
        return tuple(
            action
            for action, transition in self.transitions.items()
            if transition.target is not None and transition.actors - {Actor.AGENDA}
        )

    def transition_for(self, action: str) -> Transition:
        try:
            return self.transitions[action]
        except KeyError:
            raise InvalidState(_("Unknown action “%(action)s”.") % {"action": action}) from None

    def check_role(self, action: str, actors: set[Actor]) -> Transition:
        """Return the transition if `actors` may ever take `action`; raise NotPermitted otherwise."""
        transition = self.transition_for(action)
        if not (transition.actors & actors):
            raise NotPermitted(transition.wrong_role or self.not_permitted % {"action": str(transition.label).lower()})
        return transition

    def check_state(self, state: str, action: str) -> Transition:
        """Return the transition if `state` allows `action`; raise InvalidState otherwise."""
        transition = self.transition_for(action)
        if state not in transition.sources:
            raise InvalidState(transition.wrong_state or self._wrong_state(state, transition))
        return transition

    def check(self, state: str, action: str, actors: set[Actor]) -> Transition:
        """Role is checked before state, so someone who may never take an action learns that, not the state."""
        self.check_role(action, actors)
        return self.check_state(state, action)

    def check_comment(self, transition: Transition, comment: str) -> str:
        """The comment, stripped; refused when the transition requires one and it is empty."""
        comment = (comment or "").strip()
        if transition.comment_required and not comment:
            raise ValidationError(
                {"comment": transition.no_comment or _("Say why: a comment is required for this action.")}
            )
        return comment

    def allows(self, state: str, action: str) -> bool:
        return state in self.transitions[action].sources

    def states_allowing(self, action: str) -> frozenset[str]:
        return self.transitions[action].sources

    @property
    def open_states(self) -> frozenset[str]:
        """States with a way out: the object's story is not over (a meeting not yet held or cancelled)."""
        return frozenset(
            source
            for t in self.transitions.values()
            if t.target is not None
            for source in t.sources
            if source != t.target
        )

    def states_awaiting(self, actor: Actor) -> frozenset[str]:
        """States in which `actor` has an action to take: the object waits for them."""
        return frozenset(state for state in self.states.values if self.available(state, {actor}))

    def available(self, state: str, actors: set[Actor]) -> list[str]:
        """The user actions these actors may take from this state, in table order."""
        return [
            action
            for action in self.user_actions
            if state in self.transitions[action].sources and self.transitions[action].actors & actors
        ]

    def _wrong_state(self, state: str, transition: Transition) -> str:
        return self.invalid_state % {
            "state": self.states(state).label.lower(),
            "action": str(transition.label).lower(),
            "sources": ", ".join(str(self.states(s).label).lower() for s in sorted(transition.sources)),
        }


# --- proposals -----------------------------------------------------------------------------------


def _step(kind: A, sources, target, actors, comment_required=False) -> Transition:
    # A proposal's action is named as its timeline step, so a button and the step it leaves read alike.
    return _t(kind.value, kind.label, sources, target, actors, comment_required)


PROPOSALS = Workflow(
    S,
    [
        _step(A.SUBMIT, [S.DRAFT, S.RETURNED], S.SUBMITTED, [Actor.LEAD_LIAISON]),
        _step(A.WITHDRAW, [S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.RETURNED], S.WITHDRAWN, [Actor.LEAD_LIAISON]),
        _step(A.START_REVIEW, [S.SUBMITTED], S.UNDER_REVIEW, [Actor.SECRETARIAT]),
        _step(A.RETURN, [S.UNDER_REVIEW], S.RETURNED, [Actor.SECRETARIAT], True),
        _step(A.ACCEPT, [S.UNDER_REVIEW], S.ACCEPTED, [Actor.SECRETARIAT]),
        # The rest happen only through agendas and decisions (services.add_agenda_item, record_decision, ...).
        _step(A.SCHEDULE, [S.ACCEPTED], S.SCHEDULED, [Actor.AGENDA]),
        _step(A.UNSCHEDULE, [S.SCHEDULED], S.ACCEPTED, [Actor.AGENDA]),
        _step(A.DECIDE, [S.SCHEDULED], S.DECIDED, [Actor.AGENDA]),
        _step(A.DEFER, [S.SCHEDULED], S.ACCEPTED, [Actor.AGENDA]),
    ],
    not_permitted=_("You may not %(action)s this proposal."),
    invalid_state=_("A proposal that is %(state)s cannot be %(action)s: allowed only from %(sources)s."),
)

TRANSITIONS: dict[str, Transition] = PROPOSALS.transitions
# Actions a person starts directly (portal buttons, API transitions endpoint, admin actions).
USER_ACTIONS = PROPOSALS.user_actions

# The sets of states the rules speak of, read off the table rather than listed again:
# the lead agency changes the text while it may still submit it (draft, returned);
EDITABLE_STATES = PROPOSALS.states_allowing(A.SUBMIT)
# the secretariat asks for opinions while the proposal waits for its review (submitted, under review);
CONSULTABLE_STATES = PROPOSALS.states_awaiting(Actor.SECRETARIAT)
# and no opinion is wanted once the proposal's story is over (decided, withdrawn: no way out).
OPINION_CLOSED_STATES = frozenset(PROPOSALS.states.values) - PROPOSALS.open_states
# Consultation's queries hold the same set (models cannot import this module); tests/policies/test_state_sets.py
# keeps the two in agreement.
# Actions after which the secretariat says what becomes of opinions still awaited: keep them open, or close them.
SETTLES_CONSULTATIONS = frozenset({A.ACCEPT.value, A.RETURN.value})


class OpenConsultationsChoice(StrEnum):
    KEEP = "keep"  # they stay open and visible to the agency, which may still answer
    CLOSE = "close"  # the agencies are told their opinion is no longer needed


def transition_for(action: str) -> Transition:
    return PROPOSALS.transition_for(action)


def check_transition(state: str, action: str, actors: set[Actor]) -> Transition:
    """Return the proposal transition if `actors` may take `action` from `state`; raise why not otherwise."""
    return PROPOSALS.check(state, action, actors)


def available_actions(state: str, actors: set[Actor]) -> list[str]:
    """The user-startable proposal actions these actors may take from this state, in table order."""
    return PROPOSALS.available(state, actors)


# --- meetings ------------------------------------------------------------------------------------

M = Meeting.Status
_HELD_OR_CANCELLED = _("The agenda of a meeting that was held or cancelled cannot change.")
_SECRETARIAT_ONLY = _("Only the committee's secretariat may do this.")

MEETINGS = Workflow(
    M,
    [
        _t(
            "publish_agenda",
            _("Publish agenda"),
            [M.PLANNED],
            M.AGENDA_PUBLISHED,
            [Actor.SECRETARIAT],
            wrong_state=_("Only the agenda of a planned meeting can be published."),
        ),
        _t(
            "mark_held",
            _("Mark as held"),
            [M.AGENDA_PUBLISHED],
            M.HELD,
            [Actor.SECRETARIAT],
            wrong_state=_("Only a meeting with a published agenda can be marked as held."),
        ),
        # The reason is optional; undecided proposals on the agenda go back to accepted.
        _t(
            "cancel",
            _("Cancel meeting"),
            [M.PLANNED, M.AGENDA_PUBLISHED],
            M.CANCELLED,
            [Actor.SECRETARIAT],
            wrong_state=_HELD_OR_CANCELLED,
        ),
        # Actions that keep the meeting's state: what may be done to it while it is in these states.
        _t(
            "change",
            _("Change the meeting or its agenda"),
            [M.PLANNED, M.AGENDA_PUBLISHED],
            None,
            [Actor.SECRETARIAT],
            wrong_state=_HELD_OR_CANCELLED,
        ),
        _t(
            "record_attendance",
            _("Record attendance"),
            [M.PLANNED, M.AGENDA_PUBLISHED, M.HELD],
            None,
            [Actor.SECRETARIAT],
            wrong_state=_("Attendance cannot be recorded for a cancelled meeting."),
        ),
        # Decisions are recorded once the agenda is published, during or after the meeting.
        _t(
            "decide",
            _("Record decision"),
            [M.AGENDA_PUBLISHED, M.HELD],
            None,
            [Actor.SECRETARIAT],
            wrong_state=_("Decisions are recorded for meetings whose agenda was published."),
        ),
    ],
    not_permitted=_SECRETARIAT_ONLY,
)


# --- consultations -------------------------------------------------------------------------------

# An open consultation stays open past its deadline: the agency may still answer (marked late) until the
# secretariat closes or withdraws it. An answer may be revised until the end of the deadline day.
C = Consultation.Status
_NO_LONGER_WANTED = _("The secretariat closed or withdrew this consultation: an opinion is no longer needed.")
_CONSULTED_ONLY = _("Only liaisons of the consulted agency may answer this consultation.")

CONSULTATIONS = Workflow(
    C,
    [
        _t(
            "give_opinion",
            _("Give opinion"),
            [C.OPEN],
            C.ANSWERED,
            [Actor.CONSULTED_LIAISON],
            wrong_state=_NO_LONGER_WANTED,
            wrong_role=_CONSULTED_ONLY,
        ),
        _t(
            "revise_opinion",
            _("Revise opinion"),
            [C.ANSWERED],
            None,
            [Actor.CONSULTED_LIAISON],
            wrong_state=_NO_LONGER_WANTED,
            wrong_role=_CONSULTED_ONLY,
        ),
        _t(
            "extend",
            _("Extend deadline"),
            [C.OPEN, C.ANSWERED],
            None,
            [Actor.SECRETARIAT],
            wrong_state=_("The deadline of a closed or withdrawn consultation cannot be extended."),
        ),
        _t(
            "close",
            _("Close consultation"),
            [C.OPEN],
            C.CLOSED,
            [Actor.SECRETARIAT],
            wrong_state=_("Only a consultation still awaiting its opinion can be closed."),
        ),
        _t(
            "withdraw",
            _("Withdraw request"),
            [C.OPEN],
            C.WITHDRAWN,
            [Actor.SECRETARIAT],
            wrong_state=_("Only a consultation still awaiting its opinion can be withdrawn."),
        ),
    ],
    not_permitted=_SECRETARIAT_ONLY,
)


# --- follow-up actions ---------------------------------------------------------------------------

# The stage is the stored status with "done" split by the secretariat's verification (FollowUpAction.stage).
# Reopening sends a reported-done or verified action back to in progress, with the reason as a progress report.
A = FollowUpAction.Stage
_UNFINISHED = [A.OPEN, A.IN_PROGRESS]
_ALREADY_DONE = _("This action is already reported done; the secretariat may reopen it.")
_RESPONSIBLE_ONLY = _("Only liaisons of the responsible agency may report progress on this action.")

FOLLOW_UP = Workflow(
    A,
    [
        _t(
            "report_progress",
            _("Report progress"),
            _UNFINISHED,
            A.IN_PROGRESS,
            [Actor.RESPONSIBLE_LIAISON],
            wrong_state=_ALREADY_DONE,
            wrong_role=_RESPONSIBLE_ONLY,
        ),
        _t(
            "report_done",
            _("Report done"),
            _UNFINISHED,
            A.REPORTED_DONE,
            [Actor.RESPONSIBLE_LIAISON],
            wrong_state=_ALREADY_DONE,
            wrong_role=_RESPONSIBLE_ONLY,
        ),
        _t(
            "verify",
            _("Verify"),
            [A.REPORTED_DONE],
            A.VERIFIED,
            [Actor.SECRETARIAT],
            wrong_state=_("Only actions reported done and not yet verified can be verified."),
        ),
        _t(
            "reopen",
            _("Reopen"),
            [A.REPORTED_DONE, A.VERIFIED],
            A.IN_PROGRESS,
            [Actor.SECRETARIAT],
            True,
            wrong_state=_("Only actions reported done can be reopened."),
            no_comment=_("Say why the action is reopened."),
        ),
    ],
    not_permitted=_SECRETARIAT_ONLY,
)


# --- minutes ------------------------------------------------------------------------------------

# The secretariat drafts the minutes of a held meeting, sends them to the members for comments by a deadline,
# and finalises them; final minutes are locked, and only a correction with its reason supersedes them (a new
# version, the old one kept). Members comment only while the minutes are in review.
N = Minutes.Status
_SEC, _MEMBER = [Actor.SECRETARIAT], [Actor.MEMBER]
_ONLY_DRAFTS = _("Only draft minutes can be sent to the members for review.")
_ONLY_IN_REVIEW = _("Only minutes in review can be finalised.")
_ONLY_FINAL = _("Only final minutes are corrected; edit the draft instead.")
_LOCKED = _("Final minutes are locked: correct them, giving the reason.")
_COMMENT_WHEN = _("Members comment on minutes only while they are in review.")
_COMMENT_WHO = _("Only members of the committee comment on its minutes.")

MINUTES = Workflow(
    N,
    [
        _t("send_for_review", _("Send for review"), [N.DRAFT], N.IN_REVIEW, _SEC, wrong_state=_ONLY_DRAFTS),
        _t("finalise", _("Finalise minutes"), [N.IN_REVIEW], N.FINAL, _SEC, wrong_state=_ONLY_IN_REVIEW),
        _t(
            "correct",
            _("Correct final minutes"),
            [N.FINAL],
            N.FINAL,
            _SEC,
            True,
            wrong_state=_ONLY_FINAL,
            no_comment=_("Say why the final minutes are corrected."),
        ),
        # Actions that keep the state: writing the discussion summaries, and members' comments.
        _t("edit", _("Edit the draft minutes"), [N.DRAFT, N.IN_REVIEW], None, _SEC, wrong_state=_LOCKED),
        _t(
            "comment",
            _("Comment on the minutes"),
            [N.IN_REVIEW],
            None,
            _MEMBER,
            wrong_state=_COMMENT_WHEN,
            wrong_role=_COMMENT_WHO,
        ),
    ],
    not_permitted=_SECRETARIAT_ONLY,
)


def workflow_of(obj) -> tuple[Workflow, str]:
    """The table that governs a proposal, consultation, meeting, minutes or follow-up action, and where it stands."""
    if isinstance(obj, Proposal):
        return PROPOSALS, obj.state
    if isinstance(obj, Meeting):
        return MEETINGS, obj.status
    if isinstance(obj, FollowUpAction):
        return FOLLOW_UP, obj.stage
    if isinstance(obj, Consultation):
        return CONSULTATIONS, obj.status
    if isinstance(obj, Minutes):
        return MINUTES, obj.status
    raise TypeError(f"No workflow for {type(obj).__name__}")
