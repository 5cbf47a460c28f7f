"""The liaison portal: thin views over the permission policy (what is visible) and the services (what changes)."""

from functools import partial
from itertools import groupby

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committee.directory import twofactor
from committee.directory.models import profile_of, seoul_today
from policies import services
from policies.models import Consultation, DigestPreference, FollowUpAction, Meeting, ProposalState
from policies.permissions import (
    allowed_actions,
    can_edit_proposal,
    scope_of,
    visible_actions,
    visible_attachments,
    visible_consultations,
    visible_meetings,
    visible_proposals,
)
from policies.queries.consultations import consolidated_position
from policies.queries.meetings import attendance_counts, quorum_status
from policies.search import search_proposals
from policies.workflow import (
    OPINION_CLOSED_STATES,
    PROPOSALS,
    TRANSITIONS,
    Actor,
    StaleVersion,
)

from .api_tokens import token_context
from .forms import (
    OpinionForm,
    PreferencesForm,
    ProgressForm,
    ProposalFilterForm,
    ProposalForm,
    TransitionForm,
    add_service_errors,
)
from .refusals import apply_form, attempt, outcome, reason, refusals_as_pages, refuse, status_of

PAGE_SIZE = 25


# --- home ----------------------------------------------------------------------------------------


@login_required
def home(request):
    user = request.user
    scope = scope_of(user)
    today = seoul_today()
    context = {"scope": scope, "today": today}
    if scope.agency_id:
        ours = (
            visible_proposals(user)
            .filter(lead_agency_id=scope.agency_id)
            .select_related("committee", "policy_area")
            .order_by("state", "-updated_at")
        )
        by_state = {state: list(rows) for state, rows in groupby(ours, key=lambda proposal: proposal.state)}
        context["proposal_groups"] = [
            (label, by_state[value]) for value, label in ProposalState.choices if value in by_state
        ]
        context["consultations"] = (
            visible_consultations(user)
            .filter(agency_id=scope.agency_id, answered_at__isnull=True)
            .exclude(proposal__state__in=OPINION_CLOSED_STATES)
            .select_related("proposal", "proposal__lead_agency")
            .order_by("deadline", "id")
        )
        context["actions"] = (
            visible_actions(user)
            .filter(agency_id=scope.agency_id)
            .unfinished()
            .select_related("decision")
            .order_by("due_date", "id")
        )
    if scope.member_of:
        context["recent_proposals"] = (
            visible_proposals(user)
            .filter(committee_id__in=scope.member_of, submitted_at__isnull=False)
            .exclude(state=ProposalState.WITHDRAWN)
            .select_related("committee", "lead_agency", "policy_area")
            .order_by("-submitted_at")[:10]
        )
    if scope.is_secretariat:
        queue = visible_proposals(user).filter(state__in=PROPOSALS.states_awaiting(Actor.SECRETARIAT))
        if not scope.superuser:
            queue = queue.filter(committee_id__in=scope.staffed)
        context["review_queue"] = queue.select_related("committee", "lead_agency", "policy_area").order_by(
            "submitted_at"
        )[:20]
    if scope.readable_committees or scope.superuser:
        context["upcoming_meetings"] = (
            visible_meetings(user)
            .filter(starts_at__gte=timezone.now())
            .exclude(status=Meeting.Status.CANCELLED)
            .select_related("committee")
            .order_by("starts_at")[:10]
        )
    return render(request, "portal/home.html", context)


# --- proposals -----------------------------------------------------------------------------------


@login_required
def proposal_list(request):
    user = request.user
    form = ProposalFilterForm(request.GET or None)
    proposals = visible_proposals(user).select_related("committee", "lead_agency", "policy_area")
    if form.is_valid():
        data = form.cleaned_data
        proposals = search_proposals(proposals, data["q"])
        if data["state"]:
            proposals = proposals.filter(state=data["state"])
        if data["area"]:
            proposals = proposals.filter(Q(policy_area=data["area"]) | Q(secondary_areas=data["area"])).distinct()
    page = Paginator(proposals.order_by("-updated_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    scope = scope_of(user)
    return render(
        request,
        "portal/proposal_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_draft": bool(scope.agency_id and scope.agency_committees),
        },
    )


def _visible_proposal(user, pk):
    return get_object_or_404(
        visible_proposals(user).select_related("committee", "lead_agency", "policy_area", "created_by", "submitted_by"),
        pk=pk,
    )


def _proposal_page(request, proposal, *, transition_form=None, status=200):
    user = request.user
    scope = scope_of(user)
    # consolidated_position reads proposal.consultations.all(): load them once, with their agencies.
    prefetch_related_objects(
        [proposal],
        Prefetch(
            "consultations",
            queryset=Consultation.objects.select_related("agency", "answered_by").order_by("agency__acronym"),
        ),
    )
    consultations = list(proposal.consultations.all())
    events = list(proposal.events.select_related("actor"))
    actions = [TRANSITIONS[action] for action in allowed_actions(user, proposal)]
    position = consolidated_position(proposal)
    context = {
        "proposal": proposal,
        "co_sponsors": proposal.co_sponsors.all(),
        "secondary_areas": proposal.secondary_areas.all(),
        "attachments": proposal.attachments.all(),
        "events": events,
        "consultations": consultations,
        "position_groups": [
            (label, position[value]) for value, label in Consultation.Position.choices if position[value]
        ],
        "silent": position["silent"],
        "our_consultation": next((c for c in consultations if c.agency_id == scope.agency_id), None),
        "agenda_items": proposal.agenda_items.select_related("meeting", "decision"),
        "actions": actions,
        "transition_form": transition_form,
        "can_edit": can_edit_proposal(user, proposal),
        "today": seoul_today(),
    }
    return render(request, "portal/proposal_detail.html", context, status=status)


@login_required
def proposal_detail(request, pk):
    return _proposal_page(request, _visible_proposal(request.user, pk))


@login_required
@require_POST
@refusals_as_pages
def proposal_transition(request, pk):
    proposal = _visible_proposal(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _proposal_page(request, proposal, transition_form=form, status=400)
    action = form.cleaned_data["action"]
    try:
        proposal = services.transition_proposal(proposal, action, by=request.user, comment=form.cleaned_data["comment"])
    except ValidationError as error:  # input the action needs (a comment); refusals answer as pages
        add_service_errors(form, error)
        return _proposal_page(request, proposal, transition_form=form, status=400)
    messages.success(
        request,
        _("%(action)s: the proposal is now %(state)s.")
        % {"action": TRANSITIONS[action].label, "state": proposal.get_state_display().lower()},
    )
    return redirect("portal:proposal", pk=proposal.pk)


def _checked_files(form) -> tuple[list, int]:
    """Validate every upload before anything is saved; errors land on the attachments field."""
    status = 400
    files = form.cleaned_data.get("attachments") or []
    for uploaded in files:
        _type, error = outcome(partial(services.check_upload, uploaded))
        if error is not None:
            form.add_error("attachments", f"{uploaded.name}: {reason(error)}")
            status = max(status, status_of(error))  # a file over the limit makes the page a 413
    return files, status


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


# Fields the services name differently from the form, or that the form does not show (errors go on top).
SERVICE_FIELD_ALIASES = {"file": "attachments", "lead_agency": None}


@login_required
def proposal_create(request):
    user = request.user
    scope = scope_of(user)
    if not (scope.agency_id and scope.agency_committees):
        return refuse(request, _("Only liaisons of a member agency may draft proposals."))
    status = 200
    if request.method == "POST":
        form = ProposalForm(request.POST, request.FILES, user=user)
        status = 400
        if form.is_valid():
            files, status = _checked_files(form)
            if not form.errors:
                submit = "submit" in request.POST
                save = partial(
                    services.save_draft,
                    by=user,
                    committee=form.cleaned_data["committee"],
                    changes=form.changes(),
                    files=files,
                    submit=submit,
                )
                saved, status = attempt(form, save, aliases=SERVICE_FIELD_ALIASES)
                if status == 200:
                    return _after_save(request, saved, submitted=submit)
    else:
        form = ProposalForm(user=user, initial={"committee": next(iter(sorted(scope.agency_committees)), None)})
    return render(request, "portal/proposal_form.html", {"form": form, "proposal": None}, status=status)


@login_required
@refusals_as_pages
def proposal_edit(request, pk):
    user = request.user
    proposal = _visible_proposal(user, pk)
    services.require_editable(proposal, by=user)
    status = 200
    if request.method == "POST":
        form = ProposalForm(request.POST, request.FILES, user=user, proposal=proposal)
        status = 400
        if form.is_valid():
            files, status = _checked_files(form)
            if not form.errors:
                submit = "submit" in request.POST
                save = partial(
                    services.save_draft,
                    by=user,
                    proposal=proposal,
                    changes=form.changes(),
                    files=files,
                    expected_version=form.cleaned_data["version"],
                    submit=submit,
                )
                saved, status = attempt(form, save, aliases=SERVICE_FIELD_ALIASES)
                if status == 200:
                    return _after_save(request, saved, submitted=submit)
                if status == StaleVersion.status:
                    form = _compare_with_current(request, proposal, refused=form)
    else:
        form = ProposalForm(
            user=user,
            proposal=proposal,
            initial={
                "title": proposal.title,
                "summary": proposal.summary,
                "body": proposal.body,
                "requested_decision": proposal.requested_decision,
                "policy_area": proposal.policy_area_id,
                "secondary_areas": list(proposal.secondary_areas.values_list("pk", flat=True)),
                "co_sponsors": list(proposal.co_sponsors.values_list("pk", flat=True)),
                "estimated_budget_krw": proposal.estimated_budget_krw,
                "version": proposal.version,
            },
        )
    return render(
        request,
        "portal/proposal_form.html",
        {"form": form, "proposal": proposal, "attachments": proposal.attachments.all()},
        status=status,
    )


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


@login_required
def attachment_download(request, pk):
    attachment = get_object_or_404(visible_attachments(request.user), pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing from storage.")) from None
    return FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )


@login_required
@require_POST
@refusals_as_pages
def attachment_remove(request, pk):
    attachment = get_object_or_404(visible_attachments(request.user).select_related("proposal"), pk=pk)
    services.remove_attachment(attachment, by=request.user)
    messages.success(request, _("Removed %(name)s.") % {"name": attachment.original_name})
    return redirect("portal:proposal_edit", pk=attachment.proposal_id)


# --- consultations and follow-up actions ---------------------------------------------------------


@login_required
@refusals_as_pages
def consultation_opinion(request, pk):
    user = request.user
    consultation = get_object_or_404(
        visible_consultations(user).select_related(
            "proposal", "proposal__committee", "proposal__lead_agency", "agency"
        ),
        pk=pk,
    )
    services.require_opinion_giver(consultation, by=user)
    status = 200
    if request.method == "POST":
        form = OpinionForm(request.POST)
        status = apply_form(form, lambda **fields: services.give_opinion(consultation, by=user, **fields))
        if status == 200:
            messages.success(request, _("Your opinion is recorded. You can revise it until the deadline."))
            return redirect("portal:proposal", pk=consultation.proposal_id)
    else:
        form = OpinionForm(initial={"position": consultation.position or None, "opinion": consultation.opinion})
    return render(
        request,
        "portal/opinion_form.html",
        {"form": form, "consultation": consultation, "is_open": consultation.is_open()},
        status=status,
    )


@login_required
@refusals_as_pages
def action_progress(request, pk):
    user = request.user
    action = get_object_or_404(
        visible_actions(user).select_related("agency", "decision", "decision__agenda_item__meeting"), pk=pk
    )
    services.require_progress_reporter(action, by=user)
    status = 200
    if request.method == "POST":
        form = ProgressForm(request.POST)
        status = apply_form(form, lambda **fields: services.report_progress(action, by=user, **fields))
        if status == 200:
            messages.success(request, _("Progress reported."))
            return redirect("portal:action_progress", pk=action.pk)
    else:
        form = ProgressForm(initial={"percent_complete": action.percent_complete})
    return render(
        request,
        "portal/progress_form.html",
        {
            "form": form,
            "action": action,
            "reports": action.progress_reports.select_related("reported_by"),
            "can_report": "report_progress" in allowed_actions(user, action),
            "today": seoul_today(),
        },
        status=status,
    )


# --- meetings ------------------------------------------------------------------------------------


@login_required
def meeting_list(request):
    meetings = visible_meetings(request.user).select_related("committee").order_by("-starts_at", "-id")
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/meeting_list.html", {"page": page, "now": timezone.now()})


@login_required
def meeting_detail(request, pk):
    user = request.user
    meeting = get_object_or_404(visible_meetings(user).select_related("committee"), pk=pk)
    items = meeting.items.select_related("proposal", "presenter", "decision").prefetch_related(
        Prefetch(
            "decision__follow_up_actions",
            queryset=FollowUpAction.objects.select_related("agency").order_by("due_date", "id"),
        )
    )
    scope = scope_of(user)
    return render(
        request,
        "portal/meeting_detail.html",
        {
            "meeting": meeting,
            "items": items,
            "quorum": quorum_status(meeting),
            "attendance": attendance_counts(meeting),
            "agency_id": scope.agency_id,
        },
    )


@login_required
def preferences(request):
    """Language and email digest: how often, and about which policy areas."""
    user = request.user
    preference = DigestPreference.objects.filter(user=user).prefetch_related("areas").first()
    profile = profile_of(user)
    status = 200
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        status = apply_form(form, lambda **fields: services.update_preferences(user, **fields))
        if status == 200:
            translation.activate(form.cleaned_data["language"])
            messages.success(request, _("Your settings are saved."))
            response = redirect("portal:preferences")
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, form.cleaned_data["language"])
            return response
    else:
        form = PreferencesForm(
            initial={
                "language": profile.language if profile else translation.get_language(),
                "frequency": preference.frequency if preference else DigestPreference.Frequency.WEEKLY,
                "areas": list(preference.areas.all()) if preference else [],
            }
        )
    context = {"form": form, "two_factor": twofactor.status(user), **token_context(user)}
    return render(request, "portal/preferences.html", context, status=status)
