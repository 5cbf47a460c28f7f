"""The policy lifecycle: areas, proposals, consultations, meetings, minutes, decisions, follow-up actions."""

from .areas import PolicyArea
from .consultations import Consultation
from .decisions import Decision, FollowUpAction, ProgressReport
from .documents import MeetingDocument
from .feeds import CalendarFeed
from .letters import OpinionAttachment, ProgressReportAttachment
from .meetings import AgendaItem, Attendance, AttendanceReply, Meeting
from .minutes import FrozenRecord, Minutes, MinutesComment, MinutesItem, MinutesReading, MinutesVersion
from .numbering import ReferenceCounter
from .preferences import DigestPreference
from .proposals import Proposal, ProposalAttachment, ProposalEvent, ProposalState

__all__ = [
    "AgendaItem",
    "Attendance",
    "AttendanceReply",
    "CalendarFeed",
    "Consultation",
    "Decision",
    "DigestPreference",
    "FollowUpAction",
    "FrozenRecord",
    "Meeting",
    "MeetingDocument",
    "Minutes",
    "MinutesComment",
    "MinutesItem",
    "MinutesReading",
    "MinutesVersion",
    "OpinionAttachment",
    "PolicyArea",
    "ProgressReport",
    "ProgressReportAttachment",
    "Proposal",
    "ProposalAttachment",
    "ProposalEvent",
    "ProposalState",
    "ReferenceCounter",
]
