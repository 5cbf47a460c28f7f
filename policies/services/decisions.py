"""Verbs on decisions: record the committee's decision on an agenda item, numbered and, unless deferred, quorate;
make it public (the public register) once its meeting's minutes are final, or withdraw it from there.

A decision is recorded only once its meeting has started, dated between the start and now. Votes are all given
or none; those given never outnumber the members counted present (delegates too where the committee counts
them), and the outcome agrees with them (see `motion_carried`) unless the secretariat states the basis on which
it stands otherwise (`outcome_basis`, e.g. adopted by consensus without a vote).
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from policies import notifications
from policies.models import AgendaItem, Decision, Meeting, Minutes, Proposal, ReferenceCounter
from policies.papers import queue as papers
from policies.permissions import actors_for
from policies.queries.meetings import quorum_status
from policies.workflow import MEETINGS, Actor, InvalidState

from .audit import audit_change
from .common import require_manager, seoul_year
from .meetings import lock_meeting, require_started
from .proposals import apply_transition

ADOPTED_OUTCOMES = (Decision.Outcome.ADOPTED, Decision.Outcome.ADOPTED_WITH_AMENDMENTS)


def motion_carried(votes_for: int, votes_against: int) -> bool:
    """Whether a vote carries the motion: a simple majority of the votes cast, more for than against.

    Abstentions are not votes cast, and a tie does not carry. The committee's `quorum_rule` (more than half,
    two thirds or a fixed number of current members) says how many members must attend before it may decide
    (`Committee.quorum_for`), not how a vote carries; the directory keeps no other voting rule, so every
    committee decides by simple majority. The motion is the outcome recorded: adopting (with or without
    amendments), or deferring; a rejection records a motion to adopt that did not carry.
    """
    return votes_for > votes_against


def _check_votes(meeting: Meeting, outcome: str, votes: dict[str, int | None], basis: str) -> None:
    """Raise field errors unless the votes are all given or none, fit the attendance and agree with the outcome."""
    if all(value is None for value in votes.values()):
        return
    missing = [name for name, value in votes.items() if value is None]
    if missing:
        message = _("Give votes for, votes against and abstentions, or none of them.")
        raise ValidationError(dict.fromkeys(missing, message))
    cast, counted = sum(votes.values()), quorum_status(meeting)["attending"]
    if cast > counted:
        raise ValidationError(
            {
                "votes_for": _(
                    "%(cast)s votes for, against and abstaining are more than the %(counted)s members counted present."
                )
                % {"cast": cast, "counted": counted}
            }
        )
    if basis or motion_carried(votes["votes_for"], votes["votes_against"]) == (outcome != Decision.Outcome.REJECTED):
        return
    words = {"for": votes["votes_for"], "against": votes["votes_against"]}
    if outcome == Decision.Outcome.REJECTED:
        message = _("%(for)s for and %(against)s against carry the motion by simple majority, so it is not rejected.")
    else:
        message = _(
            "%(for)s for and %(against)s against do not carry the motion: it needs more votes for than against."
        )
    hint = _("Correct the votes or the outcome, or state the basis on which the outcome stands.")
    raise ValidationError({"outcome": f"{message % words} {hint}"})


def _check_decided_at(meeting: Meeting, decided_at: datetime) -> None:
    if decided_at < meeting.starts_at:
        starts = date_format(timezone.localtime(meeting.starts_at, timezone.get_default_timezone()), "DATETIME_FORMAT")
        message = _("A decision cannot be dated before its meeting started (%(starts)s, Seoul time).")
        raise ValidationError({"decided_at": message % {"starts": starts}})
    if decided_at > timezone.now():
        raise ValidationError({"decided_at": _("A decision cannot be dated in the future.")})


def _check_decidable(meeting: Meeting, item: AgendaItem, outcome: str, resolution: str) -> None:
    """Raise why this item cannot take this decision now; a deferral needs no quorum."""
    if item.kind != AgendaItem.Kind.PROPOSAL:
        raise InvalidState(_("Only items for decision can be decided; reports and briefings are noted."))
    MEETINGS.check_state(meeting.status, "decide")
    require_started(meeting)
    if Decision.objects.filter(agenda_item=item).exists():
        raise InvalidState(_("This item already has a decision."))
    if outcome not in Decision.Outcome.values:
        raise ValidationError({"outcome": _("Choose adopted, adopted with amendments, rejected or deferred.")})
    if not (resolution or "").strip():
        raise ValidationError({"resolution": _("Write the resolution.")})
    if outcome != Decision.Outcome.DEFERRED:
        quorum = quorum_status(meeting)
        if not quorum["recorded"]:
            raise InvalidState(_("Record attendance first: a decision needs a quorum."))
        if not quorum["has_quorum"]:
            raise InvalidState(
                _("No quorum: %(attending)s of %(members)s members attend, %(required)s are needed.") % quorum
            )


@transaction.atomic
def record_decision(
    item: AgendaItem,
    *,
    by,
    outcome: str,
    resolution: str,
    votes_for: int | None = None,
    votes_against: int | None = None,
    abstentions: int | None = None,
    outcome_basis: str = "",
    decided_at: datetime | None = None,
) -> Decision:
    """Record the committee's decision on a proposal item; a deferral sends the proposal back to accepted."""
    meeting = lock_meeting(item.meeting)
    MEETINGS.check_role("decide", actors_for(by, meeting))
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    _check_decidable(meeting, item, outcome, resolution)
    votes = {"votes_for": votes_for, "votes_against": votes_against, "abstentions": abstentions}
    outcome_basis = (outcome_basis or "").strip()
    _check_votes(meeting, outcome, votes, outcome_basis)
    decided_at = decided_at or timezone.now()
    _check_decided_at(meeting, decided_at)
    year = seoul_year(decided_at)
    number = ReferenceCounter.next_number(meeting.committee_id, year, ReferenceCounter.Series.DECISION)
    decision = Decision(
        agenda_item=item,
        number=f"{meeting.committee.code}-{year}-D-{number:03d}",
        outcome=outcome,
        resolution=resolution.strip(),
        **votes,
        outcome_basis=outcome_basis,
        decided_at=decided_at,
        recorded_by=by,
    )
    decision.full_clean()
    decision.save()
    locked_proposal = Proposal.objects.select_for_update().get(pk=item.proposal_id)
    action = "defer" if outcome == Decision.Outcome.DEFERRED else "decide"
    apply_transition(
        locked_proposal,
        action,
        by=by,
        actors={Actor.AGENDA},
        details={"decision": decision.number, "outcome": decision.outcome},
    )
    notifications.decision_recorded(decision)
    papers.decision_record_due(meeting)
    audit_change("decision.recorded", decision, by=by, proposal_moved=True, committee_id=meeting.committee_id)
    return decision


MAX_PUBLIC_SUMMARY = 5_000


def _lock_decision(decision: Decision) -> Decision:
    return Decision.objects.select_for_update().select_related("agenda_item__meeting").get(pk=decision.pk)


@transaction.atomic
def make_decision_public(decision: Decision, *, summary: str, by) -> Decision:
    """List the decision in the public register with a summary for the public, once its meeting's minutes are final.

    Only the committee's secretariat; making it public again replaces the summary and keeps when it was first
    made public.
    """
    locked = _lock_decision(decision)
    meeting = locked.agenda_item.meeting
    require_manager(by, meeting.committee_id)
    if not Minutes.objects.filter(meeting=meeting, status=Minutes.Status.FINAL).exists():
        raise InvalidState(_("A decision is made public only once the minutes of its meeting are final."))
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"summary": _("Write the summary the public will read.")})
    if len(summary) > MAX_PUBLIC_SUMMARY:
        raise ValidationError(
            {"summary": _("A public summary has at most %(limit)s characters.") % {"limit": MAX_PUBLIC_SUMMARY}}
        )
    locked.public_summary = summary
    if locked.made_public_at is None:
        locked.made_public_at, locked.made_public_by = timezone.now(), by
    locked.full_clean()
    locked.save(update_fields=["public_summary", "made_public_at", "made_public_by"])
    audit_change("decision.made_public", locked, by=by, committee_id=meeting.committee_id)
    return locked


@transaction.atomic
def withdraw_from_public(decision: Decision, *, by, reason: str = "") -> Decision:
    """Take the decision off the public register (the summary is kept for a later listing)."""
    locked = _lock_decision(decision)
    meeting = locked.agenda_item.meeting
    require_manager(by, meeting.committee_id)
    if locked.made_public_at is None:
        raise InvalidState(_("This decision is not public."))
    locked.made_public_at, locked.made_public_by = None, None
    locked.save(update_fields=["made_public_at", "made_public_by"])
    audit_change(
        "decision.withdrawn_from_public",
        locked,
        by=by,
        committee_id=meeting.committee_id,
        detail=(reason or "").strip(),
    )
    return locked
