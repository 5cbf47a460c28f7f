"""Follow-up actions and their progress reports: what the API shows and what it accepts."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from committee.dates import seoul_today
from policies import permissions
from policies.models import (
    Decision,
    FollowUpAction,
    ProgressReport,
)

from ..fields import (
    AllowedActionsField,
    StrictBooleanField,
    agency_field,
)
from .base import StrictFieldsMixin
from .letters import ProgressReportAttachmentSerializer


class ProgressReportSerializer(serializers.ModelSerializer):
    reported_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    attachments = ProgressReportAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "text",
            "percent_complete",
            "reported_on",
            "reports_done",
            "reported_by",
            "created_at",
            "attachments",
        ]
        read_only_fields = fields


class FollowUpActionSerializer(serializers.ModelSerializer):
    decision_number = serializers.CharField(source="decision.number", read_only=True)
    proposal = serializers.IntegerField(source="decision.agenda_item.proposal_id", read_only=True, allow_null=True)
    proposal_reference = serializers.CharField(
        source="decision.agenda_item.proposal.reference", read_only=True, allow_null=True
    )
    agency = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    is_overdue = serializers.SerializerMethodField()
    is_verified = serializers.BooleanField(read_only=True)
    progress_reports = ProgressReportSerializer(many=True, read_only=True)
    allowed_actions = AllowedActionsField(help_text=_("What you may do to this action now, by its workflow table."))

    class Meta:
        model = FollowUpAction
        fields = [
            "id",
            "decision",
            "decision_number",
            "proposal",
            "proposal_reference",
            "agency",
            "title",
            "description",
            "due_date",
            "status",
            "percent_complete",
            "done_reported_at",
            "is_verified",
            "verified_at",
            "is_overdue",
            "progress_reports",
            "allowed_actions",
        ]
        read_only_fields = fields

    def get_is_overdue(self, action) -> bool:
        return action.is_overdue(self.context.get("today") or seoul_today())


class ProgressSerializer(StrictFieldsMixin, serializers.Serializer):
    text = serializers.CharField(max_length=20000)
    percent_complete = serializers.IntegerField(min_value=0, max_value=100)
    reports_done = StrictBooleanField(required=False, default=False)
    reported_on = serializers.DateField(required=False, allow_null=True, help_text=_("Defaults to today (KST)."))


class FollowUpAssignSerializer(StrictFieldsMixin, serializers.Serializer):
    decision = serializers.PrimaryKeyRelatedField(
        queryset=Decision.objects.all(), help_text=_("An adopted decision (with or without amendments).")
    )
    agency = agency_field(help_text=_("The responsible agency, by acronym."))
    title = serializers.CharField(max_length=300)
    due_date = serializers.DateField(help_text=_("Today (KST) or later."))
    description = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["decision"].queryset = permissions.visible_decisions(request.user)


class ReopenSerializer(StrictFieldsMixin, serializers.Serializer):
    comment = serializers.CharField(max_length=4000, help_text=_("Why the report of done is not accepted."))
