"""Reads about consultations: where the consulted agencies stand on a proposal."""

from policies.models import Consultation, Proposal

# The groups of a consolidated position beside the three positions, in the order every face shows them.
SILENT, NO_LONGER_ASKED, LATE = "silent", "no_longer_asked", "late"


def consolidated_position(proposal: Proposal) -> dict[str, list[Consultation]]:
    """Who concurred, who concurred with conditions, who objected, who is still silent, and whose opinion is no
    longer asked (closed or withdrawn unanswered). `late` repeats those who answered after their deadline.
    """
    position = {value: [] for value in Consultation.Position.values}
    position[SILENT], position[NO_LONGER_ASKED], position[LATE] = [], [], []
    for consultation in proposal.consultations.all():
        if consultation.is_answered:
            position[consultation.position].append(consultation)
            if consultation.late:
                position[LATE].append(consultation)
        elif consultation.is_ended:
            position[NO_LONGER_ASKED].append(consultation)
        else:
            position[SILENT].append(consultation)
    return position


def awaited_opinions(proposal: Proposal) -> list[Consultation]:
    """The proposal's open consultations, by agency: what accepting or returning it must keep open or close."""
    return list(proposal.consultations.awaiting_opinion().select_related("agency").order_by("agency__acronym"))
