"""Read-only endpoints for the files of opinions and progress reports, restricted by the permission policy."""

from django.conf import settings
from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins
from rest_framework.decorators import action

from policies import permissions
from policies.models import OpinionAttachment, ProgressReportAttachment

from .base import RestrictedViewSet
from .schema import errors
from .serializers.letters import OpinionAttachmentSerializer, ProgressReportAttachmentSerializer

FILE_RESPONSES = {
    **{(200, content_type): OpenApiTypes.BINARY for content_type in settings.ATTACHMENT_CONTENT_TYPES},
    **errors(401, 404),
}


class _LetterViewSet(mixins.RetrieveModelMixin, RestrictedViewSet):
    """One file and its download; they are listed with their opinion (consultations) or report (actions)."""

    def perform_content_negotiation(self, request, force=False):
        # A download answers with the file's own type, whatever the client's Accept header asks for.
        return super().perform_content_negotiation(request, force=force or self.action == "download")

    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        stored = self.get_object()
        try:
            handle = stored.file.open("rb")
        except FileNotFoundError:
            raise exceptions.NotFound(_("The stored file is missing; tell the secretariat.")) from None
        return FileResponse(handle, as_attachment=True, filename=stored.original_name, content_type=stored.content_type)


@extend_schema_view(
    retrieve=extend_schema(
        summary="One opinion file", responses={200: OpinionAttachmentSerializer, **errors(401, 404)}
    ),
    download=extend_schema(summary="Download an opinion file", responses=FILE_RESPONSES),
)
class OpinionAttachmentViewSet(_LetterViewSet):
    queryset = OpinionAttachment.objects.all()
    visible = staticmethod(permissions.visible_opinion_attachments)
    serializer_class = OpinionAttachmentSerializer


@extend_schema_view(
    retrieve=extend_schema(
        summary="One progress report file", responses={200: ProgressReportAttachmentSerializer, **errors(401, 404)}
    ),
    download=extend_schema(summary="Download a progress report file", responses=FILE_RESPONSES),
)
class ProgressReportAttachmentViewSet(_LetterViewSet):
    queryset = ProgressReportAttachment.objects.all()
    visible = staticmethod(permissions.visible_progress_attachments)
    serializer_class = ProgressReportAttachmentSerializer
