"""API representations, one module per aggregate. Agencies, areas and committees travel by acronym or code;
state changes go through the services. Views import from here: `from policies.api import serializers`."""

from .actions import FollowUpActionSerializer, ProgressReportSerializer, ProgressSerializer
from .auth import TokenRequestSerializer, TokenSerializer
from .base import BIGINT_MAX, INT_MAX, StrictFieldsMixin
from .consultations import ConsultationRequestSerializer, ConsultationSerializer, OpinionSerializer
from .me import DigestSerializer, MembershipSerializer, MeSerializer, RolesSerializer
from .meetings import AgendaItemSerializer, AttendanceSerializer, DecisionSerializer, MeetingSerializer
from .proposals import (
    AttachmentSerializer,
    AttachmentUploadSerializer,
    ConsultationBriefSerializer,
    ProposalCreateSerializer,
    ProposalEventSerializer,
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
    "ProposalSerializer",
    "ProposalWriteSerializer",
    "ProposalCreateSerializer",
    "ProposalUpdateSerializer",
    "TransitionSerializer",
    "AttachmentUploadSerializer",
    "ConsultationSerializer",
    "ConsultationRequestSerializer",
    "OpinionSerializer",
    "AgendaItemSerializer",
    "AttendanceSerializer",
    "MeetingSerializer",
    "DecisionSerializer",
    "ProgressReportSerializer",
    "FollowUpActionSerializer",
    "ProgressSerializer",
    "MembershipSerializer",
    "RolesSerializer",
    "DigestSerializer",
    "MeSerializer",
    "TokenRequestSerializer",
    "TokenSerializer",
]
