"""A meeting's papers through the API: the PDF behind each entry of a meeting's `documents`."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.views import APIView

from policies.permissions import visible_meeting_documents
from policies.portal.papers import pdf_response

from .schema import errors


class MeetingDocumentFileView(APIView):
    """The PDF of one built paper, for whoever may see the meeting (or has an item on its agenda)."""

    @extend_schema(
        summary="Download a meeting's paper (agenda book, decision record)",
        description="The URL is the `url` of an entry of the meeting's `documents`.",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, **errors(401, 404)},
    )
    def get(self, request, meeting_pk: int, pk: int):
        document = visible_meeting_documents(request.user).filter(meeting_id=meeting_pk, pk=pk).first()
        if document is None:
            raise exceptions.NotFound(_("No such paper of this meeting."))
        return pdf_response(document)

    def perform_content_negotiation(self, request, force=False):
        # The answer is a PDF whatever the client's Accept header asks for; errors stay JSON.
        return super().perform_content_negotiation(request, force=True)
