"""API representations. Agencies, areas and committees travel by acronym or code; state changes go via services."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from committee.directory.models import Agency, Committee, CommitteeMembership, profile_of, seoul_today
from policies import permissions
from policies.models import (
    AgendaItem,
    Attendance,
    Consultation,
    Decision,
    DigestPreference,
    FollowUpAction,
    Meeting,
    PolicyArea,
    ProgressReport,
    Proposal,
    ProposalAttachment,
    ProposalEvent,
)
from policies.queries.consultations import consolidated_position
from policies.workflow import USER_ACTIONS

from .fields import (
    AllowedActionsField,
    OptionalEmailField,
    OptionalURLField,
    StrictBooleanField,
    agency_field,
    area_field,
    committee_field,
    position_field,
)

BIGINT_MAX = 2**63 - 1
INT_MAX = 2**31 - 1


# Refuse fields the endpoint does not accept instead of silently ignoring them (state, reference, ...).
# (A comment, not a docstring: the schema would show it as every serializer's description.)
class StrictFieldsMixin:
    def to_internal_value(self, data):
        # DRF would take a number sent for a text as its digits; the schema says a string, and so do we.
        if isinstance(data, dict):
            wrong = {
                name: [field.error_messages["invalid"]]
                for name, field in self.fields.items()
                if isinstance(field, serializers.CharField) and isinstance(data.get(name), int | float)
            }
            if wrong:
                raise serializers.ValidationError(wrong)
        return super().to_internal_value(data)

    def validate(self, attrs):
        if isinstance(self.initial_data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(self.initial_data) - writable)
            if unknown:
                raise serializers.ValidationError({name: [_("This field cannot be set here.")] for name in unknown})
        return super().validate(attrs)


# --- reference data ------------------------------------------------------------------------------


class CommitteeSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    agencies = serializers.SlugRelatedField(slug_field="acronym", many=True, read_only=True)

    class Meta:
        model = Committee
        fields = ["id", "code", "name_ko", "name_en", "kind", "parent", "description", "agencies", "is_active"]


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "acronym", "name_ko", "name_en", "is_active"]


class PolicyAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = PolicyArea
        fields = ["id", "code", "name_ko", "name_en", "description", "position", "is_active"]


# --- proposals -----------------------------------------------------------------------------------


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
            "comment": serializers.CharField(read_only=True),
            "at": serializers.DateTimeField(source="created_at", read_only=True),
        }


class ConsultationBriefSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    position = position_field()

    class Meta:
        model = Consultation
        fields = ["id", "agency", "deadline", "position", "opinion", "answered_at", "revised_at"]
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
        for key in ["concur", "concur_with_conditions", "object", "silent"]
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


class AttachmentUploadSerializer(StrictFieldsMixin, serializers.Serializer):
    file = serializers.FileField(max_length=255)


# --- consultations -------------------------------------------------------------------------------


class ConsultationSerializer(serializers.ModelSerializer):
    proposal_reference = serializers.CharField(source="proposal.reference", read_only=True)
    proposal_title = serializers.CharField(source="proposal.title", read_only=True)
    agency = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    answered_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    position = position_field()
    is_overdue = serializers.SerializerMethodField()

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
            "position",
            "opinion",
            "answered_by",
            "answered_at",
            "revised_at",
            "is_overdue",
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


# --- meetings and decisions ----------------------------------------------------------------------


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


# --- follow-up actions ---------------------------------------------------------------------------


class ProgressReportSerializer(serializers.ModelSerializer):
    reported_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ProgressReport
        fields = ["id", "text", "percent_complete", "reported_on", "reports_done", "reported_by", "created_at"]
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


# --- the current user ----------------------------------------------------------------------------


class MembershipSerializer(serializers.ModelSerializer):
    committee = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = CommitteeMembership
        fields = ["committee", "role", "term_start", "term_end"]
        read_only_fields = fields


class RolesSerializer(serializers.Serializer):
    secretariat = serializers.ListField(
        child=serializers.CharField(), help_text=_("Codes of the committees whose secretariat you belong to.")
    )
    liaison_agency = serializers.CharField(allow_null=True, help_text=_("Acronym of the agency you are liaison of."))
    memberships = MembershipSerializer(many=True, help_text=_("Your current committee memberships."))


class DigestSerializer(serializers.Serializer):
    frequency = serializers.ChoiceField(choices=DigestPreference.Frequency.choices, required=False)
    areas = area_field(many=True, required=False, help_text=_("Policy area codes; empty means every area."))


class MeSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    email = OptionalEmailField(read_only=True, allow_null=True, help_text=_("Null when none is on file."))
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)
    digest = DigestSerializer(required=False)

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "first_name", "last_name", "email", "roles", "language", "digest"]
        read_only_fields = ["id", "username", "first_name", "last_name", "email"]

    @extend_schema_field(RolesSerializer)
    def get_roles(self, user) -> dict:
        today = seoul_today()
        profile = profile_of(user)
        memberships = [m for m in user.memberships.select_related("committee") if m.is_current(today)]
        return {
            "secretariat": list(user.staffed_committees.order_by("code").values_list("code", flat=True)),
            "liaison_agency": profile.agency.acronym if profile and profile.agency_id else None,
            "memberships": MembershipSerializer(memberships, many=True).data,
        }

    def to_representation(self, user):
        data = super().to_representation(user)
        profile = profile_of(user)
        data["language"] = profile.language if profile else settings.LANGUAGE_CODE
        preference = DigestPreference.objects.filter(user=user).prefetch_related("areas").first()
        data["digest"] = {
            "frequency": preference.frequency if preference else DigestPreference.Frequency.WEEKLY.value,
            "areas": sorted(area.code for area in preference.areas.all()) if preference else [],
        }
        return data


# --- authentication ------------------------------------------------------------------------------


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, write_only=True)
    otp = serializers.CharField(
        required=False, write_only=True, help_text="Two-factor users only: a TOTP code or a recovery code."
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True, help_text="Shown once: only a hash of it is stored.")
    expiry = serializers.DateTimeField(
        read_only=True, help_text="When the token expires unless used; each use moves this on by the idle period."
    )
