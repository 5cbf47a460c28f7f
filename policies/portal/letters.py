"""The files an opinion or a progress report carries: upload and remove an opinion's, download either.

Downloads answer 404 to whoever may not see the opinion or the action the file belongs to
(permissions.visible_opinion_attachments / visible_progress_attachments), like a proposal's files.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from policies import services
from policies.permissions import visible_consultations, visible_opinion_attachments, visible_progress_attachments

from .refusals import outcome, reason, refusals_as_pages


class OpinionFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Attach a file"),
        help_text=gettext_lazy("An official letter (공문) or another document: PDF, Office, HWP, text or image."),
    )


def _download(stored):
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing from storage.")) from None
    return FileResponse(handle, as_attachment=True, filename=stored.original_name, content_type=stored.content_type)


@login_required
@require_POST
@refusals_as_pages
def opinion_attachment_add(request, pk):
    consultation = get_object_or_404(visible_consultations(request.user), pk=pk)
    services.require_opinion_giver(consultation, by=request.user)
    form = OpinionFileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("file", [])))
        return redirect("portal:opinion", pk=consultation.pk)
    uploaded = form.cleaned_data["file"]
    _row, error = outcome(
        lambda: services.add_opinion_attachment(consultation, by=request.user, uploaded_file=uploaded)
    )
    if error is not None:
        messages.error(request, f"{uploaded.name}: {reason(error)}")
    else:
        messages.success(request, _("Attached %(name)s.") % {"name": uploaded.name})
    return redirect("portal:opinion", pk=consultation.pk)


@login_required
@require_POST
@refusals_as_pages
def opinion_attachment_remove(request, pk):
    attachment = get_object_or_404(visible_opinion_attachments(request.user), pk=pk)
    services.remove_opinion_attachment(attachment, by=request.user)
    messages.success(request, _("Removed %(name)s.") % {"name": attachment.original_name})
    return redirect("portal:opinion", pk=attachment.consultation_id)


@login_required
def opinion_attachment_download(request, pk):
    return _download(get_object_or_404(visible_opinion_attachments(request.user), pk=pk))


@login_required
def progress_attachment_download(request, pk):
    return _download(get_object_or_404(visible_progress_attachments(request.user), pk=pk))
