"""A meeting's built papers as the API lists them under `documents`."""

from django.db.models import prefetch_related_objects
from django.urls import reverse
from rest_framework import serializers

from policies.models import MeetingDocument


class MeetingDocumentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Where the PDF is downloaded (application/pdf).")

    class Meta:
        model = MeetingDocument
        fields = ["kind", "version", "language", "sha256", "size", "built_at", "url"]
        read_only_fields = fields

    def get_url(self, document) -> str:
        path = reverse("api:meeting-document-file", args=[document.meeting_id, document.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class PrefetchDocumentsListSerializer(serializers.ListSerializer):
    """Meetings listed with their papers in one more query, not one per meeting."""

    def to_representation(self, data):
        meetings = list(data.all() if hasattr(data, "all") else data)
        prefetch_related_objects(meetings, "documents")
        return super().to_representation(meetings)
