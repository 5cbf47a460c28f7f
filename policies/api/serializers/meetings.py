"""Meetings, agenda items, attendance and decisions, as the API shows them."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from policies.models import (
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
)

from ..fields import (
    AllowedActionsField,
    OptionalURLField,
)


class AgendaItemSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="display_title", read_only=True)
    proposal_reference = serializers.CharField(source="proposal.reference", read_only=True, allow_null=True)
    presenter = serializers.SlugRelatedField(slug_field="acronym", read_only=True, allow_null=True)
    decision = serializers.SerializerMethodField(help_text=_("Number of the decision taken on this item, if any."))

    class Meta:
        model = AgendaItem
        fields = ["id", "position", "kind", "proposal", "proposal_reference", "title", "presenter", "notes", "decision"]
        read_only_fields = fields

    def get_decision(self, item) -> str | None:
        try:
            return item.decision.number
        except Decision.DoesNotExist:
            return None


class AttendanceSerializer(serializers.ModelSerializer):
    member = serializers.SlugRelatedField(slug_field="username", read_only=True)
    member_name = serializers.SerializerMethodField()

    class Meta:
        model = Attendance
        fields = ["member", "member_name", "status", "delegate_name"]
        read_only_fields = fields

    def get_member_name(self, attendance) -> str:
        return attendance.member.get_full_name() or attendance.member.username


class MeetingSerializer(serializers.ModelSerializer):
    committee = serializers.SlugRelatedField(slug_field="code", read_only=True)
    online_link = OptionalURLField(read_only=True, allow_null=True, help_text=_("Null for a meeting held in person."))
    items = AgendaItemSerializer(many=True, read_only=True)
    attendance = AttendanceSerializer(source="attendances", many=True, read_only=True)
    allowed_actions = AllowedActionsField(help_text=_("What you may do to this meeting now, by its workflow table."))

    class Meta:
        model = Meeting
        fields = [
            "id",
            "committee",
            "title",
            "kind",
            "starts_at",
            "ends_at",
            "location",
            "online_link",
            "submission_cutoff",
            "status",
            "agenda_published_at",
            "items",
            "attendance",
            "allowed_actions",
        ]
        read_only_fields = fields


class DecisionSerializer(serializers.ModelSerializer):
    meeting = serializers.IntegerField(source="agenda_item.meeting_id", read_only=True)
    committee = serializers.CharField(source="agenda_item.meeting.committee.code", read_only=True)
    proposal = serializers.IntegerField(source="agenda_item.proposal_id", read_only=True, allow_null=True)
    proposal_reference = serializers.CharField(source="agenda_item.proposal.reference", read_only=True, allow_null=True)
    proposal_title = serializers.CharField(source="agenda_item.proposal.title", read_only=True, allow_null=True)
    follow_up_actions = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "number",
            "committee",
            "meeting",
            "agenda_item",
            "proposal",
            "proposal_reference",
            "proposal_title",
            "outcome",
            "resolution",
            "votes_for",
            "votes_against",
            "abstentions",
            "decided_at",
            "follow_up_actions",
        ]
        read_only_fields = fields
