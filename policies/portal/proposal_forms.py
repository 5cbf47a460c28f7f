"""The liaison's proposal form, new and edit: text, amount, files kept across a refused save, the return reason."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from committee.directory.scope import scope_of
from policies import services
from policies.permissions import visible_proposals
from policies.queries.proposals import return_reason
from policies.workflow import StaleVersion

from .forms import ProposalForm
from .pending import PendingUploads
from .refusals import attempt, outcome, reason, refusals_as_pages, refuse, status_of

# Fields the services name differently from the form, or that the form does not show (errors go on top).
SERVICE_FIELD_ALIASES = {"file": "attachments", "lead_agency": None}


def _keep_checked_files(form, pending: PendingUploads) -> int:
    """Check every new upload; keep the good ones as pending (whatever else is wrong), name the bad ones."""
    status = 400
    for uploaded in form.cleaned_data.get("attachments") or []:
        _type, error = outcome(partial(services.check_upload, uploaded))
        if error is None:
            pending.keep(uploaded)
        else:
            form.add_error("attachments", f"{uploaded.name}: {reason(error)}")
            status = max(status, status_of(error))  # a file over the limit makes the page a 413
    return status


def _after_save(request, saved: services.SavedDraft, *, submitted: bool):
    """Say what became of the draft: saved, submitted, or saved but its submission refused (and why)."""
    proposal = saved.proposal
    if saved.submit_refusal is not None:
        message = _("Your changes are saved, but the proposal was not submitted: %s") % reason(saved.submit_refusal)
        messages.error(request, message)
        return redirect("portal:proposal_edit", pk=proposal.pk)
    if not submitted:
        messages.success(request, _("Draft saved."))
        return redirect("portal:proposal", pk=proposal.pk)
    messages.success(request, _("Submitted as %(reference)s.") % {"reference": proposal.reference})
    return redirect("portal:proposal", pk=proposal.pk)


def _save(request, form, pending: PendingUploads, target):
    """Validate, keep the files, and save the draft with every pending file: (response or None, status).

    `target(cleaned_data)` names what to save: the committee of a new draft, or the proposal and its version.
    """
    pending.discard(request.POST.getlist("discard_pending"))
    form.is_valid()
    status = _keep_checked_files(form, pending)
    if form.errors:
        return None, status
    submit = "submit" in request.POST
    files = pending.files()
    try:
        save = partial(services.save_draft, by=request.user, changes=form.changes(), files=files, submit=submit)
        saved, status = attempt(form, partial(save, **target(form.cleaned_data)), aliases=SERVICE_FIELD_ALIASES)
    finally:
        for handle in files:
            handle.close()
    if status != 200:
        return None, status
    pending.clear()
    return _after_save(request, saved, submitted=submit), 200


def _render(request, form, pending, *, proposal=None, status=200):
    context = {
        "form": form,
        "proposal": proposal,
        "attachments": proposal.attachments.all() if proposal else [],
        "pending_uploads": pending.all(),
        "return_reason": return_reason(proposal) if proposal else None,
    }
    return render(request, "portal/proposal_form.html", context, status=status)


@login_required
def proposal_create(request):
    user = request.user
    scope = scope_of(user)
    if not (scope.agency_id and scope.agency_committees):
        return refuse(request, _("Only liaisons of a member agency may draft proposals."))
    pending = PendingUploads(request, "new")
    if request.method != "POST":
        form = ProposalForm(user=user, initial={"committee": next(iter(sorted(scope.agency_committees)), None)})
        return _render(request, form, pending)
    form = ProposalForm(request.POST, request.FILES, user=user)
    response, status = _save(request, form, pending, lambda data: {"committee": data["committee"]})
    return response or _render(request, form, pending, status=status)


def _initial(proposal) -> dict:
    return {
        "title": proposal.title,
        "summary": proposal.summary,
        "body": proposal.body,
        "requested_decision": proposal.requested_decision,
        "policy_area": proposal.policy_area_id,
        "secondary_areas": list(proposal.secondary_areas.values_list("pk", flat=True)),
        "co_sponsors": list(proposal.co_sponsors.values_list("pk", flat=True)),
        "estimated_budget_krw": proposal.estimated_budget_krw,
        "version": proposal.version,
    }


@login_required
@refusals_as_pages
def proposal_edit(request, pk):
    user = request.user
    proposal = get_object_or_404(visible_proposals(user).select_related("committee", "lead_agency"), pk=pk)
    services.require_editable(proposal, by=user)
    pending = PendingUploads(request, f"proposal-{proposal.pk}")
    if request.method != "POST":
        form = ProposalForm(user=user, proposal=proposal, initial=_initial(proposal))
        return _render(request, form, pending, proposal=proposal)
    form = ProposalForm(request.POST, request.FILES, user=user, proposal=proposal)
    target = lambda data: {"proposal": proposal, "expected_version": data["version"]}  # noqa: E731
    response, status = _save(request, form, pending, target)
    if response:
        return response
    if status == StaleVersion.status:
        form = _compare_with_current(request, proposal, refused=form)
    return _render(request, form, pending, proposal=proposal, status=status)


def _compare_with_current(request, proposal, *, refused):
    """The form again over the current version, keeping what the user typed: saving again knowingly replaces it."""
    proposal.refresh_from_db()
    data = request.POST.copy()
    data["version"] = proposal.version
    form = ProposalForm(data, user=request.user, proposal=proposal)
    form.is_valid()
    form.add_error(
        None,
        _("%(reason)s Compare with the current version; saving again replaces it with your text.")
        % {"reason": " ".join(refused.non_field_errors())},
    )
    return form
