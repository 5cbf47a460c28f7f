"""Verbs on decisions: record the committee's decision on an agenda item, numbered and, unless deferred, quorate."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from policies import notifications
from policies.models import AgendaItem, Decision, Meeting, Proposal, ReferenceCounter
from policies.permissions import actors_for
from policies.queries.meetings import quorum_status
from policies.workflow import MEETINGS, Actor, InvalidState

from .audit import audit_change
from .common import seoul_year
from .meetings import lock_meeting
from .proposals import apply_transition

ADOPTED_OUTCOMES = (Decision.Outcome.ADOPTED, Decision.Outcome.ADOPTED_WITH_AMENDMENTS)


def _check_decidable(meeting: Meeting, item: AgendaItem, outcome: str, resolution: str) -> None:
    """Raise why this item cannot take this decision now; a deferral needs no quorum."""
    if item.kind != AgendaItem.Kind.PROPOSAL:
        raise InvalidState(_("Only items for decision can be decided; reports and briefings are noted."))
    MEETINGS.check_state(meeting.status, "decide")
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
    decided_at: datetime | None = None,
) -> Decision:
    """Record the committee's decision on a proposal item; a deferral sends the proposal back to accepted."""
    meeting = lock_meeting(item.meeting)
    MEETINGS.check_role("decide", actors_for(by, meeting))
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    _check_decidable(meeting, item, outcome, resolution)
    decided_at = decided_at or timezone.now()
    year = seoul_year(decided_at)
    number = ReferenceCounter.next_number(meeting.committee_id, year, ReferenceCounter.Series.DECISION)
    decision = Decision(
        agenda_item=item,
        number=f"{meeting.committee.code}-{year}-D-{number:03d}",
        outcome=outcome,
        resolution=resolution.strip(),
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
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
        comment=f"{decision.number}: {decision.get_outcome_display()}",
    )
    notifications.decision_recorded(decision)
    audit_change("decision.recorded", decision, by=by, proposal_moved=True, committee_id=meeting.committee_id)
    return decision
