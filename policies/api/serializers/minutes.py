"""Minutes: what the API shows (the minutes as they stand, their versions, the comments one may read) and what
the secretariat and members send."""

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from committee.directory.names import display_name
from committee.directory.scope import scope_of
from policies.models import Minutes, MinutesComment, MinutesVersion
from policies.queries.minutes import current_content, readable
from policies.services.minutes import MAX_COMMENT, MAX_SUMMARY, REVIEW_DAYS

from ..fields import AllowedActionsField
from .base import BIGINT_MAX, StrictFieldsMixin


class MinutesCommentSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = MinutesComment
        fields = ["id", "agenda_item", "author", "author_name", "text", "late", "created_at"]
        read_only_fields = fields

    def get_author_name(self, comment) -> str:
        return display_name(comment.author)


class MinutesVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = MinutesVersion
        fields = ["number", "reason", "made_at"]
        read_only_fields = fields


CONTENT_SCHEMA = {
    "type": "object",
    "description": "Attendance (present, represented by a delegate, absent, not recorded), the quorum as "
    "computed, and each agenda item with its decision and the secretariat's discussion summary.",
    "properties": {
        "attendance": {"type": "array", "items": {"type": "object"}},
        "quorum": {"type": "object"},
        "items": {"type": "array", "items": {"type": "object"}},
    },
}


class MinutesSerializer(serializers.ModelSerializer):
    content = serializers.SerializerMethodField(
        help_text=_("The minutes as they stand: the newest final version, or the draft from the meeting's data.")
    )
    versions = MinutesVersionSerializer(many=True, read_only=True, help_text=_("Final versions, newest first."))
    comments = serializers.SerializerMethodField(
        help_text=_("Members' comments: all of them for the secretariat, one's own for a member.")
    )
    allowed_actions = AllowedActionsField(help_text=_("What you may do to these minutes now, by their workflow table."))

    class Meta:
        model = Minutes
        fields = [
            "id",
            "meeting",
            "status",
            "review_deadline",
            "sent_for_review_at",
            "finalised_at",
            "version",
            "content",
            "versions",
            "comments",
            "allowed_actions",
        ]
        read_only_fields = fields

    @extend_schema_field(CONTENT_SCHEMA)
    def get_content(self, minutes) -> dict:
        return readable(current_content(minutes), translation.get_language() or "ko")

    @extend_schema_field(MinutesCommentSerializer(many=True))
    def get_comments(self, minutes):
        user = self.context["request"].user
        comments = minutes.comments.all()  # prefetched by the view with their authors, in order
        if not scope_of(user).staffs(minutes.meeting.committee_id):
            comments = [comment for comment in comments if comment.author_id == user.pk]
        return MinutesCommentSerializer(comments, many=True, context=self.context).data


class MinutesListSerializer(MinutesSerializer):
    """A list row: the minutes' facts, versions, comments and allowed actions. The content is the one's own page:
    drafts compute it from the meeting's live data, several queries each, which a page of rows must not repeat."""

    class Meta(MinutesSerializer.Meta):
        fields = [name for name in MinutesSerializer.Meta.fields if name != "content"]
        read_only_fields = fields


class MinutesStartSerializer(StrictFieldsMixin, serializers.Serializer):
    meeting = serializers.IntegerField(min_value=1, max_value=BIGINT_MAX, help_text=_("A held meeting's id."))


class SummariesSerializer(StrictFieldsMixin, serializers.Serializer):
    summaries = serializers.DictField(
        child=serializers.CharField(max_length=MAX_SUMMARY, allow_blank=True, trim_whitespace=True),
        allow_empty=False,
        help_text=_('Discussion summary (plain text) by agenda item id, e.g. {"12": "The members discussed…"}.'),
    )


class ReviewSerializer(StrictFieldsMixin, serializers.Serializer):
    working_days = serializers.IntegerField(
        min_value=REVIEW_DAYS[0],
        max_value=REVIEW_DAYS[1],
        help_text=_("Members comment until this many Korean working days from today (KST)."),
    )


class CorrectionSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=4000, help_text=_("Why the final minutes are corrected."))
    summaries = serializers.DictField(
        child=serializers.CharField(max_length=MAX_SUMMARY, allow_blank=True, trim_whitespace=True),
        required=False,
        help_text=_("Corrected discussion summaries by agenda item id; the others stay as they were."),
    )


class MinutesCommentCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    text = serializers.CharField(max_length=MAX_COMMENT)
    agenda_item = serializers.IntegerField(
        min_value=1,
        max_value=BIGINT_MAX,
        required=False,
        allow_null=True,
        help_text=_("An agenda item of this meeting; leave out to comment on the whole minutes."),
    )


class PublicSummarySerializer(StrictFieldsMixin, serializers.Serializer):
    summary = serializers.CharField(max_length=5000, help_text=_("What the public register shows of this decision."))
