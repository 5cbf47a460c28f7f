"""Proposals, their timeline and attachments: what the API shows and what it accepts."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from policies.models import (
    Consultation,
    Proposal,
    ProposalAttachment,
    ProposalEvent,
)
from policies.queries.consultations import consolidated_position
from policies.workflow import USER_ACTIONS, OpenConsultationsChoice

from ..fields import (
    AllowedActionsField,
    agency_field,
    area_field,
    committee_field,
    position_field,
)
from .base import BIGINT_MAX, INT_MAX, StrictFieldsMixin


class ProposalEventSerializer(serializers.Serializer):
    """One timeline step. Declared in get_fields because "from" is a Python keyword."""

    def get_fields(self):
        return {
            "action": serializers.ChoiceField(choices=ProposalEvent.Action.choices, read_only=True),
            "from": serializers.CharField(
                source="from_state", read_only=True, help_text=_("State before; blank if unchanged.")
            ),
            "to": serializers.CharField(
                source="to_state", read_only=True, help_text=_("State after; blank if unchanged.")
            ),
            "actor": serializers.CharField(source="actor.username", read_only=True, allow_null=True),
            # What a person wrote, else what the system records, in the language of the request.
            "comment": serializers.CharField(source="text", read_only=True),
            "at": serializers.DateTimeField(source="created_at", read_only=True),
        }


class ConsultationBriefSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    position = position_field()

    class Meta:
        model = Consultation
        fields = ["id", "agency", "deadline", "status", "position", "opinion", "late", "answered_at", "revised_at"]
        read_only_fields = fields


class AttachmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ProposalAttachment
        fields = ["id", "name", "size", "content_type", "uploaded_at", "download_url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, attachment) -> str:
        url = reverse(
            "api:proposal-attachment",
            kwargs={"pk": attachment.proposal_id, "attachment_id": attachment.pk},
        )
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


ConsolidatedPosition = inline_serializer(
    "ConsolidatedPosition",
    fields={
        key: serializers.ListField(child=serializers.CharField(), help_text=_("Acronyms of agencies."))
        for key in ["concur", "concur_with_conditions", "object", "silent", "no_longer_asked", "late"]
    },
)


class ProposalSerializer(serializers.ModelSerializer):
    committee = serializers.SlugRelatedField(slug_field="code", read_only=True)
    lead_agency = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    co_sponsors = serializers.SlugRelatedField(slug_field="acronym", many=True, read_only=True)
    policy_area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    secondary_areas = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    timeline = ProposalEventSerializer(source="events", many=True, read_only=True)
    consultations = ConsultationBriefSerializer(many=True, read_only=True)
    consolidated_position = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True, read_only=True)
    allowed_actions = AllowedActionsField(
        help_text=_("Workflow actions you may take now, for the transitions endpoint.")
    )

    class Meta:
        model = Proposal
        fields = [
            "id",
            "reference",
            "committee",
            "lead_agency",
            "co_sponsors",
            "title",
            "summary",
            "body",
            "requested_decision",
            "policy_area",
            "secondary_areas",
            "estimated_budget_krw",
            "state",
            "version",
            "submitted_at",
            "created_at",
            "updated_at",
            "timeline",
            "consultations",
            "consolidated_position",
            "attachments",
            "allowed_actions",
        ]
        read_only_fields = fields

    @extend_schema_field(ConsolidatedPosition)
    def get_consolidated_position(self, proposal) -> dict:
        grouped = consolidated_position(proposal)
        return {key: [c.agency.acronym for c in consultations] for key, consultations in grouped.items()}


# What a list row leaves to the proposal's own page (or to `?expand=full`): the formatted body, the timeline, the
# consultations one by one and the attachments. At 50 rows the timelines alone were ~500 objects to serialise,
# five times the cost of everything else (bench/RESULTS.md); the opinions stay, summed up by position.
LIST_OMITS = ("body", "timeline", "consultations", "attachments")


class ProposalListSerializer(ProposalSerializer):
    """A row of the proposal list: the proposal's facts, the opinions summed up, and what you may do now."""

    class Meta(ProposalSerializer.Meta):
        fields = [name for name in ProposalSerializer.Meta.fields if name not in LIST_OMITS]
        read_only_fields = fields


class ProposalWriteSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """What a liaison sends to draft or revise a proposal; relations by acronym or code."""

    co_sponsors = agency_field(many=True, required=False)
    policy_area = area_field()
    secondary_areas = area_field(many=True, required=False)
    estimated_budget_krw = serializers.IntegerField(min_value=0, max_value=BIGINT_MAX, required=False, allow_null=True)

    class Meta:
        model = Proposal
        fields = [
            "title",
            "summary",
            "body",
            "requested_decision",
            "policy_area",
            "secondary_areas",
            "co_sponsors",
            "estimated_budget_krw",
        ]


class ProposalCreateSerializer(ProposalWriteSerializer):
    committee = committee_field()
    lead_agency = agency_field(
        required=False, help_text=_("Defaults to your own agency; liaisons draft only for their own.")
    )

    class Meta(ProposalWriteSerializer.Meta):
        fields = ["committee", "lead_agency", *ProposalWriteSerializer.Meta.fields]


class ProposalUpdateSerializer(ProposalWriteSerializer):
    version = serializers.IntegerField(
        min_value=1,
        max_value=INT_MAX,
        required=False,
        write_only=True,
        help_text=_("The version you read; if stale the change is refused with 412. If-Match takes precedence."),
    )

    class Meta(ProposalWriteSerializer.Meta):
        fields = [*ProposalWriteSerializer.Meta.fields, "version"]


class TransitionSerializer(StrictFieldsMixin, serializers.Serializer):
    action = serializers.ChoiceField(choices=USER_ACTIONS)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    open_consultations = serializers.ChoiceField(
        choices=[choice.value for choice in OpenConsultationsChoice],
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "For accept and return while opinions are still awaited (else 409 `open_consultations`): "
            "`keep` leaves those consultations open, the agencies may still answer; `close` closes them and "
            "tells the agencies their opinion is no longer needed."
        ),
    )


class AttachmentUploadSerializer(StrictFieldsMixin, serializers.Serializer):
    file = serializers.FileField(max_length=255)
