"""Verbs of consultation: the secretariat asks agencies for opinions; a consulted agency answers or revises."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.directory.models import Agency, seoul_today
from policies import notifications
from policies.models import Consultation, Proposal
from policies.permissions import can_give_opinion
from policies.workdays import add_working_days
from policies.workflow import CONSULTABLE_STATES, OPINION_CLOSED_STATES, InvalidState, NotPermitted

from .audit import audit_change
from .common import record_event, require_manager


def consultation_deadline(*, deadline: date | None = None, working_days: int | None = None) -> date:
    """A deadline given as a date, or as a number of Korean working days from today."""
    if (deadline is None) == (working_days is None):
        raise ValidationError({"deadline": _("Give either a deadline date or a number of working days.")})
    if working_days is not None:
        if working_days < 1 or working_days > 120:
            raise ValidationError({"working_days": _("Give between 1 and 120 working days.")})
        return add_working_days(seoul_today(), working_days)
    if deadline < seoul_today():
        raise ValidationError({"deadline": _("The deadline cannot be in the past.")})
    return deadline


def _check_agencies(proposal: Proposal, agencies: list[Agency]) -> None:
    """At least one agency, never the lead agency, and none consulted on this proposal before."""
    if not agencies:
        raise ValidationError({"agencies": _("Choose at least one agency to consult.")})
    if any(agency.pk == proposal.lead_agency_id for agency in agencies):
        raise ValidationError({"agencies": _("The lead agency cannot be consulted on its own proposal.")})
    already = set(
        Consultation.objects.filter(proposal=proposal, agency__in=agencies).values_list("agency__acronym", flat=True)
    )
    if already:
        raise ValidationError(
            {"agencies": _("Already consulted: %(agencies)s.") % {"agencies": ", ".join(sorted(already))}}
        )


@transaction.atomic
def request_consultations(
    proposal: Proposal,
    *,
    by,
    agencies: Iterable[Agency],
    deadline: date | None = None,
    working_days: int | None = None,
    question: str = "",
) -> list[Consultation]:
    """The secretariat asks agencies for their opinion on a proposal by a deadline."""
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    require_manager(by, locked.committee_id)
    if locked.state not in CONSULTABLE_STATES:
        raise InvalidState(_("Opinions can be requested only on submitted proposals or those under review."))
    agencies = list(dict.fromkeys(agencies))
    _check_agencies(locked, agencies)
    due = consultation_deadline(deadline=deadline, working_days=working_days)
    consultations = [
        Consultation.objects.create(proposal=locked, agency=agency, deadline=due, question=question, requested_by=by)
        for agency in agencies
    ]
    record_event(
        locked,
        "consult",
        by=by,
        comment=_("Opinion requested from %(agencies)s by %(deadline)s.")
        % {"agencies": ", ".join(a.acronym for a in agencies), "deadline": due.isoformat()},
    )
    for consultation in consultations:
        notifications.consultation_requested(consultation)
    requested = {
        "consultations": [[], [consultation.pk for consultation in consultations]],
        "agencies": [[], [agency.pk for agency in agencies]],
        "deadline": [None, due],
        "question": [None, question or None],
    }
    audit_change("consultation.requested", locked, by=by, changes=requested)
    return consultations


def require_opinion_giver(consultation: Consultation, *, by) -> None:
    if not can_give_opinion(by, consultation):
        raise NotPermitted(_("Only liaisons of the consulted agency may answer this consultation."))


@transaction.atomic
def give_opinion(consultation: Consultation, *, by, position: str, opinion: str) -> Consultation:
    """A consulted agency answers, and may revise its answer until the end of the deadline day."""
    locked = Consultation.objects.select_for_update().select_related("proposal", "agency").get(pk=consultation.pk)
    require_opinion_giver(locked, by=by)
    if not locked.is_open():
        raise InvalidState(_("The deadline of this consultation has passed."))
    if locked.proposal.state in OPINION_CLOSED_STATES:
        raise InvalidState(_("The proposal is already decided or withdrawn."))
    opinion = (opinion or "").strip()
    if position not in Consultation.Position.values:
        raise ValidationError({"position": _("Choose concur, concur with conditions or object.")})
    if position != Consultation.Position.CONCUR and not opinion:
        raise ValidationError({"opinion": _("Explain your conditions or objection.")})
    revised = locked.is_answered
    now = timezone.now()
    locked.position, locked.opinion, locked.answered_by = position, opinion, by
    if revised:
        locked.revised_at = now
    else:
        locked.answered_at = now
    locked.save(update_fields=["position", "opinion", "answered_by", "answered_at", "revised_at"])
    record_event(
        locked.proposal,
        "opinion_revised" if revised else "opinion",
        by=by,
        comment=f"{locked.agency.acronym}: {locked.get_position_display()}",
    )
    notifications.opinion_received(locked, revised=revised)
    audit_change("opinion.revised" if revised else "opinion.given", locked, by=by)
    return locked
