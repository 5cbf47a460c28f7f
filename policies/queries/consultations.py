"""Reads about consultations: where the consulted agencies stand on a proposal."""

from policies.models import Consultation, Proposal


def consolidated_position(proposal: Proposal) -> dict[str, list[Consultation]]:
    """Who concurred, who concurred with conditions, who objected, who is still silent."""
    position = {value: [] for value in Consultation.Position.values}
    position["silent"] = []
    for consultation in proposal.consultations.all():
        position[consultation.position or "silent"].append(consultation)
    return position
