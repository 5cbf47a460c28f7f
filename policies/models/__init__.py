"""The policy lifecycle: areas, proposals, consultations, meetings, decisions, follow-up actions."""

from .areas import PolicyArea
from .consultations import Consultation
from .decisions import Decision, FollowUpAction, ProgressReport
from .meetings import AgendaItem, Attendance, Meeting
from .numbering import ReferenceCounter
from .preferences import DigestPreference
from .proposals import Proposal, ProposalAttachment, ProposalEvent, ProposalState

__all__ = [
    "AgendaItem",
    "Attendance",
    "Consultation",
    "Decision",
    "DigestPreference",
    "FollowUpAction",
    "Meeting",
    "PolicyArea",
    "ProgressReport",
    "Proposal",
    "ProposalAttachment",
    "ProposalEvent",
    "ProposalState",
    "ReferenceCounter",
]
