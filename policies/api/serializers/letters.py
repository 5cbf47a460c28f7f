"""The files an opinion or a progress report carries, as the API shows them: read-only, downloaded by URL."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from policies.models import OpinionAttachment, ProgressReportAttachment

FIELDS = ["id", "name", "size", "content_type", "sha256", "uploaded_at", "download_url"]


class _LetterSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name", read_only=True)
    download_url = serializers.SerializerMethodField(
        help_text="Permission-checked: only for whoever may see the opinion or the action."
    )
    route = ""

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, stored) -> str:
        return reverse(f"api:{self.route}-download", kwargs={"pk": stored.pk}, request=self.context.get("request"))


class OpinionAttachmentSerializer(_LetterSerializer):
    route = "opinion-attachment"

    class Meta:
        model = OpinionAttachment
        fields = [*FIELDS, "consultation"]
        read_only_fields = fields


class ProgressReportAttachmentSerializer(_LetterSerializer):
    route = "progress-attachment"

    class Meta:
        model = ProgressReportAttachment
        fields = [*FIELDS, "report"]
        read_only_fields = fields
