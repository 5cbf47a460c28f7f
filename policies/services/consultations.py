"""Verbs of consultation: the secretariat asks agencies for opinions, extends a deadline, closes or withdraws a
request; a consulted agency answers (late, after the deadline, while the consultation is open) or revises.

Every change of a consultation's status is checked against the CONSULTATIONS table in policies/workflow.py.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.dates import add_working_days, seoul_today
from committee.directory.models import Agency
from committee.directory.scope import can_manage_committee
from policies import notifications, reminders
from policies.models import Consultation, Proposal
from policies.permissions import can_give_opinion
from policies.workflow import (
    CONSULTABLE_STATES,
    CONSULTATIONS,
    OPINION_CLOSED_STATES,
    Actor,
    InvalidState,
    NotPermitted,
)

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
    """At least one agency (a single one is enough), never the lead agency, none consulted on it before."""
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
        Consultation.objects.create(
            proposal=locked,
            agency=agency,
            deadline=due,
            question=question,
            requested_by=by,
            next_reminder_on=reminders.first_consultation_reminder(due),
        )
        for agency in agencies
    ]
    record_event(
        locked,
        "consult",
        by=by,
        details={"agencies": [agency.acronym for agency in agencies], "deadline": due.isoformat()},
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


def _lock(consultation: Consultation) -> Consultation:
    return (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("proposal", "proposal__committee", "agency")
        .get(pk=consultation.pk)
    )


def require_opinion_still_wanted(locked: Consultation) -> None:
    if locked.proposal.state in OPINION_CLOSED_STATES:
        raise InvalidState(_("The proposal is already decided or withdrawn."))


@transaction.atomic
def give_opinion(consultation: Consultation, *, by, position: str, opinion: str) -> Consultation:
    """A consulted agency answers, and may revise its answer until the end of the deadline day.

    An open consultation past its deadline still takes an answer, marked late; a late answer cannot be revised.
    """
    locked = _lock(consultation)
    require_opinion_giver(locked, by=by)
    revised = locked.is_answered
    CONSULTATIONS.check(locked.status, "revise_opinion" if revised else "give_opinion", {Actor.CONSULTED_LIAISON})
    require_opinion_still_wanted(locked)
    on_time = locked.is_open()
    if revised and not on_time:
        raise InvalidState(_("The deadline of this consultation has passed; the opinion can no longer be revised."))
    opinion = (opinion or "").strip()
    if position not in Consultation.Position.values:
        raise ValidationError({"position": _("Choose concur, concur with conditions or object.")})
    if position != Consultation.Position.CONCUR and not opinion:
        raise ValidationError({"opinion": _("Explain your conditions or objection.")})
    now = timezone.now()
    locked.position, locked.opinion, locked.answered_by = position, opinion, by
    if revised:
        locked.revised_at = now
    else:
        locked.answered_at, locked.status, locked.late = now, Consultation.Status.ANSWERED, not on_time
        locked.next_reminder_on = None  # answered: nothing left to remind of
    answer = ["status", "late", "position", "opinion", "answered_by", "answered_at", "revised_at"]
    locked.save(update_fields=[*answer, "next_reminder_on"])
    record_event(
        locked.proposal,
        "opinion_revised" if revised else "opinion",
        by=by,
        details={"agency": locked.agency.acronym, "position": locked.position},
    )
    notifications.opinion_received(locked, revised=revised)
    audit_change("opinion.revised" if revised else "opinion.given", locked, by=by)
    return locked


def require_consultation_manager(consultation: Consultation, *, by) -> None:
    if not can_manage_committee(by, consultation.proposal.committee_id):
        raise NotPermitted(_("Only the committee's secretariat may do this."))


@transaction.atomic
def extend_consultation(
    consultation: Consultation, *, by, deadline: date | None = None, working_days: int | None = None
) -> Consultation:
    """The secretariat gives the agency more time: a later deadline, told to the agency's liaisons."""
    locked = _lock(consultation)
    require_consultation_manager(locked, by=by)
    CONSULTATIONS.check(locked.status, "extend", {Actor.SECRETARIAT})
    require_opinion_still_wanted(locked)
    due = consultation_deadline(deadline=deadline, working_days=working_days)
    if due <= locked.deadline:
        raise ValidationError(
            {
                "deadline": _("The new deadline must be later than the current one (%(deadline)s).")
                % {"deadline": locked.deadline.isoformat()}
            }
        )
    previous = locked.deadline
    locked.deadline = due
    locked.next_reminder_on = reminders.first_consultation_reminder(due)  # the new deadline's stages, from the first
    locked.save(update_fields=["deadline", "next_reminder_on"])
    record_event(
        locked.proposal,
        "consultation_extended",
        by=by,
        comment=f"{locked.agency.acronym}: {previous.isoformat()} → {due.isoformat()}",
    )
    notifications.consultation_extended(locked, previous_deadline=previous)
    audit_change("consultation.extended", locked, by=by)
    return locked


def end_consultation(locked: Consultation, action: str, *, by, reason: str = "") -> Consultation:
    """Close or withdraw a locked open consultation and tell the agency; the caller holds the transaction."""
    transition = CONSULTATIONS.check(locked.status, action, {Actor.SECRETARIAT})
    locked.status, locked.closed_at = transition.target, timezone.now()
    locked.next_reminder_on = None
    locked.save(update_fields=["status", "closed_at", "next_reminder_on"])
    comment = f"{locked.agency.acronym}: {reason}" if reason else locked.agency.acronym
    if action == "close":
        record_event(locked.proposal, "consultation_closed", by=by, comment=comment)
    else:
        record_event(locked.proposal, "consultation_withdrawn", by=by, comment=comment)
    notifications.consultation_ended(locked, reason=reason)
    return locked


@transaction.atomic
def close_consultation(consultation: Consultation, *, by, reason: str = "") -> Consultation:
    """The secretariat no longer needs this opinion: the agency is told, and can no longer answer."""
    locked = _lock(consultation)
    require_consultation_manager(locked, by=by)
    end_consultation(locked, "close", by=by, reason=(reason or "").strip())
    audit_change("consultation.closed", locked, by=by, detail=(reason or "").strip())
    return locked


@transaction.atomic
def withdraw_consultation(consultation: Consultation, *, by, reason: str = "") -> Consultation:
    """The secretariat takes back its request (asked by mistake, say): the agency is told."""
    locked = _lock(consultation)
    require_consultation_manager(locked, by=by)
    end_consultation(locked, "withdraw", by=by, reason=(reason or "").strip())
    audit_change("consultation.withdrawn", locked, by=by, detail=(reason or "").strip())
    return locked
