"""Meetings, agenda items, attendance and decisions: what the API shows and what the secretariat sends."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from committee.directory.names import display_name
from policies import permissions
from policies.models import (
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    Proposal,
)
from policies.queries.carry_over import SuggestionKind, Why

from ..fields import (
    AllowedActionsField,
    OptionalURLField,
    agency_field,
    committee_field,
)
from .base import BIGINT_MAX, StrictFieldsMixin
from .papers import MeetingDocumentSerializer, PrefetchDocumentsListSerializer


class AgendaItemSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="display_title", read_only=True)
    proposal_reference = serializers.CharField(source="proposal.reference", read_only=True, allow_null=True)
    presenter = serializers.SlugRelatedField(slug_field="acronym", read_only=True, allow_null=True)
    decision = serializers.SerializerMethodField(help_text=_("Number of the decision taken on this item, if any."))

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "position",
            "kind",
            "proposal",
            "proposal_reference",
            "follow_up_action",
            "title",
            "presenter",
            "notes",
            "decision",
        ]
        read_only_fields = fields
        extra_kwargs = {"follow_up_action": {"help_text": _("The follow-up action a report item reports on, if any.")}}

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
        return display_name(attendance.member)  # in the language of the request


class MeetingSerializer(serializers.ModelSerializer):
    committee = serializers.SlugRelatedField(slug_field="code", read_only=True)
    online_link = OptionalURLField(read_only=True, allow_null=True, help_text=_("Null for a meeting held in person."))
    items = AgendaItemSerializer(many=True, read_only=True)
    attendance = AttendanceSerializer(source="attendances", many=True, read_only=True)
    allowed_actions = AllowedActionsField(help_text=_("What you may do to this meeting now, by its workflow table."))
    documents = MeetingDocumentSerializer(many=True, read_only=True, help_text=_("Its built papers, newest first."))

    class Meta:
        model = Meeting
        list_serializer_class = PrefetchDocumentsListSerializer
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
            "language",
            "attendance",
            "allowed_actions",
            "documents",
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
            "outcome_basis",
            "decided_at",
            "follow_up_actions",
            "public_summary",
            "made_public_at",
        ]
        read_only_fields = fields


# --- what the secretariat sends ------------------------------------------------------------------


class MeetingCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    committee = committee_field(help_text=_("The committee's code; only its secretariat may call its meetings."))
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Meeting.Kind.choices, required=False, default=Meeting.Kind.PLENARY)
    starts_at = serializers.DateTimeField(help_text=_("With its offset; shown in Korea Standard Time."))
    ends_at = serializers.DateTimeField(required=False, allow_null=True, help_text=_("After the start."))
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    online_link = serializers.URLField(max_length=200, required=False, allow_blank=True, default="")
    submission_cutoff = serializers.DateTimeField(
        required=False, allow_null=True, help_text=_("Before the start: agencies are reminded to submit by then.")
    )


class MeetingUpdateSerializer(MeetingCreateSerializer):
    committee = None  # a meeting stays with its committee


class AgendaItemCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    kind = serializers.ChoiceField(choices=AgendaItem.Kind.choices, required=False, default=AgendaItem.Kind.PROPOSAL)
    proposal = serializers.PrimaryKeyRelatedField(
        queryset=Proposal.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("An accepted proposal of the meeting's committee, for an item for decision; it becomes scheduled."),
    )
    title = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default="", help_text=_("Required for reports and briefings.")
    )
    presenter = agency_field(required=False, allow_null=True, help_text=_("Defaults to the proposal's lead agency."))
    notes = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # A proposal the caller cannot see is reported like one that does not exist.
            self.fields["proposal"].queryset = permissions.visible_proposals(request.user)


class AgendaOrderSerializer(StrictFieldsMixin, serializers.Serializer):
    items = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=BIGINT_MAX),
        allow_empty=False,
        max_length=500,
        help_text=_("Every item id of the agenda exactly once, in the new order."),
    )


class CancelSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class AttendanceRecordSerializer(StrictFieldsMixin, serializers.Serializer):
    member = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        help_text=_("A member of the committee on the meeting day, by username."),
    )
    status = serializers.ChoiceField(choices=Attendance.Status.choices)
    delegate_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text=_("Required when represented.")
    )


class DecisionRecordSerializer(StrictFieldsMixin, serializers.Serializer):
    agenda_item = serializers.PrimaryKeyRelatedField(
        queryset=AgendaItem.objects.all(), help_text=_("An item for decision on a meeting that has started.")
    )
    outcome = serializers.ChoiceField(choices=Decision.Outcome.choices)
    resolution = serializers.CharField(max_length=20000)
    votes_for = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=1000)
    votes_against = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=1000)
    abstentions = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=1000)
    outcome_basis = serializers.CharField(
        max_length=4000,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Why the outcome stands without a vote or other than the votes say, e.g. consensus."),
    )
    decided_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text=_("Between the meeting's start and now; defaults to now.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["agenda_item"].queryset = permissions.visible_agenda_items(request.user)


class AgendaSuggestionSerializer(serializers.Serializer):
    """One carry-over suggestion for a meeting's agenda (policies.queries.carry_over), read only."""

    kind = serializers.ChoiceField(
        choices=[(kind.value, kind.value) for kind in SuggestionKind],
        read_only=True,
        help_text=_("What would go on the agenda: a proposal, a follow-up action (as a report item) or minutes."),
    )
    object_id = serializers.IntegerField(read_only=True, help_text=_("The id of the proposal, action or minutes."))
    title = serializers.CharField(read_only=True)
    agenda_item_kind = serializers.ChoiceField(
        source="item_kind",
        choices=AgendaItem.Kind.choices,
        read_only=True,
        help_text=_("The kind of agenda item it would become."),
    )
    why = serializers.ChoiceField(
        choices=[(why.value, why.value) for why in Why],
        read_only=True,
        help_text=_("Why it is suggested, as a stable code."),
    )
    reason = serializers.CharField(read_only=True, help_text=_("Why it is suggested, in the caller's language."))
    times_deferred = serializers.IntegerField(
        read_only=True, help_text=_("How many times earlier meetings deferred the proposal (0 otherwise).")
    )
