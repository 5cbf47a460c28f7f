"""Reads about one proposal that the portal shows beside it."""

from collections import defaultdict

from policies.models import OpinionAttachment, Proposal, ProposalEvent, ProposalState


def return_reason(proposal: Proposal, events: list[ProposalEvent] | None = None) -> ProposalEvent | None:
    """The secretariat's latest `return` event while the proposal is back with its agency, else None.

    Given the timeline already read (`events`, in order), it is found there without another query.
    """
    if proposal.state != ProposalState.RETURNED:
        return None
    if events is not None:
        returns = [event for event in events if event.action == ProposalEvent.Action.RETURN]
        return returns[-1] if returns else None
    return (
        proposal.events.filter(action=ProposalEvent.Action.RETURN)
        .select_related("actor")
        .order_by("-created_at", "-id")
        .first()
    )


def opinion_files(proposal: Proposal) -> dict[int, list[OpinionAttachment]]:
    """The files of every opinion on the proposal, by consultation id: one query however many opinions."""
    files = defaultdict(list)
    for stored in OpinionAttachment.objects.filter(consultation__proposal=proposal).order_by("uploaded_at", "id"):
        files[stored.consultation_id].append(stored)
    return files
