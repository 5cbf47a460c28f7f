"""Verbs on a proposal itself: draft, revise, and take it along the workflow table (submit, review, ...)."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.audit.log import diff, snapshot
from committee.directory.models import Agency
from policies import notifications
from policies.models import Consultation, Proposal, ReferenceCounter
from policies.permissions import actors_for, can_draft_for, can_edit_proposal
from policies.richtext import clean_rich_text
from policies.workflow import (
    EDITABLE_STATES,
    PROPOSALS,
    SETTLES_CONSULTATIONS,
    USER_ACTIONS,
    Actor,
    InvalidState,
    NotPermitted,
    OpenConsultations,
    OpenConsultationsChoice,
    StaleVersion,
    check_transition,
)

from .audit import audit_change
from .common import record_event, seoul_year
from .consultations import end_consultation

PROPOSAL_FIELDS = (
    "title",
    "summary",
    "body",
    "requested_decision",
    "policy_area",
    "estimated_budget_krw",
)
PROPOSAL_RELATIONS = ("co_sponsors", "secondary_areas")
# The audit log's name for each action a person takes on a proposal.
TRANSITION_AUDIT_ACTIONS = {
    "submit": "proposal.submitted",
    "withdraw": "proposal.withdrawn",
    "start_review": "proposal.review_started",
    "return": "proposal.returned",
    "accept": "proposal.accepted",
}


def _validate_relations(proposal, co_sponsors, secondary_areas):
    errors = {}
    if co_sponsors is not None and any(agency.pk == proposal.lead_agency_id for agency in co_sponsors):
        errors["co_sponsors"] = _("The lead agency cannot also co-sponsor its proposal.")
    if secondary_areas is not None and any(area.pk == proposal.policy_area_id for area in secondary_areas):
        errors["secondary_areas"] = _("The primary policy area cannot also be a secondary one.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_proposal(
    *,
    by,
    committee,
    title,
    summary,
    requested_decision,
    policy_area,
    lead_agency=None,
    body="",
    estimated_budget_krw=None,
    co_sponsors: Iterable[Agency] = (),
    secondary_areas: Iterable = (),
) -> Proposal:
    """A liaison drafts a proposal for their agency; it stays private to the agency until submitted."""
    lead_agency_id = lead_agency.pk if lead_agency else getattr(getattr(by, "profile", None), "agency_id", None)
    if not can_draft_for(by, committee, lead_agency_id):
        raise NotPermitted(_("Only liaisons of a member agency may draft proposals for it in this committee."))
    proposal = Proposal(
        committee=committee,
        lead_agency_id=lead_agency_id,
        title=title,
        summary=summary,
        body=clean_rich_text(body),
        requested_decision=requested_decision,
        policy_area=policy_area,
        estimated_budget_krw=estimated_budget_krw,
        created_by=by,
    )
    co_sponsors, secondary_areas = list(co_sponsors), list(secondary_areas)
    proposal.full_clean()
    _validate_relations(proposal, co_sponsors, secondary_areas)
    proposal.save()
    proposal.co_sponsors.set(co_sponsors)
    proposal.secondary_areas.set(secondary_areas)
    record_event(proposal, "create", by=by, to_state=proposal.state)
    relations = diff(dict.fromkeys(PROPOSAL_RELATIONS, []), snapshot(proposal, PROPOSAL_RELATIONS))
    audit_change("proposal.created", proposal, by=by, changes=relations)
    return proposal


def require_editable(proposal: Proposal, *, by) -> None:
    """Raise why `by` may not change this proposal's text or files now: role first, then state."""
    if not can_edit_proposal(by, proposal):
        if Actor.LEAD_LIAISON in actors_for(by, proposal) and proposal.state not in EDITABLE_STATES:
            raise InvalidState(_("Only draft or returned proposals can be changed."))
        raise NotPermitted(_("Only the lead agency may change this proposal."))


@transaction.atomic
def update_proposal(proposal: Proposal, *, by, changes: dict, expected_version: int | None = None) -> Proposal:
    """The lead agency revises a draft or returned proposal. A stale `expected_version` is refused."""
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if expected_version is not None and expected_version != locked.version:
        raise StaleVersion(
            _("This proposal was changed by someone else (version %(current)s, you had %(yours)s). Reload it.")
            % {"current": locked.version, "yours": expected_version}
        )
    require_editable(locked, by=by)
    relations_before = snapshot(locked, PROPOSAL_RELATIONS)
    unknown = set(changes) - set(PROPOSAL_FIELDS) - set(PROPOSAL_RELATIONS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    for name in PROPOSAL_FIELDS:
        if name in changes:
            value = changes[name]
            setattr(locked, name, clean_rich_text(value) if name == "body" else value)
    co_sponsors = list(changes["co_sponsors"]) if "co_sponsors" in changes else None
    secondary_areas = list(changes["secondary_areas"]) if "secondary_areas" in changes else None
    locked.full_clean()
    _validate_relations(
        locked,
        co_sponsors,
        secondary_areas if secondary_areas is not None else list(locked.secondary_areas.all()),
    )
    locked.version += 1
    locked.save()
    if co_sponsors is not None:
        locked.co_sponsors.set(co_sponsors)
    if secondary_areas is not None:
        locked.secondary_areas.set(secondary_areas)
    record_event(locked, "edit", by=by)
    relations = diff(relations_before, snapshot(locked, PROPOSAL_RELATIONS))
    audit_change("proposal.updated", locked, by=by, changes=relations)
    return locked


def apply_transition(
    locked: Proposal, action: str, *, by, actors: set[Actor], comment: str = "", details=None
) -> Proposal:
    """Move a locked proposal along the workflow table; the caller holds the transaction.

    The agenda and decision verbs call this too, acting as `Actor.AGENDA`.
    """
    transition = check_transition(locked.state, action, actors)
    comment = PROPOSALS.check_comment(transition, comment)
    from_state = locked.state
    update_fields = ["state", "version", "updated_at"]
    if action == "submit":
        # A submission must be complete, whatever path created the draft.
        locked.full_clean()
        if locked.reference is None:
            now = timezone.now()
            year = seoul_year(now)
            number = ReferenceCounter.next_number(locked.committee_id, year, ReferenceCounter.Series.PROPOSAL)
            locked.reference = f"{locked.committee.code}-{year}-{number:04d}"
            locked.submitted_at = now
            locked.submitted_by = by
            update_fields += ["reference", "submitted_at", "submitted_by"]
    locked.state = transition.target
    locked.version += 1
    locked.save(update_fields=update_fields)
    event = record_event(
        locked, action, by=by, from_state=from_state, to_state=locked.state, comment=comment, details=details
    )
    notifications.proposal_transitioned(locked, event)
    return locked


def _settle_consultations(locked: Proposal, action: str, choice: str | None) -> list[Consultation]:
    """The open consultations an accept or return must settle; refused when the secretariat has not said how.

    Nothing silently drops an awaited opinion: with any still open, the caller says `keep` (they stay open and
    the agency may still answer) or `close` (the agencies are told it is no longer needed).
    """
    if action not in SETTLES_CONSULTATIONS:
        return []
    if choice is not None and choice not in [c.value for c in OpenConsultationsChoice]:
        raise ValidationError({"open_consultations": _("Say “keep” or “close”.")})
    outstanding = list(
        Consultation.objects.select_for_update(of=("self",))
        .filter(proposal=locked)
        .awaiting_opinion()
        .select_related("agency")
        .order_by("agency__acronym")
    )
    if outstanding and choice is None:
        raise OpenConsultations(
            _(
                "Opinions are still awaited from %(agencies)s. Say whether to keep these consultations open "
                "(the agencies may still answer) or to close them (they are told their opinion is no longer needed)."
            )
            % {"agencies": ", ".join(c.agency.acronym for c in outstanding)}
        )
    return outstanding if choice == OpenConsultationsChoice.CLOSE else []


@transaction.atomic
def transition_proposal(
    proposal: Proposal, action: str, *, by, comment: str = "", open_consultations: str | None = None
) -> Proposal:
    """Take one of the actions a person starts directly: submit, withdraw, start_review, return, accept.

    Accepting or returning a proposal that still awaits opinions needs `open_consultations`: "keep" or "close".
    """
    locked = Proposal.objects.select_for_update().select_related("committee").get(pk=proposal.pk)
    if action not in USER_ACTIONS:
        check_transition(locked.state, action, set())  # unknown action -> InvalidState; known -> NotPermitted
    actors = actors_for(by, locked)
    # Role, state and comment before the consultations, so the refusal names what is wrong first.
    PROPOSALS.check_comment(check_transition(locked.state, action, actors), comment)
    to_close = _settle_consultations(locked, action, open_consultations)
    apply_transition(locked, action, by=by, actors=actors, comment=comment)
    for consultation in to_close:
        consultation.proposal = locked
        end_consultation(consultation, "close", by=by, reason=(comment or "").strip())
    closed = {"consultations_closed": [[], [c.pk for c in to_close]]}
    audit_change(TRANSITION_AUDIT_ACTIONS[action], locked, by=by, detail=(comment or "").strip(), changes=closed)
    return locked


def submit_proposal(proposal, *, by, comment=""):
    return transition_proposal(proposal, "submit", by=by, comment=comment)


def withdraw_proposal(proposal, *, by, comment=""):
    return transition_proposal(proposal, "withdraw", by=by, comment=comment)


def start_review(proposal, *, by, comment=""):
    return transition_proposal(proposal, "start_review", by=by, comment=comment)


def return_proposal(proposal, *, by, comment, open_consultations: str | None = None):
    return transition_proposal(proposal, "return", by=by, comment=comment, open_consultations=open_consultations)


def accept_proposal(proposal, *, by, comment="", open_consultations: str | None = None):
    return transition_proposal(proposal, "accept", by=by, comment=comment, open_consultations=open_consultations)
