"""A meeting's papers in the portal: the newest version of each, or a given one, for whoever may read them."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from policies.models import MeetingDocument
from policies.permissions import visible_meeting_documents


def pdf_response(document: MeetingDocument) -> FileResponse:
    """The stored PDF, shown in the browser under its versioned name; a file gone from storage is a 404."""
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing from storage.")) from None
    return FileResponse(handle, filename=document.filename, content_type="application/pdf")


@login_required
def meeting_paper(request, pk: int, kind: str, version: int | None = None):
    """The meeting's paper of this kind: the newest version, or the one asked for. Invisible papers are 404."""
    documents = visible_meeting_documents(request.user).filter(meeting_id=pk, kind=kind)
    if version is not None:
        documents = documents.filter(version=version)
    document = documents.order_by("-version").first()
    if document is None:
        raise Http404(_("No such paper of this meeting."))
    return pdf_response(document)
