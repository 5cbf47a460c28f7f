"""API representations, one module per aggregate. Agencies, areas and committees travel by acronym or code;
state changes go through the services. Views import from here: `from policies.api import serializers`."""

from .actions import (
    FollowUpActionSerializer,
    FollowUpAssignSerializer,
    ProgressReportSerializer,
    ProgressSerializer,
    ReopenSerializer,
)
from .auth import TokenRequestSerializer, TokenSerializer
from .base import BIGINT_MAX, INT_MAX, StrictFieldsMixin
from .consultations import (
    ConsultationRequestSerializer,
    ConsultationSerializer,
    ExtensionSerializer,
    OpinionSerializer,
    ReasonSerializer,
)
from .me import DigestSerializer, MembershipSerializer, MeSerializer, RolesSerializer
from .meetings import (
    AgendaItemCreateSerializer,
    AgendaItemSerializer,
    AgendaOrderSerializer,
    AgendaSuggestionSerializer,
    AttendanceRecordSerializer,
    AttendanceSerializer,
    CancelSerializer,
    DecisionRecordSerializer,
    DecisionSerializer,
    MeetingCreateSerializer,
    MeetingSerializer,
    MeetingUpdateSerializer,
)
from .proposals import (
    AttachmentSerializer,
    AttachmentUploadSerializer,
    ConsultationBriefSerializer,
    ProposalCreateSerializer,
    ProposalEventSerializer,
    ProposalListSerializer,
    ProposalSerializer,
    ProposalUpdateSerializer,
    ProposalWriteSerializer,
    TransitionSerializer,
)
from .reference import AgencySerializer, CommitteeSerializer, PolicyAreaSerializer

__all__ = [
    "BIGINT_MAX",
    "INT_MAX",
    "StrictFieldsMixin",
    "CommitteeSerializer",
    "AgencySerializer",
    "PolicyAreaSerializer",
    "ProposalEventSerializer",
    "ConsultationBriefSerializer",
    "AttachmentSerializer",
    "ProposalListSerializer",
    "ProposalSerializer",
    "ProposalWriteSerializer",
    "ProposalCreateSerializer",
    "ProposalUpdateSerializer",
    "TransitionSerializer",
    "AttachmentUploadSerializer",
    "ConsultationSerializer",
    "ConsultationRequestSerializer",
    "ExtensionSerializer",
    "ReasonSerializer",
    "OpinionSerializer",
    "AgendaItemSerializer",
    "AttendanceSerializer",
    "MeetingSerializer",
    "DecisionSerializer",
    "ProgressReportSerializer",
    "FollowUpActionSerializer",
    "ProgressSerializer",
    "MeetingCreateSerializer",
    "MeetingUpdateSerializer",
    "AgendaItemCreateSerializer",
    "AgendaOrderSerializer",
    "AgendaSuggestionSerializer",
    "CancelSerializer",
    "AttendanceRecordSerializer",
    "DecisionRecordSerializer",
    "FollowUpAssignSerializer",
    "ReopenSerializer",
    "MembershipSerializer",
    "RolesSerializer",
    "DigestSerializer",
    "MeSerializer",
    "TokenRequestSerializer",
    "TokenSerializer",
]
