"""The proposal workflow, written once as data: which action moves which state where, and who may."""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from .models.proposals import ProposalEvent
from .models.proposals import ProposalState as S

A = ProposalEvent.Action


class Actor(StrEnum):
    """The capacity in which someone acts on a proposal."""

    LEAD_LIAISON = "lead_liaison"  # a liaison of the proposal's lead agency
    SECRETARIAT = "secretariat"  # staff of the proposal's committee
    AGENDA = "agenda"  # the agenda and decision verbs, on the secretariat's behalf


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[str]
    target: str
    actors: frozenset[Actor]
    comment_required: bool = False


def _t(action, sources, target, actors, comment_required=False):
    # The label is the timeline's, so that a button and the step it leaves are named alike everywhere.
    kind = A(action)
    return Transition(kind.value, kind.label, frozenset(sources), target, frozenset(actors), comment_required)


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        _t(A.SUBMIT, [S.DRAFT, S.RETURNED], S.SUBMITTED, [Actor.LEAD_LIAISON]),
        _t(A.WITHDRAW, [S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.RETURNED], S.WITHDRAWN, [Actor.LEAD_LIAISON]),
        _t(A.START_REVIEW, [S.SUBMITTED], S.UNDER_REVIEW, [Actor.SECRETARIAT]),
        _t(A.RETURN, [S.UNDER_REVIEW], S.RETURNED, [Actor.SECRETARIAT], True),
        _t(A.ACCEPT, [S.UNDER_REVIEW], S.ACCEPTED, [Actor.SECRETARIAT]),
        # The rest happen only through agendas and decisions (services.add_agenda_item, record_decision, ...).
        _t(A.SCHEDULE, [S.ACCEPTED], S.SCHEDULED, [Actor.AGENDA]),
        _t(A.UNSCHEDULE, [S.SCHEDULED], S.ACCEPTED, [Actor.AGENDA]),
        _t(A.DECIDE, [S.SCHEDULED], S.DECIDED, [Actor.AGENDA]),
        _t(A.DEFER, [S.SCHEDULED], S.ACCEPTED, [Actor.AGENDA]),
    ]
}

# Actions a person starts directly (portal buttons, API transitions endpoint, admin actions).
USER_ACTIONS = ("submit", "withdraw", "start_review", "return", "accept")

# States in which a proposal is still a private draft of its agency.
PRIVATE_STATES = frozenset({S.DRAFT})
# States in which the lead agency may still change the text.
EDITABLE_STATES = frozenset({S.DRAFT, S.RETURNED})


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


class StaleVersion(WorkflowError):
    """Someone else changed the object since the user read it."""

    status, code = 412, "stale_version"


def transition_for(action: str) -> Transition:
    try:
        return TRANSITIONS[action]
    except KeyError:
        raise InvalidState(_("Unknown action “%(action)s”.") % {"action": action}) from None


def check_transition(state: str, action: str, actors: set[Actor]) -> Transition:
    """Return the transition if `actors` may take `action` from `state`; raise why not otherwise.

    Role is checked before state so that someone who may never take an action learns that,
    rather than learning about the proposal's state.
    """
    transition = transition_for(action)
    if not (transition.actors & actors):
        raise NotPermitted(_("You may not %(action)s this proposal.") % {"action": transition.label.lower()})
    if state not in transition.sources:
        raise InvalidState(
            _("A proposal that is %(state)s cannot be %(action)s: allowed only from %(sources)s.")
            % {
                "state": S(state).label.lower(),
                "action": transition.label.lower(),
                "sources": ", ".join(str(S(s).label).lower() for s in sorted(transition.sources)),
            }
        )
    return transition


def available_actions(state: str, actors: set[Actor]) -> list[str]:
    """The user-startable actions these actors may take from this state, in table order."""
    return [
        action
        for action in USER_ACTIONS
        if state in TRANSITIONS[action].sources and TRANSITIONS[action].actors & actors
    ]
