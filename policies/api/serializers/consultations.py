"""Consultations and opinions: what the API shows and what it accepts."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from committee.dates import seoul_today
from policies import permissions
from policies.models import (
    Consultation,
    Proposal,
)

from ..fields import (
    agency_field,
    position_field,
)
from .base import StrictFieldsMixin
from .letters import OpinionAttachmentSerializer


class ConsultationSerializer(serializers.ModelSerializer):
    proposal_reference = serializers.CharField(source="proposal.reference", read_only=True)
    proposal_title = serializers.CharField(source="proposal.title", read_only=True)
    agency = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    answered_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    position = position_field()
    is_overdue = serializers.SerializerMethodField(
        help_text=_("Still awaited after the deadline: an opinion given now is marked late.")
    )
    attachments = OpinionAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Consultation
        fields = [
            "id",
            "proposal",
            "proposal_reference",
            "proposal_title",
            "agency",
            "question",
            "deadline",
            "requested_by",
            "requested_at",
            "status",
            "position",
            "opinion",
            "late",
            "answered_by",
            "answered_at",
            "revised_at",
            "closed_at",
            "is_overdue",
            "attachments",
        ]
        read_only_fields = fields

    def get_is_overdue(self, consultation) -> bool:
        return consultation.is_overdue(self.context.get("today") or seoul_today())


class ConsultationRequestSerializer(StrictFieldsMixin, serializers.Serializer):
    proposal = serializers.PrimaryKeyRelatedField(queryset=Proposal.objects.all())
    agencies = agency_field(many=True, allow_empty=False)
    deadline = serializers.DateField(required=False, allow_null=True)
    working_days = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=120, help_text=_("Korean working days from today.")
    )
    question = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # A proposal the requester cannot see is reported like one that does not exist.
            self.fields["proposal"].queryset = permissions.visible_proposals(request.user)


class OpinionSerializer(StrictFieldsMixin, serializers.Serializer):
    position = serializers.ChoiceField(choices=Consultation.Position.choices)
    opinion = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)


class ExtensionSerializer(StrictFieldsMixin, serializers.Serializer):
    deadline = serializers.DateField(required=False, allow_null=True, help_text=_("The new deadline."))
    working_days = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=120, help_text=_("Korean working days from today.")
    )


class ReasonSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=4000, help_text=_("Told to the agency.")
    )
